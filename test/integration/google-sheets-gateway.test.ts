import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleSheetsGateway, type SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import type { BackoffPolicy } from '../../functions/sheets/backoff.js';
import { CUSTOMER_TAB, CUSTOMER_HEADERS, LIST_TABS } from '../../shared/sheets/branch-layout.js';
import { allWrites, planCustomerSheet } from '../../shared/sheets/customer-sheet-plan.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';
import { gridFromValues } from '../../shared/sheets/column-map.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * The Google Sheets gateway with the real googleapis client over real HTTP, against the
 * project's Sheets API test server: tabs created, one read, one RAW write of changed cells,
 * backoff through injected 429s.
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

const computed = (tier: string): ComputedCells =>
  ({ 当前等级: tier, 月日均资产: '850000.00', 下一等级: '中银财富管理客户', 距下一等级差额: '150000.00', 本月需补足: '', 降级预警: '', 下次联系截止: '2026-11-30', 联系状态: '正常', 建档完整度: '100%', 产品数: '3', 更新时间: '2026-11-29' }) as ComputedCells;

describe('the Google Sheets gateway', () => {
  it('adds only the missing tabs, once', async () => {
    const id = await newSpreadsheet();
    const titles = [CUSTOMER_TAB, ...LIST_TABS.map((t) => t.name)];
    expect(await gateway.ensureTabs(id, titles)).toEqual(titles);
    expect(await gateway.ensureTabs(id, titles)).toEqual([]);
  });

  it('writes every changed cell of a branch in one RAW batchUpdate: a value starting with = stays text', async () => {
    const id = await newSpreadsheet();
    await gateway.ensureTabs(id, [CUSTOMER_TAB]);
    // a manager's sheet: their own column 我的备注 between 客户号 and the layout, one customer
    await gateway.writeCells(id, [
      { tab: CUSTOMER_TAB, row: 1, column: 1, value: '客户号' },
      { tab: CUSTOMER_TAB, row: 1, column: 2, value: '我的备注' },
      { tab: CUSTOMER_TAB, row: 2, column: 1, value: 'C1' },
      { tab: CUSTOMER_TAB, row: 2, column: 2, value: '=老客户' },
    ]);
    const grid = (await gateway.readTabs(id, [CUSTOMER_TAB])).get(CUSTOMER_TAB)!;
    expect(grid[1]).toEqual(['C1', '=老客户']);
    const plan = planCustomerSheet(gridFromValues(grid), { computed: new Map([['C1', computed('中银理财客户')]]) });
    const writes = allWrites(plan).map((w) => ({ tab: CUSTOMER_TAB, row: w.row, column: w.column, value: w.value }));
    const before = server.countRequests(id, 'values.batchUpdate');
    await gateway.writeCells(id, writes);
    expect(server.countRequests(id, 'values.batchUpdate') - before).toBe(1);
    const after = (await gateway.readTabs(id, [CUSTOMER_TAB])).get(CUSTOMER_TAB)!;
    expect(after[0]!.slice(0, 2)).toEqual(['客户号', '我的备注']); // the manager's column stays where it was
    expect(after[0]).toEqual(expect.arrayContaining(CUSTOMER_HEADERS.filter((h) => h !== '客户号')));
    expect(after[1]![1]).toBe('=老客户'); // their cell untouched, and never evaluated
    expect(after[1]![after[0]!.indexOf('当前等级')]).toBe('中银理财客户');
    // nothing changed → nothing to write → no request at all
    const again = planCustomerSheet(gridFromValues(after), { computed: new Map([['C1', computed('中银理财客户')]]) });
    expect(allWrites(again)).toEqual([]);
    expect(await gateway.writeCells(id, allWrites(again).map((w) => ({ tab: CUSTOMER_TAB, ...w })))).toBe(0);
  });

  it('backs off through injected 429s and 500s and then writes', async () => {
    const id = await newSpreadsheet();
    waits.length = 0;
    server.failNext(2, 429, (r) => r.operation === 'values.batchUpdate');
    server.failNext(1, 500, (r) => r.operation === 'values.batchUpdate');
    await gateway.writeCells(id, [{ tab: 'Sheet1', row: 1, column: 1, value: 'x' }]);
    expect(waits).toEqual([5, 10, 20]); // 0.5 × 10, 0.5 × 20, 0.5 × 40
    expect((await gateway.readTabs(id, ['Sheet1'])).get('Sheet1')).toEqual([['x']]);
  });
});
