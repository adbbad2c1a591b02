import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { processSheetEdit } from '../../functions/http/sheet-edit-function.js';
import { runIngest } from '../../functions/ingest/run-ingest.js';
import { runNightlyBranch, type NightlyBranchDeps } from '../../functions/nightly/run-branch.js';
import { googleSheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { seedTwoCustomerBranch } from '../support/two-customer-branch.js';

/**
 * Edits the sheet's trigger never sent: a manager types straight into the sheet (here through
 * the Sheets API, with no sheet-edit call), and the next nightly run finds them by comparing
 * the editable cells with what it last saw — stored, refused and logged through the sheet-edit
 * path, their computed cells written that night — while a master update of the same kind of
 * field, a re-run and a sort are not taken for edits.
 */

const { db, clear } = testFirestore('nightly-reconcile-test');
let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let deps: NightlyBranchDeps;
let spreadsheetId = '';
const today = parseCivilDay('2026-11-10')!;
const tomorrow = parseCivilDay('2026-11-11')!;
const scheme = bundledScheme('boc')!;
const standards = bundledStandards('d2')!;
const RECONCILE_EDITOR = 'nightly-reconcile (editor unknown)';

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  deps = { db, scheme, standards, sheets: googleSheetsGateway(sheets), now: () => new Date() };
});
afterAll(async () => {
  await server.close();
  await db.terminate();
});

beforeEach(async () => {
  await clear();
  spreadsheetId = await seedTwoCustomerBranch(db, sheets);
});

async function customerSheet(): Promise<{ at: (id: string, header: string) => string; cell: (id: string, header: string) => string; rowOf: (id: string) => number }> {
  const [header, ...rows] = (await sheets.spreadsheets.values.get({ spreadsheetId, range: "'客户名单'" })).data.values as string[][];
  const index = (id: string) => rows.findIndex((r) => r[header!.indexOf('客户号')] === id);
  return {
    at: (id, h) => rows[index(id)]![header!.indexOf(h)] ?? '',
    cell: (id, h) => `'客户名单'!${String.fromCharCode(65 + header!.indexOf(h))}${index(id) + 2}`,
    rowOf: (id) => index(id) + 2,
  };
}

/** A manager types into the sheet; no trigger runs (it is off, or over its quota). */
async function typeDirectly(cells: [customerId: string, header: string, value: string][]): Promise<void> {
  const sheet = await customerSheet();
  const data = cells.map(([id, header, value]) => ({ range: sheet.cell(id, header), values: [[value]] }));
  await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data } });
}

async function editLog(): Promise<{ customerId: string; column: string; value: string; accepted: boolean; editor: string }[]> {
  const docs = (await db.collection('editLog').get()).docs.map((d) => ({ customerId: d.get('customerId'), column: d.get('column'), value: d.get('value'), accepted: d.get('accepted'), editor: d.get('editor') }));
  return docs.sort((a, b) => `${a.customerId}${a.column}`.localeCompare(`${b.customerId}${b.column}`));
}

async function masterSendsMobile(customerId: string, mobile: string): Promise<void> {
  const files = new Map([['customers.csv', new TextEncoder().encode(`customer_id,branch_id,mobile\n${customerId},B01,${mobile}\n`)]]);
  const report = await runIngest(db, { date: tomorrow, files, origin: 'test', scheme, now: () => new Date() });
  expect(report.rejections).toEqual([]);
}

