import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clearEmulator } from '../../functions/emulator/firestore-emulator.js';

/** `ladder ingest` / `ingest-history` / `export` as a user runs them, against the emulator. */

const root = fileURLToPath(new URL('../..', import.meta.url));
const project = 'ingest-cli-test';
const host = inject('firestoreHost');

function ladder(args: string[], env: Record<string, string | undefined> = { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project }) {
  const base = { ...process.env };
  delete base['FIRESTORE_EMULATOR_HOST'];
  delete base['GOOGLE_CLOUD_PROJECT'];
  const run = spawnSync(process.execPath, [join(root, 'dist/functions/cli/ladder.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...base, ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => clearEmulator(host, project));
afterAll(() => clearEmulator(host, project));

describe('ladder ingest, ingest-history and export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-cli-'));
  writeFileSync(join(dir, 'history.csv'), 'customer_id,branch_id,month,asset_day_sum,month_end_assets,loan_balance,card_spend,txn_count,products\nH1,B01,2026-10,6200000.00,200000.00,0,0,3,DEP;WMP\n');
  const daily = mkdtempSync(join(tmpdir(), 'ingest-cli-day-'));
  writeFileSync(join(daily, 'balances.csv'), 'customer_id,account_id,product,currency,balance\nH1,A1,DEP,CNY,210000.00\nH1,A2,DEP,CNY,twelve\n');

  it('loads history and a day, rejects the bad row with its place, and exports the customer', () => {
    const history = ladder(['ingest-history', join(dir, 'history.csv')]);
    expect(history.code).toBe(0);
    const rejects = join(dir, 'day.rejects.jsonl');
    const day = ladder(['ingest', '--date', '2026-11-01', '--rejects', rejects, daily]);
    expect(day.code).toBe(1);
    expect(day.stderr).toContain('1 rows rejected');
    const [rejected] = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejected).toMatchObject({ file: 'balances.csv', line: 3, column: 'balance', customerId: 'H1', raw: 'H1,A2,DEP,CNY,twelve' });
    const exported = ladder(['export']);
    expect(exported.code).toBe(0);
    const line = JSON.parse(exported.stdout.trim());
    // October from history; November from the one day: 210,000.00 so far
    expect(line.months).toEqual([
      { month: '2026-10', assetDaySum: '6200000.00', monthEndAssets: '200000.00', loanBalance: '0.00', cardSpend: '0.00', txnCount: 3, products: ['DEP', 'WMP'] },
      { month: '2026-11', assetDaySum: '210000.00', monthEndAssets: '210000.00', loanBalance: '0.00', cardSpend: '0.00', txnCount: 0, products: ['DEP'] },
    ]);
    // and the exported line is what `ladder assess` reads: October exactly 200,000 a day → licai
    const assessed = spawnSync(process.execPath, [join(root, 'dist/functions/cli/ladder.js'), 'assess', '--scheme', 'boc', '--facts', '-', '--rejects', join(dir, 'a.rejects.jsonl')], { input: exported.stdout, encoding: 'utf8' });
    expect(JSON.parse(assessed.stdout).history[0]).toMatchObject({ month: '2026-10', tier: 'licai' });
  });

  it('says what to set when there is no Firestore, exit 2', () => {
    const run = ladder(['export'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('set FIRESTORE_EMULATOR_HOST');
  });
});
