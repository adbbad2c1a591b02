import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleSheetsGateway, type CellWrite } from '../../functions/sheets/google-sheets-gateway.js';
import { naiveSheetsGateway } from '../../test/bench/naive-sheets-writer.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * The bench's baseline writer (test/bench/naive-sheets-writer.ts) with the real googleapis
 * client against the Sheets API test server: it must leave the sheet exactly as the gateway
 * does, with one request per row where the gateway makes one in all.
 */

let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
});
afterAll(() => server.close());

async function spreadsheetWithTabs(): Promise<string> {
  const created = await sheets.spreadsheets.create({ requestBody: { properties: { title: '城东支行' }, sheets: [{ properties: { title: '客户名单' } }, { properties: { title: '待办' } }] } });
  const id = created.data.spreadsheetId!;
  // a manager's text in C2, between two cells the run writes: neither writer may clear it
  await sheets.spreadsheets.values.batchUpdate({ spreadsheetId: id, requestBody: { valueInputOption: 'RAW', data: [{ range: "'客户名单'!C2", values: [['经理备注']] }] } });
  return id;
}

// three rows: 客户名单 row 2 (B and D, C left alone), 客户名单 row 3 (B), 待办 row 2 (A and B)
const writes: CellWrite[] = [
  { tab: '客户名单', row: 2, column: 2, value: '中银理财客户' },
  { tab: '客户名单', row: 3, column: 2, value: '普通客户' },
  { tab: '客户名单', row: 2, column: 4, value: '=not a formula' },
  { tab: '待办', row: 2, column: 1, value: 'T1' },
  { tab: '待办', row: 2, column: 2, value: 1200.5 },
];

async function values(id: string, tab: string): Promise<unknown[][]> {
  return (await sheets.spreadsheets.values.get({ spreadsheetId: id, range: `'${tab}'` })).data.values ?? [];
}

describe('the naive one-request-per-row writer (bench baseline)', () => {
  it('writes the same cells as the gateway, one values request per row instead of one in all', async () => {
    const ours = await spreadsheetWithTabs();
    const naive = await spreadsheetWithTabs();
    const before = { ours: server.countRequests(ours), naive: server.countRequests(naive) };

    expect(await googleSheetsGateway(sheets).writeCells(ours, writes)).toBe(5);
    expect(await naiveSheetsGateway(sheets).writeCells(naive, writes)).toBe(5);

    expect(server.countRequests(ours) - before.ours).toBe(1);
    expect(server.countRequests(naive) - before.naive).toBe(3); // 3 distinct (tab, row) pairs
    const naiveBodies = server.requests.filter((r) => r.spreadsheetId === naive && r.operation === 'values.batchUpdate').slice(-3);
    expect(naiveBodies.map((r) => (r.body as { data: unknown[] }).data.length)).toEqual([1, 1, 1]);
    for (const tab of ['客户名单', '待办']) expect(await values(naive, tab)).toEqual(await values(ours, tab));
    expect(await values(naive, '客户名单')).toEqual([[], ['', '中银理财客户', '经理备注', '=not a formula'], ['', '普通客户']]);
  });

  it('sends nothing when there is nothing to write', async () => {
    const id = await spreadsheetWithTabs();
    const before = server.countRequests(id);
    expect(await naiveSheetsGateway(sheets).writeCells(id, [])).toBe(0);
    expect(server.countRequests(id)).toBe(before);
  });
});
