import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackoffPolicy } from '../../functions/sheets/backoff.js';
import { googleSheetsGateway, tabValues, type SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { createRequestPacer } from '../../functions/sheets/request-pacer.js';
import { COMPUTED_HEADERS, CUSTOMER_HEADERS, CUSTOMER_TAB, LIST_TABS, type ListTabName } from '../../shared/sheets/branch-layout.js';
import { planBranchSheet, type BranchSheetPlan } from '../../shared/sheets/branch-sheet-sync.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';
import { COLUMN_METADATA_KEY, TAB_METADATA_KEY } from '../../shared/sheets/sheet-contract.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * The Google Sheets gateway with the real googleapis client over real HTTP, against the
 * project's Sheets API test server: one read, the missing structure in one batch, the changed
 * cells in one RAW batch; columns found again after a manager renames, moves or deletes
 * them; backoff through injected 429s and 500s.
 */

let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let gateway: SheetsGateway;
const waits: number[] = [];
const policy: BackoffPolicy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 50, budgetMs: 1_000, random: () => 0.5, sleep: async (ms) => void waits.push(ms) };

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  gateway = googleSheetsGateway(sheets, policy);
});
afterAll(() => server.close());

async function newSpreadsheet(): Promise<string> {
  const created = await sheets.spreadsheets.create({ requestBody: { properties: { title: '城东支行' } } });
  return created.data.spreadsheetId!;
}

const cells = (tier: string, status = '正常'): ComputedCells =>
  ({ 当前等级: tier, 月日均资产: '850000.00', 下一等级: '中银财富管理客户', 距下一等级差额: '150000.00', 本月需补足: '', 降级预警: '', 下次联系截止: '2026-11-30', 联系状态: status, 建档完整度: '100%', 产品数: '3', 更新时间: '2026-11-29' }) as ComputedCells;

const noLists = Object.fromEntries(LIST_TABS.map((t) => [t.name, []])) as unknown as Record<ListTabName, string[][]>;
const content = (customers: [string, ComputedCells][], lists = noLists) => ({ computed: new Map(customers), initial: new Map(), lists });

/** one nightly sync by hand: read, plan, structure, values; with the requests it cost */
async function sync(id: string, c: ReturnType<typeof content>): Promise<{ plan: BranchSheetPlan; requests: number }> {
  const before = server.countRequests(id);
  const plan = planBranchSheet(await gateway.read(id), c);
  await gateway.updateStructure(id, plan.structure);
  await gateway.writeCells(id, plan.writes);
  return { plan, requests: server.countRequests(id) - before };
}

async function customerValues(id: string): Promise<string[][]> {
  return (await sheets.spreadsheets.values.get({ spreadsheetId: id, range: `'${CUSTOMER_TAB}'` })).data.values as string[][];
}

async function tabOf(id: string, title: string): Promise<sheets_v4.Schema$Sheet> {
  const got = await sheets.spreadsheets.get({ spreadsheetId: id, fields: 'sheets(properties(sheetId,title),developerMetadata,protectedRanges,conditionalFormats,data.columnMetadata.developerMetadata)' });
  return got.data.sheets!.find((s) => s.properties?.title === title)!;
}

