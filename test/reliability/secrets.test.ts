import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../functions/config.js';
import { parseCallerAuth } from '../../functions/http/caller-auth.js';
import { parseIngestToken } from '../../functions/http/bearer-token.js';

/**
 * Secrets come only from the environment (security). In production the functions are
 * deployed with their secrets in Secret Manager, which Cloud Functions hands to the process as
 * environment variables (`--set-secrets INGEST_TOKEN=ingest-token:latest`, …); the Apps Script
 * keeps its signing key in its script properties. So:
 * - no source file, config file or Apps Script file holds a key, token or password (patterns
 *   of Google, OAuth, JWT, PEM, cloud keys, and any secret-like name given a literal);
 * - only the entry points read process.env; the handlers and stores are given their settings;
 * - the secret variables are read from an injected environment, with no default to fall back
 *   on: without them the function refuses to serve (a ConfigurationError / CONFIG_INVALID).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...filesUnder(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

const SOURCES = [
  ...['functions', 'shared', 'appsscript/src'].flatMap((dir) => filesUnder(dir, (p) => /\.(ts|js|json|gs|html)$/.test(p))),
  'package.json',
  'firebase.json',
  'firestore.rules',
  'firestore.indexes.json',
  'appsscript/appsscript.json',
];

const PATTERNS: [string, RegExp][] = [
  ['a PEM private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a service-account key file', /"private_key(_id)?"\s*:/],
  ['a Google API key', /AIza[0-9A-Za-z_-]{35}/],
  ['an OAuth access token', /ya29\.[0-9A-Za-z_-]{20,}/],
  ['an OAuth refresh token', /\b1\/\/0[0-9A-Za-z_-]{20,}/],
  ['an OAuth client secret', /GOCSPX-[0-9A-Za-z_-]{10,}/],
  ['a JSON Web Token', /eyJ[0-9A-Za-z_-]{10,}\.eyJ[0-9A-Za-z_-]{10,}\./],
  ['an AWS access key', /AKIA[0-9A-Z]{16}/],
  ['a GitHub token', /gh[pousr]_[0-9A-Za-z]{30,}/],
  ['a secret-like name given a literal', /\b(secret|token|password|passwd|api_?key|signing_?key|client_?secret|[A-Z_]*(SECRET|TOKEN|PASSWORD))\b["']?\s*[:=]\s*['"`][^'"`\s]{12,}['"`]/i],
];

/** Matches that are not secrets, each with why (looked at by hand). */
const NOT_SECRETS: [file: string, text: string, why: string][] = [['appsscript/src/layout.ts', "signingSecret: 'ladder.signingSecret'", 'the name of the script property that holds the key, not the key']];

function secretsIn(text: string): string[] {
  return PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}

describe('secrets only from the environment', () => {
  it('the scan finds each kind of secret when there is one (so a clean scan means something)', () => {
    // assembled at run time, so this file itself holds none of them
    const planted = [
      `-----BEGIN ${'PRIVATE'} KEY-----`,
      `{"private_${'key'}": "x"}`,
      `const k = 'AI${'za'}${'S'.repeat(35)}';`,
      `ya${'29'}.${'a'.repeat(30)}`,
      `1/${'/0'}${'b'.repeat(30)}`,
      `GOC${'SPX'}-${'c'.repeat(20)}`,
      `ey${'J'}${'d'.repeat(12)}.ey${'J'}${'e'.repeat(12)}.sig`,
      `AK${'IA'}${'F'.repeat(16)}`,
      `gh${'p'}_${'g'.repeat(36)}`,
      `const SHEET_EDIT_SECRET = '${'h'.repeat(20)}';`,
      `{ token: "${'i'.repeat(16)}" }`,
    ];
    expect(planted.map((p) => secretsIn(p).length)).toEqual(planted.map(() => 1));
    expect(secretsIn("const SECRET = process.env['SHEET_EDIT_SECRET'];")).toEqual([]);
    expect(secretsIn(NOT_SECRETS[0]![1])).toEqual(['a secret-like name given a literal']); // why it is listed
  });

  it(`no source or config file holds a key, token or password (${SOURCES.length} files)`, () => {
    expect(SOURCES.length).toBeGreaterThan(100);
    const found = SOURCES.flatMap((path) => {
      let text = readFileSync(join(ROOT, path), 'utf8');
      for (const [file, allowed] of NOT_SECRETS) if (file === path) text = text.replace(allowed, '');
      return secretsIn(text).map((what) => `${path}: ${what}`);
    });
    expect(found).toEqual([]);
  });

  it('only the entry points read process.env; handlers, stores and the pure core are given their settings', () => {
    const readers = SOURCES.filter((p) => p.endsWith('.ts') && /process\.env/.test(readFileSync(join(ROOT, p), 'utf8'))).map((p) => relative(ROOT, join(ROOT, p)));
    const entryPoints = /^functions\/(index\.ts|config\.ts|cli\/|demo\/)/;
    expect(readers.filter((p) => !entryPoints.test(p))).toEqual([]);
    // the deployed module hands process.env to each function's parser, nothing else reads the secrets
    const index = readFileSync(join(ROOT, 'functions/index.ts'), 'utf8');
    expect(index).toMatch(/parseIngestToken\(process\.env\)/);
    expect(index).toMatch(/parseCallerAuth\(process\.env, 'SHEET_EDIT'\)/);
    expect(index).toMatch(/parseCallerAuth\(process\.env, 'NIGHTLY'\)/);
    const secretNames = /\b(INGEST_TOKEN|SHEET_EDIT_SECRET|NIGHTLY_SECRET)\b/;
    const namedIn = SOURCES.filter((p) => p.startsWith('functions/') && secretNames.test(readFileSync(join(ROOT, p), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    // outside comments: the ingest token's parser (env['INGEST_TOKEN'] of an injected env) and its error message
    expect(namedIn).toEqual(['functions/http/bearer-token.ts']);
  });

  it('without its variables a function has no secret to fall back on: it refuses to be configured', () => {
    expect(() => parseIngestToken({})).toThrow(ConfigurationError);
    expect(() => parseIngestToken({ INGEST_TOKEN: 'short' })).toThrow('at least 16 characters');
    expect(() => parseCallerAuth({}, 'SHEET_EDIT')).toThrow();
    expect(() => parseCallerAuth({}, 'NIGHTLY')).toThrow();
    // another function's variables do not configure this one
    expect(() => parseCallerAuth({ NIGHTLY_SECRET: 'a-long-nightly-secret-000' }, 'SHEET_EDIT')).toThrow();
    expect(parseCallerAuth({ SHEET_EDIT_SECRET: 'a-long-sheet-secret-0000' }, 'SHEET_EDIT').secret).toBe('a-long-sheet-secret-0000');
  });

  it('the Apps Script keeps its signing key in its script properties, not in code', () => {
    const settings = readFileSync(join(ROOT, 'appsscript/src/settings.ts'), 'utf8');
    expect(settings).toMatch(/getScriptProperties\(\)\.getProperty\(PROPERTY_KEYS\.signingSecret\)/);
  });
});
