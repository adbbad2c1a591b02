import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHeadOfficeSpreadsheet } from '../../functions/head-office/google-head-office.js';
import { CHART_METADATA_KEY } from '../../functions/head-office/google-head-office-charts.js';
import type { BackoffPolicy } from '../../functions/sheets/backoff.js';
import { googleSheetsGateway, rowRuns, type SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { LIST_TABS, TASKS_HEADERS, TASKS_TAB, type ListTabName } from '../../shared/sheets/branch-layout.js';
import { planBranchSheet } from '../../shared/sheets/branch-sheet-sync.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';
import { sampleContent } from '../support/head-office-content.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * Requests Google accepts, and retries that never apply a structure batch twice, with the real
 * googleapis client against the project's Sheets API test server: a structure batch the server
 * applies and then answers 500, or applies and answers later than the client waits (then drops
 * the connection), ends with one of each tab, tag, protection, rule and chart — for the branch
 * gateway and the head-office writer; a 10,000-customer first night (every customer on 待办: over
 * 2 MB whether written by range or by data filter) goes in bodies of at most 2 MB and leaves the same cells as one unsplit write; a body over 10 MiB is refused as Google
 * refuses it.
 */

let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let gateway: SheetsGateway;
// the client gives an attempt 300 ms; the server holds a lost answer far longer
const policy: BackoffPolicy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 50, budgetMs: 1_000, attemptTimeoutMs: 300, random: () => 0.5, sleep: async () => {} };

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  gateway = googleSheetsGateway(sheets, policy, undefined, () => {});
});
afterAll(() => server.close());

const cells = (tier: string): ComputedCells =>
  ({ 当前等级: tier, 月日均资产: '850000.00', 下一等级: '中银财富管理客户', 距下一等级差额: '150000.00', 本月需补足: '', 降级预警: '', 下次联系截止: '2026-11-30', 联系状态: '正常', 建档完整度: '100%', 产品数: '3', 更新时间: '2026-11-29' }) as ComputedCells;
const noLists = Object.fromEntries(LIST_TABS.map((t) => [t.name, []])) as unknown as Record<ListTabName, string[][]>;
const id = (i: number) => `C${String(i + 1).padStart(5, '0')}`;
/** n customers; with `everyoneDue`, a first night on which every customer is on 待办 (a row each) */
const branchContent = (n: number, everyoneDue = false) => ({
  computed: new Map(Array.from({ length: n }, (_, i): [string, ComputedCells] => [id(i), cells(i % 2 === 0 ? '普通客户' : '中银理财客户')])),
  initial: new Map(),
  lists: everyoneDue ? { ...noLists, [TASKS_TAB]: Array.from({ length: n }, (_, i) => TASKS_HEADERS.map((h, k) => (k === 0 ? id(i) : `${h}·${id(i)}`))) } : noLists,
});

async function newSpreadsheet(title = '城东支行'): Promise<string> {
  return (await sheets.spreadsheets.create({ requestBody: { properties: { title } } })).data.spreadsheetId!;
}

/** one nightly sync by hand: read, plan, structure, values */
async function sync(id: string, n: number) {
  const plan = planBranchSheet(await gateway.read(id), branchContent(n));
  await gateway.updateStructure(id, plan.structure);
  await gateway.writeCells(id, plan.writes);
  return plan;
}

