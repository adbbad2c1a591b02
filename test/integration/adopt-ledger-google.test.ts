import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { google, type sheets_v4 } from 'googleapis';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { bundledStandards, DEFAULT_STANDARDS_ID } from '../../shared/service/bundled-standards.js';
import { COMPUTED_HEADERS } from '../../shared/sheets/branch-layout.js';
import { runNightlyBranch, type NightlyBranchDeps } from '../../functions/nightly/run-branch.js';
import { googleSheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { expectTestLedgerPreview } from '../support/ledger-preview-expectations.js';
import { branchCells, createLedgerSpreadsheet, LEDGER_ROWS, LEDGER_SHEET_ID, LEDGER_TAB, LEDGER_WIDTH } from '../support/ledger-spreadsheet.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * Adopting a branch's own ledger kept in a Google spreadsheet, as an operator does it: the CLI
 * (`ladder adopt --spreadsheet ID`) against the test run's Firestore emulator and the Sheets API
 * test server, the ledger built on it through googleapis the way a manager's typing builds it
 * (test/support/ledger-spreadsheet.ts: the same ledger as the .xlsx test's). Then the preview
 * (nothing written: no request but the read), the adoption (binding recorded as developer
 * metadata, spreadsheet registered, archive read in through the sheet-edit path), the nightly run
 * writing the ledger in place, a manager who sorts rows and inserts a column through the API, and
 * the next nightly run. Every one of the branch's own cells — values and formulas (read with
 * valueRenderOption FORMULA), and the merges — is compared before and after each step.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const ladderJs = join(root, 'dist/functions/cli/ladder.js');
const project = 'adopt-ledger-google';
const { db, host, clear } = testFirestore(project);
const now = DateTime.now().setZone('Asia/Shanghai');
const today = parseCivilDay(now.toISODate()!)!;
const lastMonth = now.minus({ months: 1 });
const scheme = bundledScheme('boc')!;
const standards = bundledStandards(DEFAULT_STANDARDS_ID)!;
const B01 = ['0031000001', '0031000002', '0031000003', '0031000004', '0031000005', '0031000006'];
const BRANCH_TABS = { [LEDGER_TAB]: { rows: LEDGER_ROWS, columns: LEDGER_WIDTH }, 说明: { rows: 1, columns: 1 }, 汇总: { rows: 1, columns: 2 } };

let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let nightly: NightlyBranchDeps;
let ledger = '';

/** the CLI as a child process (asynchronously: the Sheets API test server answers from this process) */
function ladder(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project, SHEETS_API_ROOT: server.url };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ladderJs, ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** the operations the server was asked for on one spreadsheet since `from` (an index into server.requests) */
const operationsSince = (from: number, spreadsheetId = ledger) => server.requests.slice(from).filter((r) => r.spreadsheetId === spreadsheetId).map((r) => r.operation);

/** one tab's cells as shown (formatted values), row by row; '' for an empty cell */
async function shown(tab: string): Promise<string[][]> {
  const got = await sheets.spreadsheets.values.get({ spreadsheetId: ledger, range: `'${tab}'` });
  return (got.data.values ?? []) as string[][];
}
const at = (rows: string[][], row: number, column: number) => rows[row - 1]?.[column - 1] ?? '';

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  nightly = { db, scheme, standards, sheets: googleSheetsGateway(sheets), now: () => new Date() };
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', name: '城东支行', parentId: null, spreadsheetId: null, managers: [] });
  batch.set(db.collection('branches').doc('B02'), { branchId: 'B02', name: '城西支行', parentId: null, spreadsheetId: null, managers: [] });
  const customers: [string, string, Record<string, string>][] = [...B01.map((id): [string, string, Record<string, string>] => [id, 'B01', {}]), ['0032000001', 'B02', {}]];
  // what the bank's master already holds: 0031000001's mobile agrees with the ledger, 0031000002's does not
  customers[0]![2] = { mobile: '13800000001' };
  customers[1]![2] = { mobile: '13800000002' };
  const days = lastMonth.daysInMonth!;
  customers.forEach(([id, branchId, archive], k) => {
    batch.set(db.collection('customers').doc(id), { customerId: id, branchId, profile: { archive, servicePlan: {} } });
    // (k + 1) × 100,000.00 yuan each day of last month: 0031000002 onwards are 中银理财 (≥ 200,000)
    const daily = (k + 1) * 10_000_000;
    batch.set(db.collection('facts').doc(`${id}_${lastMonth.toFormat('yyyy-MM')}`), { customerId: id, branchId, month: lastMonth.toFormat('yyyy-MM'), summary: { s: daily * days, e: daily, l: 0, c: 0, t: 0, p: ['DEP'] } });
  });
  await batch.commit();
  ledger = await createLedgerSpreadsheet(sheets);
});
afterAll(async () => {
  await server?.close();
  await db.terminate();
});

