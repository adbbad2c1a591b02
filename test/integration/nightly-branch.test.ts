import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { COMPUTED_HEADERS } from '../../shared/sheets/branch-layout.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { processSheetEdit } from '../../functions/http/sheet-edit-function.js';
import { runNightlyBranch, type NightlyBranchDeps } from '../../functions/nightly/run-branch.js';
import { googleSheetsGateway, type SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { seedTwoCustomerBranch } from '../support/two-customer-branch.js';

/**
 * One branch's nightly run with every part real: Firestore (emulator), the googleapis client
 * over HTTP, the project's Sheets API test server standing in for Google, and — for the edit
 * that arrives during the run — the sheet-edit path itself (processSheetEdit), with the
 * Apps Script's write-back done over the same HTTP API.
 */

const { db, clear } = testFirestore('nightly-branch-test');
let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let deps: NightlyBranchDeps;
let spreadsheetId = '';
const today = parseCivilDay('2026-11-10')!;
const tomorrow = parseCivilDay('2026-11-11')!;
const scheme = bundledScheme('boc')!;
const standards = bundledStandards('d2')!;

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

/** 客户名单 as the sheet holds it now (fewer than 26 columns here, so a column letter is one character) */
async function customerSheet(): Promise<{ header: string[]; row: (id: string) => string[]; at: (id: string, header: string) => string; cell: (id: string, header: string) => string }> {
  const [header, ...rows] = (await sheets.spreadsheets.values.get({ spreadsheetId, range: "'客户名单'" })).data.values as string[][];
  const index = (id: string) => rows.findIndex((r) => r[header!.indexOf('客户号')] === id);
  const row = (id: string) => rows[index(id)]!;
  return { header: header!, row, at: (id, h) => row(id)[header!.indexOf(h)] ?? '', cell: (id, h) => `'客户名单'!${String.fromCharCode(65 + header!.indexOf(h))}${index(id) + 2}` };
}

/**
 * A manager sets an override on N2 through the sheet-edit path, and the sheet's Apps Script
 * writes the answered computed cells into N2's row, as it does in production.
 */
async function managerOverridesN2(): Promise<Record<string, string>> {
  const answer = await processSheetEdit({ db, scheme, standards, now: () => new Date(), today: () => tomorrow }, createTierEngine(scheme), {
    branchId: 'B01',
    spreadsheetId,
    editor: 'li@bank',
    rows: [{ row: 3, customerId: 'N2', cells: { 指定等级: '中银财富管理客户', 指定原因: '总行批准', 指定截止月: '2027-03' } }],
  });
  const computed = answer[0]!.computed! as Record<string, string>;
  const sheet = await customerSheet();
  const data = Object.entries(computed).map(([h, value]) => ({ range: sheet.cell('N2', h), values: [[value]] }));
  await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data } });
  return computed;
}

async function typeForN2(header: string, value: string): Promise<void> {
  const sheet = await customerSheet();
  await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: sheet.cell('N2', header), values: [[value]] }] } });
}

describe('the nightly run of a branch', () => {
  it('evaluates every customer, records the tier change once and sets the sheet up in three requests', async () => {
    const report = await runNightlyBranch(deps, 'B01', today);
    expect(report).toMatchObject({ customers: 2, skipped: [], tierEventsCreated: 1, tabsAdded: ['客户名单', '升级名单', '降级预警', '待办', '考核'], sheetRequests: 3, reevaluated: [], sheetProblems: [] });
    expect(server.requests.filter((r) => r.spreadsheetId === spreadsheetId).map((r) => r.operation)).toEqual(['spreadsheets.get', 'spreadsheets.batchUpdate', 'values.batchUpdateByDataFilter']);
    const event = await db.collection('tierEvents').doc('N1_2026-11').get();
    expect(event.data()).toMatchObject({ from: 'base', to: 'licai', effectiveMonth: '2026-11', reason: 'upgrade', schemeId: 'boc' });
    const sheet = await customerSheet();
    expect(sheet.at('N1', '当前等级')).toBe('中银理财客户');
    expect(sheet.at('N1', '工作单位')).toBe('市第一医院'); // the archive put on the new row
    expect(sheet.at('N2', '当前等级')).toBe('普通客户');
  });

  it('re-run the same day: no new tier event, no write, one request (the read)', async () => {
    await runNightlyBranch(deps, 'B01', today);
    const before = server.countRequests(spreadsheetId);
    const again = await runNightlyBranch(deps, 'B01', today);
    expect(again).toMatchObject({ tierEventsCreated: 0, cellsWritten: 0, structureChanges: 0, sheetRequests: 1 });
    expect(server.countRequests(spreadsheetId) - before).toBe(1);
    expect((await db.collection('tierEvents').get()).size).toBe(1);
  });

  it('the next day: one read and one write, whatever the manager did to headers and columns', async () => {
    await runNightlyBranch(deps, 'B01', today);
    // the manager renames 当前等级 to 等级 and adds a column of their own at the far right
    const { header } = await customerSheet();
    const mine = String.fromCharCode(65 + header.length);
    const tier = String.fromCharCode(65 + header.indexOf('当前等级'));
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: `'客户名单'!${mine}1:${mine}2`, values: [['我的备注'], ['重点客户']] }, { range: `'客户名单'!${tier}1`, values: [['等级']] }] } });
    const before = server.countRequests(spreadsheetId);
    const report = await runNightlyBranch(deps, 'B01', tomorrow);
    expect(report.sheetRequests).toBe(2);
    expect(server.countRequests(spreadsheetId) - before).toBe(2);
    const after = await customerSheet();
    expect(after.header).toHaveLength(header.length + 1); // nothing appended: 等级 is still 当前等级 by its metadata
    expect(after.header[header.length]).toBe('我的备注');
    expect(after.row('N1')[header.length]).toBe('重点客户');
    expect(after.at('N1', '等级')).toBe('中银理财客户');
    expect(after.at('N1', '更新时间')).toBe('2026-11-11');
  });
});