/** what the spreadsheet holds of the things a structure batch adds, each counted */
async function structureOf(id: string) {
  const got = (await sheets.spreadsheets.get({ spreadsheetId: id, fields: 'developerMetadata,sheets(properties(sheetId,title),developerMetadata,protectedRanges,conditionalFormats,charts(chartId),data.columnMetadata.developerMetadata)' })).data;
  const tabs = (got.sheets ?? []).map((s) => s.properties!.title!);
  const tabMetadata = (got.sheets ?? []).flatMap((s) => (s.developerMetadata ?? []).map((m) => `${s.properties!.title}:${m.metadataKey}=${m.metadataValue}`));
  const columnMetadata = (got.sheets ?? []).flatMap((s) => (s.data ?? []).flatMap((d) => (d.columnMetadata ?? []).flatMap((c) => (c.developerMetadata ?? []).map((m) => `${s.properties!.title}:${m.metadataValue}`))));
  const protections = (got.sheets ?? []).flatMap((s) => (s.protectedRanges ?? []).map((p) => p.description!));
  const rules = (got.sheets ?? []).flatMap((s) => (s.conditionalFormats ?? []).map((r) => r.booleanRule?.condition?.values?.[0]?.userEnteredValue));
  const charts = (got.sheets ?? []).flatMap((s) => (s.charts ?? []).map((c) => c.chartId));
  const spreadsheetMetadata = (got.developerMetadata ?? []).map((m) => `${m.metadataKey}=${m.metadataValue}`);
  return { tabs, tabMetadata, columnMetadata, protections, rules, charts, spreadsheetMetadata };
}

const duplicates = (xs: readonly unknown[]) => xs.filter((x, i) => xs.indexOf(x) !== i);

const isStructure = (id: string) => (r: { spreadsheetId: string | undefined; operation: string }) => r.spreadsheetId === id && r.operation === 'spreadsheets.batchUpdate';
/** operation and status of each request for `id` since `from`; a values write by range or by data filter alike */
const operations = (id: string, from: number) =>
  server.requests
    .slice(from)
    .filter((r) => r.spreadsheetId === id)
    .map((r) => `${r.operation.startsWith('values.batchUpdate') ? 'values write' : r.operation} ${r.status}`);

describe('a branch structure batch whose answer is lost', () => {
  for (const [what, answer] of [
    ['applied, then answered 500', 500],
    ['applied, answered after the client gave up (connection dropped)', { drop: true, holdMs: 5_000 }],
  ] as const) {
    it(`${what}: read again, nothing sent twice; one of each tab, tag, protection and rule`, async () => {
      // the same first night on a spreadsheet whose answers all arrive: what the structure should be
      const reference = await newSpreadsheet();
      await sync(reference, 3);
      const expected = await structureOf(reference);

      const id = await newSpreadsheet();
      const from = server.requests.length;
      const sentBefore = gateway.requestsSent?.(id) ?? 0;
      server.loseAnswerNext(1, answer, isStructure(id));
      const plan = await sync(id, 3);
      expect(plan.structure.length).toBeGreaterThan(0);
      // the batch (applied, answer lost), the re-read, no second batch, then the values
      expect(operations(id, from)).toEqual(['spreadsheets.get 200', `spreadsheets.batchUpdate ${answer === 500 ? 500 : 0}`, 'spreadsheets.get 200', 'values write 200']);
      expect((gateway.requestsSent?.(id) ?? 0) - sentBefore).toBe(4);
      const got = await structureOf(id);
      expect(got).toEqual(expected);
      for (const list of Object.values(got)) expect(duplicates(list)).toEqual([]);
      // and the next night finds everything in place: one read, nothing else
      const again = server.requests.length;
      await sync(id, 3);
      expect(operations(id, again)).toEqual(['spreadsheets.get 200']);
    });
  }

  it('a 429 is a refusal (nothing applied): the same batch is resent without a re-read', async () => {
    const id = await newSpreadsheet();
    const from = server.requests.length;
    server.failNext(1, 429, isStructure(id));
    await sync(id, 1);
    expect(operations(id, from)).toEqual(['spreadsheets.get 200', 'spreadsheets.batchUpdate 429', 'spreadsheets.batchUpdate 200', 'values write 200']);
  });
});