describe('ladder adopt --spreadsheet ID', () => {
  it('previews with --dry-run --json: the same recognition as the workbook’s; the spreadsheet is only read', async () => {
    const before = await branchCells(sheets, ledger, BRANCH_TABS);
    const from = server.requests.length;
    const run = await ladder(['adopt', '--spreadsheet', ledger, '--branch', 'B01', '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('dry run, nothing was written');
    expect(operationsSince(from)).toEqual(['spreadsheets.get']);
    const preview = JSON.parse(run.stdout);
    expectTestLedgerPreview(preview);
    expect(preview.applied).toBeNull();
    expect(await branchCells(sheets, ledger, BRANCH_TABS)).toEqual(before);
    expect((await db.collection('branches').doc('B01').get()).get('spreadsheetId')).toBeNull();
  });

  it('exits 2 with why: no key column anywhere; a spreadsheet registered to another branch (not even read); one the system cannot open', async () => {
    const bare = (await sheets.spreadsheets.create({ requestBody: { properties: { title: 'no key' } } })).data.spreadsheetId!;
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId: bare, requestBody: { valueInputOption: 'USER_ENTERED', data: [{ range: 'Sheet1!A1', values: [['姓名', '电话']] }] } });
    const json = await ladder(['adopt', '--spreadsheet', bare, '--branch', 'B01', '--dry-run', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problems: [{ code: 'NO_KEY_COLUMN' }] });
    const plain = await ladder(['adopt', '--spreadsheet', bare, '--branch', 'B01', '--dry-run']);
    expect(plain.code).toBe(2);
    expect(plain.stdout).toContain('找不到客户号列');

    const theirs = (await sheets.spreadsheets.create({ requestBody: { properties: { title: '城西支行' } } })).data.spreadsheetId!;
    await db.collection('branches').doc('B02').update({ spreadsheetId: theirs });
    const from = server.requests.length;
    const taken = await ladder(['adopt', '--spreadsheet', theirs, '--branch', 'B01', '--json']);
    expect(taken.code).toBe(2);
    expect(JSON.parse(taken.stdout)).toMatchObject({ ok: false, problems: [{ code: 'SPREADSHEET_OF_ANOTHER_BRANCH' }] });
    expect(operationsSince(from, theirs)).toEqual([]);
    expect((await db.collection('branches').doc('B02').get()).get('spreadsheetId')).toBe(theirs);
    expect((await db.collection('branches').doc('B01').get()).get('spreadsheetId')).toBeNull();

    const missing = await ladder(['adopt', '--spreadsheet', 'no-such-spreadsheet', '--branch', 'B01', '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, problems: [{ code: 'SPREADSHEET_NOT_READABLE', zh: expect.stringContaining('共享') }] });
    const both = await ladder(['adopt', 'ledger.xlsx', '--spreadsheet', ledger, '--branch', 'B01']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
  });

  it('adopts: the binding as developer metadata in one batch, the spreadsheet registered, the archive read in through the sheet-edit path; no cell written', async () => {
    const before = await branchCells(sheets, ledger, BRANCH_TABS);
    const from = server.requests.length;
    const run = await ladder(['adopt', '--spreadsheet', ledger, '--branch', 'B01', '--json', '--editor', 'wang@branch']);
    expect(run.code, run.stderr).toBe(0);
    expect(operationsSince(from)).toEqual(['spreadsheets.get', 'spreadsheets.batchUpdate']);
    const report = JSON.parse(run.stdout);
    expect(report.applied).toMatchObject({ spreadsheetId: ledger, registration: 'registered now', replaced: null });
    expect(report.applied.archive.accepted).toBe(3);
    expect(report.applied.archive.refused).toEqual([{ row: 8, customerId: '0031000003', field: '手机号码', zh: expect.stringContaining('手机号码') }]);
    expect(await branchCells(sheets, ledger, BRANCH_TABS)).toEqual(before);

    const search = async (key: string) => (await sheets.spreadsheets.developerMetadata.search({ spreadsheetId: ledger, requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: key } }] } })).data.matchedDeveloperMetadata ?? [];
    const tab = await search('wealth-ladder.tab');
    expect(tab.map((m) => [m.developerMetadata?.location?.sheetId, m.developerMetadata?.metadataValue])).toEqual([[LEDGER_SHEET_ID, '客户名单']]);
    const binding = await search('wealth-ladder.binding');
    expect(binding.map((m) => m.developerMetadata?.location?.sheetId)).toEqual([LEDGER_SHEET_ID]);
    expect(JSON.parse(binding[0]!.developerMetadata!.metadataValue!)).toEqual({ version: 1, headerRow: 4, headerRows: 2, keyHeader: '客户编号', missing: 'list' });
    const columns = Object.fromEntries((await search('wealth-ladder.column')).map((m) => [String.fromCharCode(65 + m.developerMetadata!.location!.dimensionRange!.startIndex!), m.developerMetadata!.metadataValue]));
    expect(columns).toEqual({ B: '客户号', E: '手机号码', F: '家庭住址', G: '工作单位', H: '风险特征', K: '最近联系日期' });

    expect((await db.collection('branches').doc('B01').get()).get('spreadsheetId')).toBe(ledger);
    const one = await db.collection('customers').doc('0031000001').get();
    expect(one.get('profile.archive')).toEqual({ mobile: '13800000001', homeAddress: '城东路1号', riskProfile: 'C3' });
    expect((await db.collection('customers').doc('0031000002').get()).get('profile.archive.mobile')).toBe('13800000002');
    expect((await db.collection('customers').doc('0031000003').get()).get('profile.archive')).toEqual({ employer: '市医院' });
    const log = await db.collection('editLog').where('branchId', '==', 'B01').get();
    expect(log.docs.map((d) => `${d.get('customerId')} ${d.get('column')} ${d.get('accepted')} ${d.get('spreadsheetId')} ${d.get('editor')}`).sort()).toEqual([
      `0031000001 家庭住址 true ${ledger} wang@branch`,
      `0031000001 风险特征 true ${ledger} wang@branch`,
      `0031000003 工作单位 true ${ledger} wang@branch`,
      `0031000003 手机号码 false ${ledger} wang@branch`,
    ]);
  });

  it('the nightly run writes the adopted ledger in place: computed columns after its last column, nothing of the branch’s touched, missing customers listed', async () => {
    const before = await branchCells(sheets, ledger, BRANCH_TABS);
    const report = await runNightlyBranch(nightly, 'B01', today);
    expect(report).toMatchObject({ spreadsheetId: ledger, sheetProblems: [] });
    expect(await branchCells(sheets, ledger, BRANCH_TABS)).toEqual(before);
    const rows = await shown(LEDGER_TAB);
    COMPUTED_HEADERS.forEach((h, i) => expect(at(rows, 4, 13 + i), h).toBe(h));
    // 0031000001 averaged 100,000 last month: 普通客户; 0031000002 200,000: 中银理财客户; 0031000003 300,000
    expect(at(rows, 5, 13)).toBe('普通客户');
    expect(at(rows, 6, 13)).toBe('中银理财客户');
    expect(at(rows, 8, 13)).toBe('中银理财客户');
    for (const row of [1, 2, 3, 7, 9, 10, 11, 12, 13, 14, 15]) for (let c = 13; c <= 23; c++) expect(at(rows, row, c), `row ${row} column ${c}`).toBe('');
    expect((await shown('未入台账')).slice(1).map((r) => r[0])).toEqual(['0031000004', '0031000005', '0031000006']);
    const titles = (await sheets.spreadsheets.get({ spreadsheetId: ledger, fields: 'sheets.properties.title' })).data.sheets?.map((s) => s.properties?.title);
    expect(titles).toEqual(['说明', LEDGER_TAB, '汇总', '升级名单', '降级预警', '待办', '考核', '未入台账']);
    // no protection on the branch's ledger; its list tabs are protected as any branch's
    const protectedRanges = (await sheets.spreadsheets.get({ spreadsheetId: ledger, fields: 'sheets(properties.sheetId,protectedRanges.range)' })).data.sheets?.flatMap((s) => s.protectedRanges ?? []) ?? [];
    expect(protectedRanges.filter((p) => (p.range?.sheetId ?? 0) === LEDGER_SHEET_ID)).toEqual([]);

    // a re-run the same day finds nothing to do: one read, nothing appended a second time
    const again = await runNightlyBranch(nightly, 'B01', today);
    expect(again).toMatchObject({ cellsWritten: 0, structureChanges: 0, sheetRequests: 1 });
  });

  it('a manager sorts the rows and inserts a column through the API: the next run still writes each customer’s figures on its own row and column, and keeps the branch’s cells', async () => {
    // sort rows 5–6 (every column, the computed ones too) by 客户编号, descending: 0031000002 first
    // then a column of the manager's own after 客户姓名 (C): D3:D4 merged like the others, 性别
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: ledger,
      requestBody: {
        requests: [
          { sortRange: { range: { sheetId: LEDGER_SHEET_ID, startRowIndex: 4, endRowIndex: 6 }, sortSpecs: [{ dimensionIndex: 1, sortOrder: 'DESCENDING' }] } },
          { insertDimension: { range: { sheetId: LEDGER_SHEET_ID, dimension: 'COLUMNS', startIndex: 3, endIndex: 4 }, inheritFromBefore: true } },
          { mergeCells: { range: { sheetId: LEDGER_SHEET_ID, startRowIndex: 2, endRowIndex: 4, startColumnIndex: 3, endColumnIndex: 4 }, mergeType: 'MERGE_ALL' } },
        ],
      },
    });
    await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId: ledger,
      requestBody: { valueInputOption: 'USER_ENTERED', data: [{ range: `'${LEDGER_TAB}'!D3`, values: [['性别'], [''], ['女'], ['男']] }] },
    });
    const wider = { ...BRANCH_TABS, [LEDGER_TAB]: { rows: LEDGER_ROWS, columns: LEDGER_WIDTH + 1 } };
    const before = await branchCells(sheets, ledger, wider);
    // what the API did to the branch's own cells: the title merge widened, the sum follows its column
    expect(before[LEDGER_TAB]!.merges).toContain('A1:M1');
    expect(before[LEDGER_TAB]!.merges).toContain('D3:D4');
    expect(before[LEDGER_TAB]!.cells[12]![9]).toBe('=SUM(J5:J12)');
    expect(before['汇总']!.cells[0]![1]).toBe(`=COUNTA('${LEDGER_TAB}'!B5:B12)`);

    const report = await runNightlyBranch(nightly, 'B01', today);
    expect(report.sheetProblems).toEqual([]);
    expect(await branchCells(sheets, ledger, wider)).toEqual(before);
    const rows = await shown(LEDGER_TAB);
    expect(at(rows, 5, 2)).toBe('0031000002');
    COMPUTED_HEADERS.forEach((h, i) => expect(at(rows, 4, 14 + i), h).toBe(h));
    expect(at(rows, 5, 14)).toBe('中银理财客户');
    expect(at(rows, 6, 14)).toBe('普通客户');
    // nothing appended a second time
    for (let c = 25; c <= 40; c++) expect(at(rows, 4, c), `column ${c}`).toBe('');
    expect((await shown('未入台账')).slice(1).map((r) => r[0])).toEqual(['0031000004', '0031000005', '0031000006']);
  });

  it('a manager renames the key’s header where it is (客户编号 → 客户代码): the next run writes as before, says so, and stores the binding with the new text', async () => {
    await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId: ledger,
      requestBody: { valueInputOption: 'USER_ENTERED', data: [{ range: `'${LEDGER_TAB}'!B3`, values: [['客户代码']] }] },
    });
    // 0031000002's computed 当前等级 (N5 since the column inserted above) emptied: the run must write it again
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId: ledger, requestBody: { valueInputOption: 'RAW', data: [{ range: `'${LEDGER_TAB}'!N5`, values: [['']] }] } });
    expect(at(await shown(LEDGER_TAB), 5, 14)).toBe('');
    const wider = { ...BRANCH_TABS, [LEDGER_TAB]: { rows: LEDGER_ROWS, columns: LEDGER_WIDTH + 1 } };
    const before = await branchCells(sheets, ledger, wider);
    const report = await runNightlyBranch(nightly, 'B01', today);
    expect(report.sheetProblems.map((p) => p.code)).toEqual(['HEADER_RENAMED']);
    expect(await branchCells(sheets, ledger, wider)).toEqual(before);
    expect(at(await shown(LEDGER_TAB), 5, 14)).toBe('中银理财客户');
    const bindings = await sheets.spreadsheets.developerMetadata.search({ spreadsheetId: ledger, requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: 'wealth-ladder.binding' } }] } });
    expect(bindings.data.matchedDeveloperMetadata).toHaveLength(1);
    expect(JSON.parse(bindings.data.matchedDeveloperMetadata![0]!.developerMetadata!.metadataValue!)).toMatchObject({ headerRow: 4, headerRows: 2, keyHeader: '客户代码' });
    // the binding now names 客户代码: the next run finds the header in place, nothing to say
    const again = await runNightlyBranch(nightly, 'B01', today);
    expect(again.sheetProblems).toEqual([]);
  });

  it('adopting it again is refused for another branch and, for its own, re-records the binding in one batch (the old binding deleted by its lookup)', async () => {
    const other = await ladder(['adopt', '--spreadsheet', ledger, '--branch', 'B02', '--dry-run', '--json']);
    expect(other.code).toBe(2);
    expect(JSON.parse(other.stdout).problems[0].code).toBe('SPREADSHEET_OF_ANOTHER_BRANCH');
    const from = server.requests.length;
    const again = await ladder(['adopt', '--spreadsheet', ledger, '--branch', 'B01', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).applied.registration).toBe('registered');
    const structure = server.requests.slice(from).find((r) => r.spreadsheetId === ledger && r.operation === 'spreadsheets.batchUpdate');
    const kinds = ((structure?.body as { requests: Record<string, unknown>[] }).requests ?? []).map((r) => Object.keys(r)[0]);
    expect(kinds).toEqual(['deleteDeveloperMetadata', 'createDeveloperMetadata']);
    const bindings = await sheets.spreadsheets.developerMetadata.search({ spreadsheetId: ledger, requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: 'wealth-ladder.binding' } }] } });
    expect(bindings.data.matchedDeveloperMetadata).toHaveLength(1);
  });
});