describe('edits the trigger never sent', () => {
  it('the first night records what the sheet holds and sends nothing', async () => {
    const report = await runNightlyBranch(deps, 'B01', today);
    expect(report.reconcile).toEqual({ firstNight: true, rowsSent: 0, accepted: 0, refused: [], conflicts: [], alreadySent: 0 });
    // N1's row was written with its archive: that is what the system has seen there
    const seen = (await db.collection('sheetSeen').get()).docs.flatMap((d) => Object.entries((d.get('cells') as Record<string, unknown> | undefined) ?? {}));
    expect(Object.fromEntries(seen)).toEqual({ N1: { 工作单位: '市第一医院' }, N2: {} });
  });

  it('a valid 工作单位, an invalid 手机号码 and an override typed with no trigger are stored, refused and logged by the next run, and their computed cells written', async () => {
    await runNightlyBranch(deps, 'B01', today);
    await typeDirectly([
      ['N2', '工作单位', '市图书馆'],
      ['N1', '手机号码', '123'],
      ['N2', '指定等级', '中银财富管理客户'],
      ['N2', '指定原因', '总行批准'],
      ['N2', '指定截止月', '2027-03'],
    ]);
    const report = await runNightlyBranch(deps, 'B01', tomorrow);

    expect(report.reconcile).toMatchObject({ firstNight: false, rowsSent: 2, accepted: 4, conflicts: [], alreadySent: 0 });
    expect(report.reconcile?.refused).toEqual([{ customerId: 'N1', row: (await customerSheet()).rowOf('N1'), column: '手机号码', value: '123', zh: '手机号码应为11位数字，以13–19开头' }]);
    const n2 = (await db.collection('customers').doc('N2').get()).data()!;
    expect(n2['profile']).toEqual({ archive: { employer: '市图书馆' } });
    expect(n2['override']).toMatchObject({ tier: 'wealth', until: '2027-03', reason: '总行批准', by: RECONCILE_EDITOR });
    expect((await db.collection('customers').doc('N1').get()).get('profile.archive.mobile')).toBeUndefined();
    expect(await editLog()).toEqual([
      { customerId: 'N1', column: '手机号码', value: '123', accepted: false, editor: RECONCILE_EDITOR },
      { customerId: 'N2', column: '工作单位', value: '市图书馆', accepted: true, editor: RECONCILE_EDITOR },
      { customerId: 'N2', column: '指定原因', value: '总行批准', accepted: true, editor: RECONCILE_EDITOR },
      { customerId: 'N2', column: '指定截止月', value: '2027-03', accepted: true, editor: RECONCILE_EDITOR },
      { customerId: 'N2', column: '指定等级', value: '中银财富管理客户', accepted: true, editor: RECONCILE_EDITOR },
    ]);
    // the override's tier is in tonight's write: N2 evaluated again after the edit was stored
    expect(report.reevaluated).toEqual(['N2']);
    const sheet = await customerSheet();
    expect(sheet.at('N2', '当前等级')).toBe('中银财富管理客户');
    expect(sheet.at('N2', '更新时间')).toBe('2026-11-11');
    // what the manager typed stays in the sheet, refused or not
    expect(sheet.at('N1', '手机号码')).toBe('123');
    expect(sheet.at('N2', '工作单位')).toBe('市图书馆');
    // still one read and one write
    expect(report.sheetRequests).toBe(2);

    // a re-run the same night sends nothing again
    const again = await runNightlyBranch(deps, 'B01', tomorrow);
    expect(again.reconcile).toEqual({ firstNight: false, rowsSent: 0, accepted: 0, refused: [], conflicts: [], alreadySent: 0 });
    expect(await editLog()).toHaveLength(5);
    expect(again.sheetRequests).toBe(1);
  });

  it('a new 手机号码 from the core-banking master is not taken for an edit: the sheet keeps its text, the store keeps the master’s', async () => {
    await runNightlyBranch(deps, 'B01', today);
    await masterSendsMobile('N1', '13900139000');
    const report = await runNightlyBranch(deps, 'B01', tomorrow);
    expect(report.reconcile).toMatchObject({ rowsSent: 0, accepted: 0, refused: [] });
    expect(await editLog()).toEqual([]);
    expect((await db.collection('customers').doc('N1').get()).get('profile.archive')).toEqual({ employer: '市第一医院', mobile: '13900139000' });
    expect((await customerSheet()).at('N1', '手机号码')).toBe('');
  });

  it('typed over a cell the master also changed: sent, and logged as a conflict', async () => {
    await runNightlyBranch(deps, 'B01', today);
    await masterSendsMobile('N1', '13900139000');
    await typeDirectly([['N1', '手机号码', '13700137000']]);
    const report = await runNightlyBranch(deps, 'B01', tomorrow);
    expect(report.reconcile).toMatchObject({ rowsSent: 1, accepted: 1, conflicts: [{ customerId: 'N1', column: '手机号码' }] });
    expect(await editLog()).toEqual([{ customerId: 'N1', column: '手机号码', value: '13700137000', accepted: true, editor: 'nightly-reconcile (editor unknown; stored value also changed)' }]);
    expect((await db.collection('customers').doc('N1').get()).get('profile.archive.mobile')).toBe('13700137000');
  });

  it('an edit the trigger did send, accepted or refused, is not sent again', async () => {
    await runNightlyBranch(deps, 'B01', today);
    await typeDirectly([
      ['N1', '家庭电话', 'abc'],
      ['N2', '工作单位', '市图书馆'],
    ]);
    const sheet = await customerSheet();
    // the trigger's call, as the sheet makes it
    await processSheetEdit({ db, scheme, standards, now: () => new Date(), today: () => tomorrow }, createTierEngine(scheme), {
      branchId: 'B01',
      spreadsheetId,
      editor: 'li@bank',
      rows: [
        { row: sheet.rowOf('N1'), customerId: 'N1', cells: { 家庭电话: 'abc' } },
        { row: sheet.rowOf('N2'), customerId: 'N2', cells: { 工作单位: '市图书馆' } },
      ],
    });
    const report = await runNightlyBranch(deps, 'B01', tomorrow);
    expect(report.reconcile).toMatchObject({ rowsSent: 0, alreadySent: 2 });
    expect((await editLog()).map((e) => `${e.customerId} ${e.column} ${e.accepted} ${e.editor}`)).toEqual(['N1 家庭电话 false li@bank', 'N2 工作单位 true li@bank']);
  });

  it('a sort is not an edit', async () => {
    await runNightlyBranch(deps, 'B01', today);
    const tab = (await sheets.spreadsheets.get({ spreadsheetId })).data.sheets!.find((s) => s.properties?.title === '客户名单')!;
    const before = await customerSheet();
    expect([before.rowOf('N1'), before.rowOf('N2')]).toEqual([2, 3]);
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: { requests: [{ sortRange: { range: { sheetId: tab.properties!.sheetId!, startRowIndex: 1, endRowIndex: 3 }, sortSpecs: [{ dimensionIndex: 0, sortOrder: 'DESCENDING' }] } }] },
    });
    const after = await customerSheet();
    expect([after.rowOf('N1'), after.rowOf('N2')]).toEqual([3, 2]);
    expect(after.at('N1', '工作单位')).toBe('市第一医院');
    const report = await runNightlyBranch(deps, 'B01', tomorrow);
    expect(report.reconcile).toMatchObject({ firstNight: false, rowsSent: 0, alreadySent: 0 });
    expect(await editLog()).toEqual([]);
  });
});
