import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Firestore } from '@google-cloud/firestore';
import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { registerWorkbook } from '../../functions/sheets/workbook-registration.js';
import { prepareBranchWorkbook } from '../../functions/sheets/xlsx-branch-workbook.js';
import { parseMonth } from '../../shared/month.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * `ladder nightly` as an operator runs it, against the emulator and the Sheets test server: a
 * report, resuming a date, and a run killed with SIGKILL halfway then resumed ending exactly
 * where an uninterrupted run ends (Firestore and sheets alike).
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const DATE = '2026-11-10';
const BRANCHES = 30;
const clean = testFirestore('nightly-cli-clean');
const killed = testFirestore('nightly-cli-killed');
let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;

function env(project: string, host: string): Record<string, string> {
  const { FIRESTORE_EMULATOR_HOST: _h, GOOGLE_CLOUD_PROJECT: _p, ...base } = process.env;
  return { ...(base as Record<string, string>), FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project, SHEETS_API_ROOT: server.url, SHEETS_SERVICE_ACCOUNTS: ACCOUNTS };
}

/**
 * Ten service accounts in two Cloud projects, as a bank that wants its night short shards the
 * branches: each account is paced to 56 reads and 56 writes a minute, each project to 280. With
 * one account these 30 branches' first night takes about two minutes of pacing alone (the quota
 * bench measures a night under the quota); here each run ends in seconds.
 */
const ACCOUNTS = Array.from({ length: 10 }, (_, i) => `nightly-${i + 1}@ladder-cli-${(i % 2) + 1}.iam.gserviceaccount.com`).join(',');

/** Runs `ladder nightly` without blocking this process: the Sheets test server it talks to lives here. */
function ladder(args: string[], project: string, host: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'dist/functions/cli/ladder.js'), 'nightly', ...args], { cwd: root, env: env(project, host), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

/** BRANCHES branches of 20 customers each; customer k averaged k × 20,000 in October (k = 1…20): k ≥ 10 are licai from November. */
async function seed(db: Firestore): Promise<void> {
  const rows = [];
  let batch = db.batch();
  for (let b = 1; b <= BRANCHES; b++) {
    const branchId = `B${String(b).padStart(2, '0')}`;
    const spreadsheetId = (await sheets.spreadsheets.create({ requestBody: { properties: { title: branchId } } })).data.spreadsheetId!;
    batch.set(db.collection('branches').doc(branchId), { branchId, name: `${branchId}支行`, spreadsheetId, managers: [] });
    for (let k = 1; k <= 20; k++) {
      const customerId = `${branchId}-C${String(k).padStart(2, '0')}`;
      batch.set(db.collection('customers').doc(customerId), { customerId, branchId, profile: { archive: {}, servicePlan: {}, managerId: `${branchId}-RM1` } });
      rows.push({ customerId, branchId, month: parseMonth('2026-10')!, assetDaySum: k * 20_000 * 100 * 31, monthEndAssets: k * 20_000 * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] });
    }
    if (b % 10 === 0) {
      await batch.commit();
      batch = db.batch();
    }
  }
  await batch.commit();
  await writeHistory(db, rows);
}

/** What a run leaves behind, without clocks and ids that differ between two projects. */
async function outcome(db: Firestore) {
  const tierEvents = (await db.collection('tierEvents').get()).docs.map((d) => [d.id, d.get('from'), d.get('to'), d.get('effectiveMonth')]).sort();
  const summaries = (await db.collection('branchSummaries').get()).docs.map((d) => [d.id, JSON.stringify({ ...d.data() })]).sort();
  const runs = (await db.collection('runs').get()).docs.map((d) => [d.id, d.get('status'), d.get('report.customers'), d.get('report.tierEventsCreated') >= 0]).sort();
  const headOffice = (await db.collection('headOfficeMonths').get()).docs.map((d) => JSON.stringify(d.get('total')));
  const sheetValues: unknown[] = [];
  for (const doc of (await db.collection('branches').get()).docs.sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const got = await sheets.spreadsheets.values.batchGet({ spreadsheetId: doc.get('spreadsheetId') as string, ranges: ["'客户名单'", "'升级名单'", "'降级预警'", "'待办'", "'考核'"] });
    sheetValues.push(got.data.valueRanges?.map((r) => r.values ?? []));
  }
  return { tierEvents, summaries, runs, headOffice, sheetValues };
}

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  await Promise.all([clean.clear(), killed.clear()]);
  await seed(clean.db);
  await seed(killed.db);
}, 120_000);
afterAll(async () => {
  await server.close();
  await Promise.all([clean.db.terminate(), killed.db.terminate()]);
});

