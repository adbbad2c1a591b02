import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoBank } from '../../functions/demo/demo-bank.js';
import { clearEmulator } from '../../functions/emulator/firestore-emulator.js';
import { readWorkbook } from '../../functions/sheets/xlsx-workbook-file.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * `ladder demo` then `ladder ingest-history` and `ladder ingest` as a user runs them, against
 * the emulator: the branches and their managers are set up by the extracts, with no other step.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const project = 'demo-register-cli-test';
const { db, host } = testFirestore(project);
const DATE = '2026-03-01';
const SEED = 11;

function ladder(args: string[]) {
  const { FIRESTORE_EMULATOR_HOST: _h, GOOGLE_CLOUD_PROJECT: _p, ...base } = process.env;
  const run = spawnSync(process.execPath, [join(root, 'dist/functions/cli/ladder.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...base, FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => clearEmulator(host, project));
afterAll(async () => {
  await clearEmulator(host, project);
  await db.terminate();
});

describe('ladder demo → ingest-history → ingest (→ adopt → nightly)', () => {
  it('sets up the demo bank’s branches and managers from its extracts', { timeout: 240_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-register-cli-'));
    expect(ladder(['demo', '--date', DATE, '--seed', String(SEED), '--out', out]).code).toBe(0);
    expect(ladder(['ingest-history', join(out, 'history.csv')]).code).toBe(0);
    const day = ladder(['ingest', '--date', DATE, '--rejects', join(out, 'rejects.jsonl'), join(out, 'daily', DATE)]);
    expect(day.stderr).toContain('0 rows rejected');
    expect(day.code).toBe(0);
    expect(day.stderr).toMatch(/branches +utf-8 +read 6, accepted 6, rejected 0/);
    expect(day.stderr).toMatch(/staff +gb18030 +read \d+, accepted \d+, rejected 0/);
    expect(day.stderr).not.toMatch(/not present: .*(branches|staff)/);

    // the same bank the command generated (same seed and date), as npm start used to write it directly
    const bank = generateDemoBank({ seed: SEED, today: DATE, scheme: bundledScheme('boc')! });
    const stored = (await db.collection('branches').orderBy('__name__').get()).docs.map((d) => d.data());
    expect(stored).toEqual(bank.branches.map((b) => ({ branchId: b.branchId, name: b.name, parentId: null, spreadsheetId: null, managers: b.managers })));
  });

  it('goes on to adopt → nightly with no other step: the demo’s own ledger of B01 is adopted and written in place', { timeout: 240_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-adopt-cli-'));
    await clearEmulator(host, project);
    expect(ladder(['demo', '--date', DATE, '--seed', String(SEED), '--out', out]).code).toBe(0);
    expect(ladder(['ingest-history', join(out, 'history.csv')]).code).toBe(0);
    expect(ladder(['ingest', '--date', DATE, '--rejects', join(out, 'rejects.jsonl'), join(out, 'daily', DATE)]).code).toBe(0);
    const ledger = join(out, 'workbooks', '城东支行管户台账.xlsx');
    const adopt = ladder(['adopt', ledger, '--branch', 'B01', '--json']);
    expect(adopt.code, adopt.stderr).toBe(0);
    const report = JSON.parse(adopt.stdout);
    expect(report).toMatchObject({ ok: true, tab: '管户台账', headerRow: 4, keyColumn: 'B' });
    expect(report.unmatched.map((u: { reason: string }) => u.reason).filter((r: string) => r !== 'blank')).toEqual(['other-branch', 'unknown', 'excel-number']);
    const nightly = ladder(['nightly', '--date', DATE, '--workbooks', join(out, 'workbooks')]);
    expect(nightly.code, nightly.stderr).toBe(0);
    const workbook = await readWorkbook(ledger);
    expect(workbook.getWorksheet('管户台账')!.getCell(4, 13).value).toBe('当前等级');
    expect(workbook.worksheets.map((s) => s.name)).toContain('未入台账');
  });
});