describe('a structural change between the run’s read and its write', () => {
  it('the values go by the columns’ tags: a column inserted meanwhile shifts nothing, that night’s values land in their tagged columns', async () => {
    // the next day: 更新时间 (and what else changed) is written for each of the ledger's customers
    const tomorrow = parseCivilDay(now.plus({ days: 1 }).toISODate()!)!;
    const held = server.holdNext('values.batchUpdateByDataFilter', (r) => r.spreadsheetId === ledger);
    const running = runNightlyBranch(nightly, 'B01', tomorrow);
    await held.arrived;
    // the manager inserts a column at A while the write is on its way
    await sheets.spreadsheets.batchUpdate({ spreadsheetId: ledger, requestBody: { requests: [{ insertDimension: { range: { sheetId: LEDGER_SHEET_ID, dimension: 'COLUMNS', startIndex: 0, endIndex: 1 } } }] } });
    held.release();
    await running;
    const header = (await shown(LEDGER_TAB))[3]!;
    const updated = header.indexOf('更新时间') + 1;
    const stamp = now.plus({ days: 1 }).toISODate()!;
    const landed = await shown(LEDGER_TAB);
    for (const id of ['0031000001', '0031000002', '0031000003']) {
      const r = landed.findIndex((line) => line[2] === id) + 1;
      expect(at(landed, r, updated), id).toBe(stamp);
      expect(at(landed, r, updated - 1), id).not.toBe(stamp);
    }
  });
});