describe('an edit arriving during the nightly run', () => {
  /** the real gateway, with something happening around one of its calls */
  function around(call: 'read' | 'writeCells', before: () => Promise<void>, after: () => Promise<void> = async () => {}): SheetsGateway {
    const real = googleSheetsGateway(sheets);
    let done = false;
    const once = async <T>(inner: () => Promise<T>): Promise<T> => {
      if (done) return inner();
      done = true;
      await before();
      const result = await inner();
      await after();
      return result;
    };
    return {
      read: (id) => (call === 'read' ? once(() => real.read(id)) : real.read(id)),
      updateStructure: (id, changes) => real.updateStructure(id, changes),
      writeCells: (id, writes) => (call === 'writeCells' ? once(() => real.writeCells(id, writes)) : real.writeCells(id, writes)),
    };
  }

  it('an override stored after the run read Firestore, its cells written into the sheet before the run read it: the run does not put the stale tier back', async () => {
    await runNightlyBranch(deps, 'B01', today);
    let fresh: Record<string, string> = {};
    // Between the run's Firestore read and its sheet read: the manager's override is stored and
    // its cells written to the sheet. Right after the run's sheet read, they type N2's phone.
    const gateway = around(
      'read',
      async () => void (fresh = await managerOverridesN2()),
      () => typeForN2('手机号码', '13800138000'),
    );
    const report = await runNightlyBranch({ ...deps, sheets: gateway }, 'B01', tomorrow);
    expect(fresh['当前等级']).toBe('中银财富管理客户');
    const sheet = await customerSheet();
    // Evaluated from the facts read before the edit, N2 would be 普通客户, which differs from the
    // sheet as read (中银财富管理客户) and would have been written back over it.
    expect(sheet.at('N2', '当前等级')).toBe('中银财富管理客户');
    expect(sheet.at('N2', '下一等级')).toBe(fresh['下一等级']);
    // typed after our read, in an editable column: never written by the run
    expect(sheet.at('N2', '手机号码')).toBe('13800138000');
    expect(report.reevaluated).toEqual(['N2']);
    expect(report.sheetRequests).toBe(2);
  });

  it('an override stored while the run writes: the stale cells it just wrote are put right with one more request', async () => {
    await runNightlyBranch(deps, 'B01', today);
    // Someone typed over N2's 当前等级 (a computed cell, protected with a warning): tonight's plan
    // rewrites it — with 普通客户, evaluated before the edit below.
    await typeForN2('当前等级', '手填');
    // The edit is stored and its cells written to the sheet just before the run's write lands.
    const gateway = around('writeCells', async () => void (await managerOverridesN2()));
    const before = server.countRequests(spreadsheetId);
    const report = await runNightlyBranch({ ...deps, sheets: gateway }, 'B01', tomorrow);
    expect((await customerSheet()).at('N2', '当前等级')).toBe('中银财富管理客户');
    expect(report.reevaluated).toEqual(['N2']);
    // read, values, and the correction (the override's own write-back is the 4th request seen)
    expect(report.sheetRequests).toBe(3);
    const ops = server.requests.filter((r) => r.spreadsheetId === spreadsheetId).slice(before).map((r) => r.operation);
    // the override's own write-back (just before the run's write lands), then the run's write and its correction, by the columns' tags
    expect(ops.filter((o) => o !== 'values.get')).toEqual(['spreadsheets.get', 'values.batchUpdate', 'values.batchUpdateByDataFilter', 'values.batchUpdateByDataFilter']);
    // the correction carries N2's computed cells only: row 3 of each of the 11 computed columns
    const correction = server.requests.filter((r) => r.spreadsheetId === spreadsheetId && r.operation === 'values.batchUpdateByDataFilter').at(-1)!.body as { data: { dataFilter: { developerMetadataLookup: { metadataValue: string } }; values: unknown[][] }[] };
    expect(correction.data.map((d) => d.dataFilter.developerMetadataLookup.metadataValue)).toEqual([...COMPUTED_HEADERS]);
    expect(correction.data.every((d) => d.values[0]!.length === 3 && d.values[0]![0] === null && d.values[0]![1] === null)).toBe(true);
  });

  it('without an edit there is no second look at the sheet: a refused edit changes nothing and costs nothing', async () => {
    await runNightlyBranch(deps, 'B01', today);
    const gateway = around('read', async () => {
      await processSheetEdit({ db, scheme, standards, now: () => new Date(), today: () => tomorrow }, createTierEngine(scheme), {
        branchId: 'B01',
        spreadsheetId,
        editor: 'li@bank',
        rows: [{ row: 3, customerId: 'N2', cells: { 手机号码: '123' } }],
      });
    });
    const report = await runNightlyBranch({ ...deps, sheets: gateway }, 'B01', tomorrow);
    expect((await db.collection('editLog').where('accepted', '==', false).get()).size).toBe(1);
    expect(report.reevaluated).toEqual([]);
    expect(report.sheetRequests).toBe(2);
  });
});