describe('the Google Sheets gateway', () => {
  it('first run: three requests (read, structure, values); the second run: one read and nothing else', async () => {
    const id = await newSpreadsheet();
    const c = content([['C1', cells('中银理财客户', '逾期')], ['C2', cells('普通客户')]], { ...noLists, 待办: [['T1', 'C1', '李经理', '联络', '第1次月度联络', '2026-11-05', '逾期']] });
    const first = await sync(id, c);
    expect(first.requests).toBe(3);
    expect(server.requests.filter((r) => r.spreadsheetId === id).map((r) => r.operation)).toEqual(['spreadsheets.get', 'spreadsheets.batchUpdate', 'values.batchUpdateByDataFilter']);
    expect(first.plan.tabsAdded).toEqual(['客户名单', '升级名单', '降级预警', '待办', '考核']);

    const second = await sync(id, c);
    expect(second.plan.structure).toEqual([]);
    expect(second.plan.writes).toEqual([]);
    expect(second.requests).toBe(1);

    // what the first run left: values, a tag on every layout column and tab, protections, colours
    const values = await customerValues(id);
    expect(values[0]).toEqual([...CUSTOMER_HEADERS]);
    expect(values[1]?.[0]).toBe('C1');
    expect(values[1]?.[CUSTOMER_HEADERS.indexOf('联系状态')]).toBe('逾期');
    expect(server.state.values(id, '待办')[1]).toEqual(['T1', 'C1', '李经理', '联络', '第1次月度联络', '2026-11-05', '逾期']);
    const tab = await tabOf(id, CUSTOMER_TAB);
    expect(tab.developerMetadata).toEqual([expect.objectContaining({ metadataKey: TAB_METADATA_KEY, metadataValue: '客户名单', visibility: 'DOCUMENT' })]);
    const tags = tab.data![0]!.columnMetadata!.map((c) => c.developerMetadata?.find((m) => m.metadataKey === COLUMN_METADATA_KEY)?.metadataValue ?? null);
    expect(tags).toEqual([...CUSTOMER_HEADERS, null, null]); // 24 layout columns of 26
    expect(tab.protectedRanges).toHaveLength(12);
    expect(tab.protectedRanges!.every((p) => p.warningOnly === true && p.editors === undefined)).toBe(true);
    expect(tab.protectedRanges!.find((p) => p.description?.startsWith('[wealth-ladder:列 当前等级]'))?.range).toEqual({ sheetId: tab.properties!.sheetId, startColumnIndex: 13, endColumnIndex: 14 }); // every row
    // 联系状态 is column 21 (index 20): three rules from row 2 down; FFC7CE = (255, 199, 206) / 255
    expect(tab.conditionalFormats?.map((r) => [r.booleanRule?.condition?.values?.[0]?.userEnteredValue, r.ranges?.[0]?.startColumnIndex, r.ranges?.[0]?.startRowIndex])).toEqual([
      ['本周', 20, 1],
      ['今日', 20, 1],
      ['逾期', 20, 1],
    ]);
    expect(tab.conditionalFormats?.[2]?.booleanRule?.format).toEqual({ backgroundColorStyle: { rgbColor: { red: 1, green: 199 / 255, blue: 206 / 255 } } });
    const tasks = await tabOf(id, '待办');
    expect(tasks.protectedRanges).toEqual([expect.objectContaining({ description: '[wealth-ladder:表 待办] 系统生成的名单，每晚重写；请勿手工修改', warningOnly: true, range: { sheetId: tasks.properties!.sheetId } })]);
  });

  it('a manager renames 当前等级 to 等级 and drags it to column A: found by its metadata, written there, nothing appended or added', async () => {
    const id = await newSpreadsheet();
    await sync(id, content([['C1', cells('中银理财客户')]]));
    const sheetId = (await tabOf(id, CUSTOMER_TAB)).properties!.sheetId!;
    await sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ moveDimension: { source: { sheetId, dimension: 'COLUMNS', startIndex: 13, endIndex: 14 }, destinationIndex: 0 } }] } });
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId: id, requestBody: { valueInputOption: 'RAW', data: [{ range: `'${CUSTOMER_TAB}'!A1`, values: [['等级']] }] } });

    const next = await sync(id, content([['C1', cells('中银财富管理客户')]]));
    expect(next.plan.structure).toEqual([]); // the tag, the protection and the column moved together
    expect(next.plan.writes).toEqual([{ tab: CUSTOMER_TAB, row: 2, column: 1, value: '中银财富管理客户', sheetId, header: '当前等级' }]);
    expect(next.requests).toBe(2);
    const values = await customerValues(id);
    expect(values[0]?.slice(0, 2)).toEqual(['等级', '客户号']);
    expect(values[0]).not.toContain('当前等级'); // never duplicated
    expect(values[1]?.[0]).toBe('中银财富管理客户');
  });

  it('a manager sorts the rows and types in their own column and an editable one: rows found by 客户号, their cells untouched, = stays text', async () => {
    const id = await newSpreadsheet();
    await sync(id, content([['C1', cells('中银理财客户')], ['C2', cells('普通客户')], ['C3', cells('普通客户')]]));
    const sheetId = (await tabOf(id, CUSTOMER_TAB)).properties!.sheetId!;
    // column Y (25) is theirs; 手机 is column D (4); then they sort rows 2–4 by 客户号 descending
    await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: { valueInputOption: 'RAW', data: [{ range: `'${CUSTOMER_TAB}'!Y1:Y2`, values: [['我的备注'], ['=老客户']] }, { range: `'${CUSTOMER_TAB}'!D2`, values: [['13800000000']] }] },
    });
    await sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ sortRange: { range: { sheetId, startRowIndex: 1, endRowIndex: 4, startColumnIndex: 0, endColumnIndex: 25 }, sortSpecs: [{ dimensionIndex: 0, sortOrder: 'DESCENDING' }] } }] } });
    expect((await customerValues(id)).slice(1).map((r) => r[0])).toEqual(['C3', 'C2', 'C1']);

    const next = await sync(id, content([['C1', cells('中银财富管理客户')], ['C2', cells('普通客户')], ['C3', cells('中银理财客户')]]));
    expect(next.plan.writes).toEqual([
      { tab: CUSTOMER_TAB, row: 2, column: 14, value: '中银理财客户', sheetId, header: '当前等级' },
      { tab: CUSTOMER_TAB, row: 4, column: 14, value: '中银财富管理客户', sheetId, header: '当前等级' },
    ]);
    const values = await customerValues(id);
    expect(values[3]?.[24]).toBe('=老客户'); // C1's row (now row 4): their note moved with the row and was not touched
    expect(values[3]?.[3]).toBe('13800000000');
    expect(server.state.cell(id, CUSTOMER_TAB, 4, 24)).toEqual({ value: '=老客户', formula: false });
  });

  it('a deleted computed column comes back at the end, tagged and protected; a deleted colour rule is added back, alone', async () => {
    const id = await newSpreadsheet();
    await sync(id, content([['C1', cells('中银理财客户', '今日')]]));
    const sheetId = (await tabOf(id, CUSTOMER_TAB)).properties!.sheetId!;
    // the manager deletes 产品数 (column W, index 22) and the 今日 rule (index 1 of 本周, 今日, 逾期)
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [{ deleteDimension: { range: { sheetId, dimension: 'COLUMNS', startIndex: 22, endIndex: 23 } } }, { deleteConditionalFormatRule: { sheetId, index: 1 } }] },
    });
    const next = await sync(id, content([['C1', cells('中银理财客户', '今日')]]));
    expect(next.plan.structure.map((c) => c.kind)).toEqual(['tagColumn', 'protect', 'colourWhenText']);
    expect(next.requests).toBe(3);
    const values = await customerValues(id);
    expect(values[0]?.[23]).toBe('产品数'); // 23 columns left after the deletion; it comes back as the 24th
    expect(values[1]?.[23]).toBe('3');
    const tab = await tabOf(id, CUSTOMER_TAB);
    expect(tab.protectedRanges).toHaveLength(12);
    expect(tab.conditionalFormats?.map((r) => r.booleanRule?.condition?.values?.[0]?.userEnteredValue).sort()).toEqual(['今日', '本周', '逾期'].sort());
    expect((await sync(id, content([['C1', cells('中银理财客户', '今日')]]))).requests).toBe(1);
  });

  it('grows a tab too small for the rows it must hold in the same structural batch', async () => {
    const created = await sheets.spreadsheets.create({ requestBody: { sheets: [{ properties: { title: CUSTOMER_TAB, gridProperties: { rowCount: 2, columnCount: 26 } } }] } });
    const id = created.data.spreadsheetId!;
    const sheetId = created.data.sheets![0]!.properties!.sheetId!;
    // 3 customers need rows 2–4 of a 2-row tab: 4 − 2 + 100 = 102 rows more
    const first = await sync(id, content([['C1', cells('普通客户')], ['C2', cells('普通客户')], ['C3', cells('普通客户')]]));
    expect(first.plan.structure.filter((c) => c.kind === 'growTab')).toEqual([{ kind: 'growTab', sheetId, dimension: 'ROWS', by: 102 }]);
    expect(first.requests).toBe(3);
    expect((await customerValues(id)).map((r) => r[0])).toEqual(['客户号', 'C1', 'C2', 'C3']);
  });

  it('a branch of 2,500 customers: three requests the first night, one when nothing changed', async () => {
    const id = await newSpreadsheet();
    const many = content(Array.from({ length: 2_500 }, (_, i): [string, ComputedCells] => [`C${String(i + 1).padStart(5, '0')}`, cells(i % 2 === 0 ? '普通客户' : '中银理财客户')]));
    const first = await sync(id, many);
    expect(first.requests).toBe(3);
    // the header and 2,500 rows end at row 2,501: the new tab is made 2,501 + 100 rows tall
    expect(first.plan.structure.find((c) => c.kind === 'addTab' && c.title === CUSTOMER_TAB)).toMatchObject({ rows: 2_601, columns: 26 });
    const values = await customerValues(id);
    expect(values).toHaveLength(2_501);
    expect(values[2_500]?.[0]).toBe('C02500');
    expect((await sync(id, many)).requests).toBe(1);
  });

  it('backs off through injected 429s and 500s on every call (a structure batch answered 503 read again before it is resent)', async () => {
    const id = await newSpreadsheet();
    waits.length = 0;
    server.failNext(1, 429, (r) => r.spreadsheetId === id && r.operation === 'spreadsheets.get');
    server.failNext(1, 503, (r) => r.spreadsheetId === id && r.operation === 'spreadsheets.batchUpdate');
    server.failNext(2, 429, (r) => r.spreadsheetId === id && r.operation === 'values.batchUpdateByDataFilter');
    server.failNext(1, 500, (r) => r.spreadsheetId === id && r.operation === 'values.batchUpdateByDataFilter');
    const run = await sync(id, content([['C1', cells('普通客户')]]));
    expect(waits).toEqual([5, 5, 5, 10, 20]); // 0.5 × 10 on each first retry; values: 0.5 × 10, × 20, × 40
    expect(server.requests.filter((r) => r.spreadsheetId === id).map((r) => `${r.operation} ${r.status}`)).toEqual([
      'spreadsheets.get 429',
      'spreadsheets.get 200',
      'spreadsheets.batchUpdate 503',
      // a 5xx leaves open whether the batch was applied: read again, and (nothing there) the batch resent
      'spreadsheets.get 200',
      'spreadsheets.batchUpdate 200',
      'values.batchUpdateByDataFilter 429',
      'values.batchUpdateByDataFilter 429',
      'values.batchUpdateByDataFilter 500',
      'values.batchUpdateByDataFilter 200',
    ]);
    expect(run.plan.writes.length).toBeGreaterThan(0);
    expect(tabValues(await gateway.read(id), CUSTOMER_TAB)[1]?.[0]).toBe('C1');
  });

  it('writes one entry per column, found by its tag, skipping the rows above with null, in RAW', async () => {
    const id = await newSpreadsheet();
    await sync(id, content([['C1', cells('普通客户')]]));
    const before = server.requests.length;
    // 当前等级 (14) and 建档完整度 (22) of C1 (row 2) change: one entry per column, row 1 a null; 客户名单 is sheet 1 (Sheet1 is 0)
    await sync(id, content([['C1', { ...cells('中银理财客户'), 建档完整度: '50%' }]]));
    const write = server.requests.slice(before).find((r) => r.operation === 'values.batchUpdateByDataFilter');
    const byTag = (header: string) => ({
      developerMetadataLookup: { metadataKey: COLUMN_METADATA_KEY, metadataValue: header, locationType: 'COLUMN', metadataLocation: { dimensionRange: { sheetId: 1, dimension: 'COLUMNS' } }, locationMatchingStrategy: 'INTERSECTING_LOCATION' },
    });
    expect(write?.body).toEqual({
      valueInputOption: 'RAW',
      data: [
        { dataFilter: byTag('当前等级'), majorDimension: 'COLUMNS', values: [[null, '中银理财客户']] },
        { dataFilter: byTag('建档完整度'), majorDimension: 'COLUMNS', values: [[null, '50%']] },
      ],
    });
    expect(COMPUTED_HEADERS.indexOf('建档完整度') - COMPUTED_HEADERS.indexOf('当前等级')).toBe(8);
    expect((await customerValues(id))[1]?.[15]).toBe('中银财富管理客户'); // 下一等级 (column P) was a null: left as it was
  });

  it('waits for the shared per-minute pacer before every attempt, retries included', async () => {
    const id = await newSpreadsheet();
    let now = 0;
    const pacerWaits: number[] = [];
    // a fake clock (test double): time moves only when the pacer sleeps
    const pacer = createRequestPacer({ perMinute: 2, now: () => now, sleep: async (ms) => void (pacerWaits.push(ms), (now += ms)) });
    const paced = googleSheetsGateway(sheets, policy, pacer);
    server.failNext(1, 429, (r) => r.spreadsheetId === id && r.operation === 'spreadsheets.get');
    await paced.read(id); // two attempts: the 429 and the retry, both at t = 0
    await paced.read(id); // third request: waits for the first slot to leave the minute
    expect(pacer.stats()).toEqual({ acquired: 3, waitedMs: 60_000 });
    expect(pacerWaits).toEqual([60_000]);
  });
});