describe('ladder unbind --spreadsheet ID', () => {
  it('gives the ledger back: the computed columns emptied with their colour rules, the list tabs and every metadata entry of the system’s deleted, no longer registered; the branch’s cells as they were', async () => {
    // two columns of the branch's since adoption (D, and A inserted while a write was on its way): its own are A–N, the system's O–Y
    const branchTabs = { ...BRANCH_TABS, [LEDGER_TAB]: { rows: LEDGER_ROWS, columns: LEDGER_WIDTH + 2 } };
    const before = await branchCells(sheets, ledger, branchTabs);
    const rulesOnLedger = async () => (await sheets.spreadsheets.get({ spreadsheetId: ledger, fields: 'sheets(properties.sheetId,conditionalFormats)' })).data.sheets?.find((s) => s.properties?.sheetId === LEDGER_SHEET_ID)?.conditionalFormats ?? [];
    expect((await rulesOnLedger()).length).toBeGreaterThan(0);
    expect(at(await shown(LEDGER_TAB), 4, 15)).toBe(COMPUTED_HEADERS[0]);

    const unbound = await ladder(['unbind', '--spreadsheet', ledger]);
    expect(unbound.code, unbound.stderr).toBe(0);
    expect(unbound.stderr).toContain(`no longer registered as branch B01's spreadsheet`);

    expect(await branchCells(sheets, ledger, branchTabs)).toEqual(before);
    const rows = await shown(LEDGER_TAB);
    for (let row = 1; row <= LEDGER_ROWS; row++) for (let c = 15; c <= 15 + COMPUTED_HEADERS.length; c++) expect(at(rows, row, c), `row ${row} column ${c}`).toBe('');
    expect(await rulesOnLedger()).toEqual([]);
    const titles = (await sheets.spreadsheets.get({ spreadsheetId: ledger, fields: 'sheets.properties.title' })).data.sheets?.map((s) => s.properties?.title);
    expect(titles).toEqual(['说明', LEDGER_TAB, '汇总']);
    const ours = await sheets.spreadsheets.developerMetadata.search({
      spreadsheetId: ledger,
      requestBody: { dataFilters: ['wealth-ladder.tab', 'wealth-ladder.column', 'wealth-ladder.binding'].map((metadataKey) => ({ developerMetadataLookup: { metadataKey } })) },
    });
    expect(ours.data.matchedDeveloperMetadata ?? []).toEqual([]);
    expect((await db.collection('branches').doc('B01').get()).get('spreadsheetId')).toBeNull();

    // no night writes it any more
    const from = server.requests.length;
    const night = await runNightlyBranch(nightly, 'B01', today);
    expect(night.spreadsheetId).toBeNull();
    expect(operationsSince(from)).toEqual([]);

    // and a second unbind says it is not an adopted ledger
    const again = await ladder(['unbind', '--spreadsheet', ledger]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is not an adopted ledger');
  });
});