describe('the head-office structure batch whose answer is lost', () => {
  for (const [what, answer] of [
    ['applied, then answered 500', 500],
    ['applied, answered after the client gave up (connection dropped)', { drop: true, holdMs: 5_000 }],
  ] as const) {
    it(`${what}: planned again from a new read; four tabs, three charts, three chart tags, the cells written`, async () => {
      const id = await newSpreadsheet('总行客户分层汇总');
      const content = sampleContent();
      const from = server.requests.length;
      server.loseAnswerNext(1, answer, isStructure(id));
      const report = await writeHeadOfficeSpreadsheet(sheets, content, { spreadsheetId: id, backoff: policy });
      // the batch (applied, answer lost), the re-read, a second batch of the formats alone (the same set twice), the values
      expect(operations(id, from)).toEqual(['spreadsheets.get 200', `spreadsheets.batchUpdate ${answer === 500 ? 500 : 0}`, 'spreadsheets.get 200', 'spreadsheets.batchUpdate 200', 'values write 200']);
      const second = server.requests.slice(from).filter(isStructure(id))[1]!.body as { requests: Record<string, unknown>[] };
      expect(new Set(second.requests.map((q) => Object.keys(q)[0]))).toEqual(new Set(['repeatCell']));
      expect(report.requests).toBe(5);
      const got = await structureOf(id);
      expect(got.tabs).toEqual(['Sheet1', ...content.tabs.map((t) => t.title)]);
      expect(got.charts).toHaveLength(3);
      expect(got.spreadsheetMetadata.filter((m) => m.startsWith(`${CHART_METADATA_KEY}=`))).toHaveLength(3);
      expect(duplicates(got.charts)).toEqual([]);
      for (const tab of content.tabs) expect(server.state.values(id, tab.title)).toEqual(tab.rows);
    });
  }
});

describe('request sizes Google accepts', () => {
  it('a first night of 10,000 customers, all of them on 待办, goes in values bodies of at most 2 MB each, and leaves every cell as one unsplit write would', async () => {
    // a patient client: each of these writes takes the test server longer than 300 ms
    const patient = googleSheetsGateway(sheets, { ...policy, attemptTimeoutMs: 60_000 });
    const id = await newSpreadsheet();
    const from = server.requests.length;
    const plan = planBranchSheet(await patient.read(id), branchContent(10_000, true));
    await patient.updateStructure(id, plan.structure);
    await patient.writeCells(id, plan.writes);
    const writes = server.requests.slice(from).filter((r) => r.spreadsheetId === id && r.operation.startsWith('values.'));
    expect(writes.length).toBeGreaterThan(1);
    for (const w of writes) expect(w.bodyBytes).toBeLessThanOrEqual(2_000_000);

    // the same plan written in one values.batchUpdate by range (over the recommended size, under the 10 MiB limit)
    const unsplit = await newSpreadsheet();
    const structure = planBranchSheet(await patient.read(unsplit), branchContent(10_000, true)).structure;
    await patient.updateStructure(unsplit, structure);
    const data = rowRuns(plan.writes.map((w) => ({ tab: w.tab, row: w.row, column: w.column, value: w.value })));
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId: unsplit, requestBody: { valueInputOption: 'RAW', data } });
    const body = server.requests.filter((r) => r.spreadsheetId === unsplit && r.operation === 'values.batchUpdate').at(-1)!;
    expect(body.bodyBytes).toBeGreaterThan(2_000_000);
    const tabs = [...new Set(plan.writes.map((w) => w.tab))];
    expect(tabs.length).toBeGreaterThan(0);
    for (const tab of tabs) expect(server.state.values(id, tab)).toEqual(server.state.values(unsplit, tab));
    expect(server.state.values(id, '客户名单')).toHaveLength(10_001);
  });

  it('a body over 10 MiB is refused with Google’s 400 and nothing is written', async () => {
    const id = await newSpreadsheet();
    // 11 × 1,000,000 characters of ASCII: 11 MB of values, over 10,485,760 bytes
    const data = Array.from({ length: 11 }, (_, i) => ({ range: `'Sheet1'!A${i + 1}`, values: [['x'.repeat(1_000_000)]] }));
    const refused = sheets.spreadsheets.values.batchUpdate({ spreadsheetId: id, requestBody: { valueInputOption: 'RAW', data } }, { retry: false });
    await expect(refused).rejects.toMatchObject({ status: 400, message: 'Request payload size exceeds the limit: 10485760 bytes.' });
    const last = server.requests.filter((r) => r.spreadsheetId === id).at(-1)!;
    expect(last.status).toBe(400);
    expect(last.bodyBytes).toBeGreaterThan(10_485_760);
    expect(server.state.values(id, 'Sheet1')).toEqual([]);
  });
});
