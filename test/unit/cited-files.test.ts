import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The project stands alone: every file its comments and docs name is in the repository, and
 * none of them speaks of issue numbers. A comment citing a page that was never written (or was
 * renamed) fails here. What counts as naming a file:
 * - a repository path under functions/, shared/, appsscript/, test/ or docs/ ending in .ts, .md
 *   or .json (from a doc, a path relative to docs/ counts too);
 * - a bare page name such as tier-rules.md: it must be a page of docs/, beside the citing file, or
 *   at the root (README.md).
 * In .ts files only the comments are read: test code names made-up files on purpose (a lint
 * probe at shared/probe.ts).
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n');
const SOURCE_ROOTS = new Set(['functions', 'shared', 'appsscript', 'test']);
/** this file is left out: its self-check holds samples of what the check must catch */
const SELF = 'test/unit/cited-files.test.ts';
const cited = tracked.filter((f) => f !== SELF && ((f.endsWith('.ts') && SOURCE_ROOTS.has(f.split('/')[0]!)) || f.endsWith('.md')));

const PATH = /(?<![\w./-])((?:functions|shared|appsscript|test|docs)\/[\w./-]*[\w-]\.(?:ts|md|json))(?![\w])/g;
const PAGE = /(?<![\w./-])([A-Za-z][\w-]*\.md)(?![\w])/g;
const ISSUE_NUMBER = /\b(?:issue|task|ticket)s? ?#?\d+\b|\bfixes #\d+/gi;

/** the comments of a TypeScript file (line and block), or a markdown file whole */
function commentText(path: string, text: string): string {
  if (!path.endsWith('.ts')) return text;
  const parts: string[] = [];
  for (const m of text.matchAll(/\/\*[\s\S]*?\*\/|(?<![:'"`\w])\/\/[^\n]*/g)) parts.push(m[0]);
  return parts.join('\n');
}

/** the files a text names that the repository does not have */
function missingFiles(path: string, text: string, exists: (p: string) => boolean): string[] {
  const missing: string[] = [];
  for (const [, p] of text.matchAll(PATH)) {
    const candidates = [p!, ...(path.startsWith('docs/') ? [normalize(join('docs', p!))] : [])];
    if (!candidates.some(exists)) missing.push(p!);
  }
  for (const [, page] of text.matchAll(PAGE)) {
    if (![join('docs', page!), page!, join(dirname(path), page!)].some(exists)) missing.push(page!);
  }
  return missing;
}

describe('files named in comments and docs', () => {
  const exists = (p: string) => existsSync(join(root, p));

  it.each(cited)('%s names only files that exist', (path) => {
    expect(missingFiles(path, commentText(path, readFileSync(join(root, path), 'utf8')), exists)).toEqual([]);
  });

  it.each(cited)('%s speaks of no issue numbers', (path) => {
    expect(commentText(path, readFileSync(join(root, path), 'utf8')).match(ISSUE_NUMBER) ?? []).toEqual([]);
  });

  it('the check finds what it is for: a page never written, a renamed source file, an issue number; and lets real ones and code through', () => {
    const known = new Set(['docs/tier-rules.md', 'shared/money.ts', 'README.md']);
    const has = (p: string) => known.has(p);
    expect(missingFiles('shared/x.ts', '/** as architecture.md says, and tier-rules.md */', has)).toEqual(['architecture.md']);
    expect(missingFiles('shared/x.ts', '// see shared/money.ts and shared/old-money.ts', has)).toEqual(['shared/old-money.ts']);
    expect(missingFiles('docs/x.md', 'see [the engine](tier-rules.md) and [README](../README.md); amounts c.mda', has)).toEqual([]);
    expect(commentText('shared/x.ts', "const probe = 'shared/probe.ts'; // the lint probe\nconst url = 'https://a.example/b';")).toBe('// the lint probe');
    const tracker = (word: string, n: string) => [word, n].join(' ');
    expect(`done for ${tracker('issue', '0')}, see ${tracker('task', '#0')}`.match(ISSUE_NUMBER)).toEqual([tracker('issue', '0'), tracker('task', '#0')]);
    expect('gspread#950 reports it'.match(ISSUE_NUMBER)).toBeNull();
  });
});
