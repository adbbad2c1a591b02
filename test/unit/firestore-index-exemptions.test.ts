import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHUNKS } from '../../functions/store/firestore-sheet-seen.js';

/**
 * The single-field index exemptions of firestore.indexes.json (`fieldOverrides`). A field no
 * query filters or sorts on need not be indexed. Indexing costs write time and storage, and
 * Firestore allows at most 40,000 index entries per document (Firestore "Quotas and limits",
 * cloud.google.com/firestore/quotas). The emulator enforces no index configuration, so an
 * exemption a query needs would fail only in production. Hence the check: no code under
 * functions/ filters or sorts on an exempted field, or on anything inside it.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = JSON.parse(readFileSync(join(root, 'firestore.indexes.json'), 'utf8')) as { fieldOverrides: { collectionGroup: string; fieldPath: string; indexes: unknown[] }[] };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('single-field index exemptions', () => {
  const code = sources(join(root, 'functions')).map((path) => [path, readFileSync(path, 'utf8')] as const);

  it.each(config.fieldOverrides.map((o) => [`${o.collectionGroup}.${o.fieldPath}`, o] as const))('%s is exempt from every index and no query filters or sorts on it', (_name, override) => {
    expect(override.indexes).toEqual([]);
    // where('profile' / where('profile.name' / orderBy("summary" / new FieldPath('cells', …)
    const use = new RegExp(`(where|orderBy)\\(\\s*['"\`]${override.fieldPath}(['"\`.])|FieldPath\\(\\s*['"\`]${override.fieldPath}['"\`]`);
    for (const [path, text] of code) expect(use.test(text), `${path} queries ${override.fieldPath}`).toBe(false);
  });

  it('the check finds a query on a field when there is one (days, which the ingest’s correction query filters on)', () => {
    const use = /(where|orderBy)\(\s*['"`]days(['"`.])|FieldPath\(\s*['"`]days['"`]/;
    expect(code.some(([, text]) => use.test(text))).toBe(true);
  });

  it('exempts the cells of sheetSeen: a chunk of a 100,000-customer branch would otherwise come within a tenth of the 40,000 index entries a document may have', () => {
    // 100,000 customers over CHUNKS chunks, 12 editable texts each, two single-field entries (ascending, descending) per text
    const entries = Math.ceil(100_000 / CHUNKS) * 12 * 2;
    expect(entries).toBeGreaterThan(40_000 * 0.9);
    expect(config.fieldOverrides).toContainEqual({ collectionGroup: 'sheetSeen', fieldPath: 'cells', indexes: [] });
  });
});
