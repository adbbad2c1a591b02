import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { parseMonth } from '../../shared/month.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { runNightlyBranch, type NightlyBranchDeps } from '../../functions/nightly/run-branch.js';
import { googleSheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * One branch's nightly run with every part real: Firestore (emulator), the googleapis client
 * over HTTP, the project's Sheets API test server standing in for Google.
 */

const { db, clear } = testFirestore('nightly-branch-test');
let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let deps: NightlyBranchDeps;
let spreadsheetId = '';
const today = parseCivilDay('2026-11-10')!;

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  deps = { db, scheme: bundledScheme('boc')!, standards: bundledStandards('d2')!, sheets: googleSheetsGateway(sheets), now: () => new Date('2026-11-10T18:00:00Z') };
});
afterAll(async () => {
  await server.close();
  await db.terminate();
});

beforeEach(async () => {
  await clear();
  spreadsheetId = (await sheets.spreadsheets.create({ requestBody: { properties: { title: '城东支行' } } })).data.spreadsheetId!;
  await db.collection('branches').doc('B01').set({ branchId: 'B01', spreadsheetId });
  const month = (text: string, average: number, days: number) => ({ month: parseMonth(text)!, assetDaySum: average * 100 * days, monthEndAssets: average * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] });
  // N1: 150,000 a day in September, 250,000 in October → upgraded to licai for November.
  // N2: 50,000 a day in both months → stays base.
  await writeHistory(db, [
    { customerId: 'N1', branchId: 'B01', ...month('2026-09', 150_000, 30) },
    { customerId: 'N1', branchId: 'B01', ...month('2026-10', 250_000, 31) },
    { customerId: 'N2', branchId: 'B01', ...month('2026-09', 50_000, 30) },
    { customerId: 'N2', branchId: 'B01', ...month('2026-10', 50_000, 31) },
  ]);
  const batch = db.batch();
  batch.set(db.collection('customers').doc('N1'), { customerId: 'N1', branchId: 'B01', profile: { archive: { employer: '市第一医院' } } });
  batch.set(db.collection('customers').doc('N2'), { customerId: 'N2', branchId: 'B01' });
  await batch.commit();
});

describe('the nightly run of a branch', () => {
  it('evaluates every customer, records the tier change once and writes the sheet in one values request', async () => {
    const report = await runNightlyBranch(deps, 'B01', today);
    expect(report).toMatchObject({ customers: 2, skipped: [], tierEventsCreated: 1, tabsAdded: ['客户名单', '升级名单', '降级预警', '待办', '考核'] });
    const event = await db.collection('tierEvents').doc('N1_2026-11').get();
    expect(event.data()).toMatchObject({ from: 'base', to: 'licai', effectiveMonth: '2026-11', reason: 'upgrade', schemeId: 'boc' });
    const values = await sheets.spreadsheets.values.get({ spreadsheetId, range: "'客户名单'" });
    const [header, ...rows] = values.data.values as string[][];
    const row = (id: string) => rows.find((r) => r[header!.indexOf('客户号')] === id)!;
    expect(row('N1')[header!.indexOf('当前等级')]).toBe('中银理财客户');
    expect(row('N1')[header!.indexOf('工作单位')]).toBe('市第一医院'); // the archive put on the new row
    expect(row('N2')[header!.indexOf('当前等级')]).toBe('普通客户');
    expect(server.countRequests(spreadsheetId, 'values.batchUpdate')).toBe(1);
  });

  it('re-run the same day: no new tier event, no write, three requests at most', async () => {
    await runNightlyBranch(deps, 'B01', today);
    const before = server.countRequests(spreadsheetId);
    const again = await runNightlyBranch(deps, 'B01', today);
    expect(again.tierEventsCreated).toBe(0);
    expect(again.cellsWritten).toBe(0);
    expect(server.countRequests(spreadsheetId) - before).toBeLessThanOrEqual(3); // get (tabs), batchGet, and no batchUpdate
    expect((await db.collection('tierEvents').get()).size).toBe(1);
  });

  it('keeps a manager’s own column and edits when it writes again', async () => {
    await runNightlyBranch(deps, 'B01', today);
    // the manager adds a column of their own at the far right and types in it
    const grid = (await sheets.spreadsheets.values.get({ spreadsheetId, range: "'客户名单'" })).data.values as string[][];
    const mine = String.fromCharCode(65 + grid[0]!.length); // the first free column letter (fewer than 26 columns here)
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: `'客户名单'!${mine}1:${mine}2`, values: [['我的备注'], ['重点客户']] }] } });
    await runNightlyBranch(deps, 'B01', parseCivilDay('2026-11-11')!);
    const after = (await sheets.spreadsheets.values.get({ spreadsheetId, range: "'客户名单'" })).data.values as string[][];
    expect(after[0]![grid[0]!.length]).toBe('我的备注');
    expect(after[1]![grid[0]!.length]).toBe('重点客户');
  });
});