// Each run is paced to the quota (seconds, not milliseconds): room for a loaded machine.
describe('ladder nightly', { timeout: 90_000 }, () => {
  it('refuses a bad date or concurrency with exit 2 and says which', async () => {
    const bad = await ladder(['--date', '2026-13-01'], 'nightly-cli-clean', clean.host);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--date must be a date as YYYY-MM-DD, got "2026-13-01"');
    expect((await ladder(['--date', DATE, '--concurrency', '0'], 'nightly-cli-clean', clean.host)).stderr).toContain('--concurrency must be a whole number of at least 1');
  });

  it('runs every branch, reports, and a second run of the date skips what is done', async () => {
    const headOfficeDir = mkdtempSync(join(tmpdir(), 'nightly-head-office-'));
    const first = await ladder(['--date', DATE, '--concurrency', '4', '--head-office', headOfficeDir], 'nightly-cli-clean', clean.host);
    expect(first.stderr).toContain('Sheets paced to 56 reads and 56 writes a minute per account (10 accounts)');
    expect(first.stderr).toContain(`ladder nightly ${DATE}: ${BRANCHES} branches — ${BRANCHES} done, 0 failed, 0 already done before`);
    const workbookPath = join(headOfficeDir, `总行汇总-${DATE}.xlsx`);
    expect(first.stderr).toContain(`head office consolidated: ${workbookPath}`);
    expect(first.code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(workbookPath);
    const branchTab = workbook.getWorksheet('支行汇总')!;
    // header, 30 branches, 合计: 30 × 20 = 600 customers; per branch k = 10…20 are licai (11), 1…9 base (9)
    expect(branchTab.rowCount).toBe(BRANCHES + 2);
    expect(branchTab.getRow(BRANCHES + 2).values).toEqual(expect.arrayContaining(['合计', 600, 270, 330]));
    const second = await ladder(['--date', DATE], 'nightly-cli-clean', clean.host);
    expect(second.stderr).toContain(`${BRANCHES} branches — 0 done, 0 failed, ${BRANCHES} already done before`);
    expect(second.stderr).toContain('head office consolidated (not written: give --head-office DIR or set HEAD_OFFICE_SPREADSHEET_ID)');
  });

  it('killed with SIGKILL halfway and run again, ends exactly where an uninterrupted run ends', async () => {
    const child = spawn(process.execPath, [join(root, 'dist/functions/cli/ladder.js'), 'nightly', '--date', DATE, '--concurrency', '1'], { cwd: root, env: env('nightly-cli-killed', killed.host), stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let doneAtKill: number;
    for (;;) {
      doneAtKill = (await killed.db.collection('runs').where('status', '==', 'done').count().get()).data().count;
      if (doneAtKill >= 3 || child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;
    expect(doneAtKill).toBeGreaterThanOrEqual(3);
    const doneAfterKill = (await killed.db.collection('runs').where('status', '==', 'done').count().get()).data().count;
    expect(doneAfterKill).toBeLessThan(BRANCHES); // it really was cut short

    const resumed = await ladder(['--date', DATE, '--concurrency', '4'], 'nightly-cli-killed', killed.host);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`${BRANCHES - doneAfterKill} done, 0 failed, ${doneAfterKill} already done before`);
    expect(await outcome(killed.db)).toEqual(await outcome(clean.db));
  });

  it('--pubsub runs the same date through Pub/Sub (an emulator it starts) and changes nothing that was right', async () => {
    const before = await outcome(clean.db);
    const run = await ladder(['--date', DATE, '--rerun', '--pubsub', '--concurrency', '3'], 'nightly-cli-clean', clean.host);
    expect(run.stderr).toContain('through Pub/Sub');
    expect(run.stderr).toContain(`${BRANCHES} branches — ${BRANCHES} done, 0 failed, 0 already done before`);
    expect(run.code).toBe(0);
    expect(await outcome(clean.db)).toEqual(before);
  });

  it('--workbooks DIR writes the branches\u2019 registered local workbooks instead of Google Sheets', async () => {
    const local = testFirestore('nightly-cli-local');
    try {
      await local.clear();
      const dir = mkdtempSync(join(tmpdir(), 'nightly-workbooks-'));
      await local.db.collection('branches').doc('L01').set({ branchId: 'L01', name: 'L01支行', spreadsheetId: null, managers: [] });
      await local.db.collection('customers').doc('L01-C1').set({ customerId: 'L01-C1', branchId: 'L01' });
      // 250,000 a day in October: 中银理财客户 from November
      await writeHistory(local.db, [{ customerId: 'L01-C1', branchId: 'L01', month: parseMonth('2026-10')!, assetDaySum: 250_000 * 100 * 31, monthEndAssets: 250_000 * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] }]);
      const { workbookId } = await prepareBranchWorkbook(join(dir, 'L01.xlsx'), 'L01');
      await registerWorkbook(local.db, { workbookId, branchId: 'L01' });
      const run = await ladder(['--date', DATE, '--workbooks', dir], 'nightly-cli-local', local.host);
      expect(run.stderr).toContain('1 branches — 1 done, 0 failed');
      expect(run.code).toBe(0);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(join(dir, 'L01.xlsx'));
      const sheet = workbook.getWorksheet('客户名单')!;
      const header = (sheet.getRow(1).values as unknown[]).map(String);
      expect(sheet.getRow(2).getCell(header.indexOf('客户号')).text).toBe('L01-C1');
      expect(sheet.getRow(2).getCell(header.indexOf('当前等级')).text).toBe('中银理财客户');
    } finally {
      await local.db.terminate();
    }
  });
});
