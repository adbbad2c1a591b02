import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHART_METADATA_KEY } from '../../functions/head-office/google-head-office-charts.js';
import { HeadOfficeTooLargeError } from '../../functions/head-office/google-head-office-plan.js';
import { googleHeadOfficeWriter, writeHeadOfficeSpreadsheet } from '../../functions/head-office/google-head-office.js';
import type { BackoffPolicy } from '../../functions/sheets/backoff.js';
import { createRequestPacer } from '../../functions/sheets/request-pacer.js';
import { MANAGER_NAMES, rowsOf, sampleContent } from '../support/head-office-content.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * The head-office spreadsheet on Google, with the real googleapis client over real HTTP against
 * the project's Sheets API test server: tabs and charts made by the first run, found again (not
 * duplicated) by the next ones, chart ranges following the number of rows, leftover rows
 * blanked, the number of requests per run, the shared pacer and the backoff.
 */

let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
const waits: number[] = [];
const backoff: BackoffPolicy = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40, budgetMs: 1_000, random: () => 0.5, sleep: async (ms) => void waits.push(ms) };

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
});
afterAll(() => server.close());

let spreadsheetId: string;
beforeEach(async () => {
  spreadsheetId = (await sheets.spreadsheets.create({ requestBody: { properties: { title: '总行客户分层汇总' } } })).data.spreadsheetId!;
});

const run = (content = sampleContent(), extra: Partial<Parameters<typeof writeHeadOfficeSpreadsheet>[2]> = {}) => writeHeadOfficeSpreadsheet(sheets, content, { spreadsheetId, backoff, ...extra });
/** the operations this spreadsheet received since `from` (an index into server.requests) */
const operationsSince = (from: number) => server.requests.slice(from).filter((r) => r.spreadsheetId === spreadsheetId).map((r) => r.operation);
const kindsSent = (from: number) =>
  server.requests
    .slice(from)
    .filter((r) => r.spreadsheetId === spreadsheetId && r.operation === 'spreadsheets.batchUpdate')
    .flatMap((r) => (r.body as { requests: Record<string, unknown>[] }).requests.map((q) => Object.keys(q)[0]));

async function charts(): Promise<(sheets_v4.Schema$EmbeddedChart & { tab: string })[]> {
  const got = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets(properties.title,charts)' });
  return (got.data.sheets ?? []).flatMap((s) => (s.charts ?? []).map((c) => ({ ...c, tab: s.properties!.title! })));
}

const sheetIdOf = async (title: string) => (await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties(sheetId,title)' })).data.sheets!.find((s) => s.properties?.title === title)!.properties!.sheetId!;
const column = (sheetId: number, index: number, endRow: number) => [{ sheetId, startRowIndex: 0, endRowIndex: endRow, startColumnIndex: index, endColumnIndex: index + 1 }];
const seriesRanges = (chart: sheets_v4.Schema$EmbeddedChart) => chart.spec?.basicChart?.series?.map((s) => s.series?.sourceRange?.sources);
const domainRange = (chart: sheets_v4.Schema$EmbeddedChart) => chart.spec?.basicChart?.domains?.[0]?.domain?.sourceRange?.sources;

describe('head-office spreadsheet on Google Sheets', () => {
  it('first run, 3 requests: creates the four tabs (header frozen), writes every cell RAW (numbers as numbers), adds the three charts', async () => {
    const content = sampleContent();
    const from = server.requests.length;
    const report = await run(content);

    expect(operationsSince(from)).toEqual(['spreadsheets.get', 'spreadsheets.batchUpdate', 'values.batchUpdate']);
    expect(report).toMatchObject({ requests: 3, addedTabs: ['支行汇总', '客户经理', '月度趋势', '季度考核'], addedCharts: ['branch-tiers', 'trend-tiers', 'trend-aum'], updatedCharts: [], problems: [] });
    const props = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties(title,gridProperties)' });
    expect(props.data.sheets!.map((s) => [s.properties?.title, s.properties?.gridProperties?.frozenRowCount])).toEqual([
      ['Sheet1', undefined],
      ['支行汇总', 1],
      ['客户经理', 1],
      ['月度趋势', 1],
      ['季度考核', 1],
    ]);
    for (const tab of content.tabs) expect(server.state.values(spreadsheetId, tab.title)).toEqual(tab.rows);
    // B01's 时点资产(万元) (K2) is the number 1234.57 (12,345,678.90 yuan), not the text
    expect(server.state.cell(spreadsheetId, '支行汇总', 2, 10)).toEqual({ value: 1234.57, formula: false });
    const write = server.requests.slice(from).find((r) => r.operation === 'values.batchUpdate')!.body as sheets_v4.Schema$BatchUpdateValuesRequest;
    expect(write.valueInputOption).toBe('RAW');
    expect(write.data!.map((d) => d.range)).toEqual(["'支行汇总'!A1", "'客户经理'!A1", "'月度趋势'!A1", "'季度考核'!A1"]);
    // grids: 支行汇总 4 rows × (15 columns + 2 for the chart) = 68, 客户经理 4 × 17 = 68, 月度趋势 4 × (9 + 2) = 44,
    // 季度考核 6 rows (header, B01 and its two managers, B02 and its manager) × (4 + 2 items × 2 + 4) = 72
    expect(report.cellsWritten).toBe(68 + 68 + 44 + 72);

    const [branches, trend] = [await sheetIdOf('支行汇总'), await sheetIdOf('月度趋势')];
    const all = await charts();
    expect(all.map((c) => [c.tab, c.spec?.title, c.spec?.basicChart?.chartType])).toEqual([
      ['支行汇总', '各支行客户分层', 'COLUMN'],
      ['月度趋势', '各等级客户数（按月）', 'LINE'],
      ['月度趋势', '时点资产（万元，按月）', 'COLUMN'],
    ]);
    // 支行汇总: header + B01 + B02 = rows 0..2 (end 3); the 合计 row (index 3) is left out; names in B, tiers in D..G
    expect(domainRange(all[0]!)).toEqual(column(branches, 1, 3));
    expect(seriesRanges(all[0]!)).toEqual([3, 4, 5, 6].map((c) => column(branches, c, 3)));
    expect(all[0]!.spec?.basicChart?.headerCount).toBe(1);
    // 月度趋势: header + three months (end 4); tiers in C..F, 时点资产(万元) in I; charts beside the 9 columns, one below the other
    expect(seriesRanges(all[1]!)).toEqual([2, 3, 4, 5].map((c) => column(trend, c, 4)));
    expect(seriesRanges(all[2]!)).toEqual([column(trend, 8, 4)]);
    expect(all.slice(1).map((c) => [c.position?.overlayPosition?.anchorCell?.columnIndex, c.position?.overlayPosition?.offsetYPixels])).toEqual([
      [10, 0],
      [10, 400],
    ]);
    const metadata = server.state.get(spreadsheetId).developerMetadata.filter((m) => m.metadataKey === CHART_METADATA_KEY).map((m) => m.metadataValue);
    expect(metadata).toEqual(all.map((c, i) => `${['branch-tiers', 'trend-tiers', 'trend-aum'][i]}:${c.chartId}`));
    // formats: header bold, and the 万元 columns of 支行汇总 (K, L = 10, 11) shown with two decimals
    const numberFormats = server.state.get(spreadsheetId).formats.filter((f) => JSON.stringify(f.request).includes('0.00') && (f.request as any).range.sheetId === branches);
    expect(numberFormats.map((f) => (f.request as any).range.startColumnIndex)).toEqual([10, 11]);
  });

  it('second run with one more branch: values rewritten, the branch chart re-ranged, no chart added; a shorter third run blanks the leftover row', async () => {
    await run(sampleContent());
    const ids = (await charts()).map((c) => c.chartId);

    const from = server.requests.length;
    const report = await run(sampleContent({ withThirdBranch: true }));
    expect(operationsSince(from)).toEqual(['spreadsheets.get', 'spreadsheets.batchUpdate', 'values.batchUpdate']);
    expect(report).toMatchObject({ requests: 3, addedTabs: [], addedCharts: [], updatedCharts: ['branch-tiers'] });
    // the batch: rows appended where B03 adds some (支行汇总 4 → 5, 客户经理 4 → 5, 季度考核 6 → 8), one updateChartSpec, the formats; no addChart, no addSheet
    expect(kindsSent(from).filter((k) => k !== 'repeatCell')).toEqual(['appendDimension', 'appendDimension', 'appendDimension', 'updateChartSpec']);
    expect(server.requests.slice(from).find((r) => r.operation === 'spreadsheets.batchUpdate')!.body).toMatchObject({ requests: expect.arrayContaining([{ appendDimension: { sheetId: await sheetIdOf('季度考核'), dimension: 'ROWS', length: 2 } }]) });
    const all = await charts();
    expect(all.map((c) => c.chartId)).toEqual(ids);
    const branches = await sheetIdOf('支行汇总');
    // B01, B02, B03 in rows 1..3 (end 4); 合计 moved to row index 4
    expect(seriesRanges(all[0]!)).toEqual([3, 4, 5, 6].map((c) => column(branches, c, 4)));
    expect(server.state.values(spreadsheetId, '支行汇总')).toEqual(rowsOf(sampleContent({ withThirdBranch: true }), '支行汇总'));
    expect(server.state.values(spreadsheetId, '支行汇总')[4]![0]).toBe('合计');

    const third = await run(sampleContent());
    expect(third.updatedCharts).toEqual(['branch-tiers']);
    // rows 1..4 as before; row 5 (the old 合计) is blanked, not cleared with a clear request
    expect(server.state.values(spreadsheetId, '支行汇总')).toEqual(rowsOf(sampleContent(), '支行汇总'));
    expect(server.state.values(spreadsheetId, '客户经理')).toEqual(rowsOf(sampleContent(), '客户经理'));
    expect(seriesRanges((await charts())[0]!)).toEqual([3, 4, 5, 6].map((c) => column(branches, c, 3)));
    expect(new Set(operationsSince(from))).toEqual(new Set(['spreadsheets.get', 'spreadsheets.batchUpdate', 'values.batchUpdate']));
  });

  it('a run with nothing new adds and updates no chart; a user’s restyled chart keeps its title and colour when its ranges move', async () => {
    await run(sampleContent());
    const from = server.requests.length;
    const same = await run(sampleContent());
    expect(same).toMatchObject({ requests: 3, addedCharts: [], updatedCharts: [] });
    expect(kindsSent(from).every((k) => k === 'repeatCell')).toBe(true);

    // head office renames the branch chart and colours its first series
    const [branchChart] = await charts();
    const restyled = structuredClone(branchChart!.spec!);
    restyled.title = '分行各支行客户结构';
    restyled.basicChart!.series![0]!.colorStyle = { rgbColor: { red: 1, green: 0, blue: 0 } };
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ updateChartSpec: { chartId: branchChart!.chartId, spec: restyled } }] } });

    await run(sampleContent({ withThirdBranch: true }));
    const after = await charts();
    expect(after).toHaveLength(3);
    expect(after[0]!.spec?.title).toBe('分行各支行客户结构');
    expect(after[0]!.spec?.basicChart?.series?.[0]?.colorStyle).toEqual({ rgbColor: { red: 1, green: 0, blue: 0 } });
    expect(seriesRanges(after[0]!)).toEqual([3, 4, 5, 6].map((c) => column(after[0]!.position!.overlayPosition!.anchorCell!.sheetId!, c, 4)));
  });

  it('finds its charts by title when the metadata is gone (and tags them again); re-adds a deleted chart under its remembered id', async () => {
    await run(sampleContent());
    const before = await charts();
    // someone deletes the spreadsheet's developer metadata
    const model = server.state.get(spreadsheetId);
    model.developerMetadata = model.developerMetadata.filter((m) => m.metadataKey !== CHART_METADATA_KEY);
    const byTitle = await run(sampleContent());
    expect(byTitle.addedCharts).toEqual([]);
    expect((await charts()).map((c) => c.chartId)).toEqual(before.map((c) => c.chartId));
    expect(server.state.get(spreadsheetId).developerMetadata.filter((m) => m.metadataKey === CHART_METADATA_KEY)).toHaveLength(3);

    // head office deletes the AUM chart: the next run puts it back with the same id, and no second tag
    const aum = before[2]!.chartId!;
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ deleteEmbeddedObject: { objectId: aum } }] } });
    const back = await run(sampleContent());
    expect(back.addedCharts).toEqual(['trend-aum']);
    expect((await charts()).map((c) => c.chartId)).toEqual(before.map((c) => c.chartId));
    expect(server.state.get(spreadsheetId).developerMetadata.filter((m) => m.metadataKey === CHART_METADATA_KEY)).toHaveLength(3);
  });

  it('takes over a tab someone made by hand: grid written whole (stale cells far out blanked), header frozen', async () => {
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addSheet: { properties: { title: '季度考核' } } }] } });
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: "'季度考核'!Z1000", values: [['旧的备注']] }] } });
    const from = server.requests.length;
    const report = await run(sampleContent());
    expect(report.addedTabs).toEqual(['支行汇总', '客户经理', '月度趋势']);
    expect(kindsSent(from)).toContain('updateSheetProperties');
    expect(server.state.values(spreadsheetId, '季度考核')).toEqual(rowsOf(sampleContent(), '季度考核'));
    // 季度考核 is the default 1000 × 26 grid: 26,000 cells; the others 68 + 68 + 44
    expect(report.cellsWritten).toBe(26_000 + 68 + 68 + 44);
    const grid = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties(title,gridProperties.frozenRowCount)' });
    expect(grid.data.sheets!.find((s) => s.properties?.title === '季度考核')!.properties!.gridProperties).toEqual({ frozenRowCount: 1 });
  });

  it('cuts the values into requests whose JSON body is at most maxRequestBytes, between rows, in tab and row order', async () => {
    const content = sampleContent();
    const from = server.requests.length;
    const report = await run(content, { maxRequestBytes: 1_200 });
    const writes = server.requests.slice(from).filter((r) => r.operation === 'values.batchUpdate');
    // the whole content in one body would be over 1,200 bytes: it had to be cut
    const whole = content.tabs.flatMap((t) => t.rows.flat());
    expect(Buffer.byteLength(JSON.stringify(whole))).toBeGreaterThan(1_200);
    expect(writes.length).toBeGreaterThan(1);
    for (const w of writes) expect(w.bodyBytes).toBeLessThanOrEqual(1_200);
    expect(report.requests).toBe(2 + writes.length);
    // every row of every tab written exactly once, tab after tab, rows in order
    const rowsWritten = writes.flatMap((w) => (w.body as sheets_v4.Schema$BatchUpdateValuesRequest).data!.flatMap((d) => d.values!.map((_, i) => `${/^'(.+)'!A(\d+)$/.exec(d.range!)![1]}:${Number(/A(\d+)$/.exec(d.range!)![1]) + i}`)));
    expect(rowsWritten).toEqual(content.tabs.flatMap((t) => Array.from({ length: Math.max(t.rows.length, 2) }, (_, r) => `${t.title}:${r + 1}`)));
    for (const tab of content.tabs) expect(server.state.values(spreadsheetId, tab.title)).toEqual(tab.rows);
  });

  it('refuses, after the read and before any write, a content that would pass the cells a spreadsheet may hold', async () => {
    const from = server.requests.length;
    // the first run needs 252 cells for the four tabs, plus Sheet1's 1000 × 26 = 26,000: 26,252
    await expect(run(sampleContent(), { maxCellsPerSpreadsheet: 26_251 })).rejects.toThrow(
      new HeadOfficeTooLargeError(`head-office spreadsheet ${spreadsheetId}: the content needs 26252 cells (支行汇总 4 × 17, 客户经理 4 × 17, 月度趋势 4 × 11, 季度考核 6 × 12; other tabs 26000), over the 26251 a spreadsheet may hold; nothing was written`),
    );
    expect(operationsSince(from)).toEqual(['spreadsheets.get']);
    expect((await run(sampleContent(), { maxCellsPerSpreadsheet: 26_252 })).requests).toBe(3);
  });

  it('takes a slot from the shared pacer before every attempt (a 429 retry included) and backs off on the 429', async () => {
    let clock = 0;
    const slept: number[] = [];
    const pacer = createRequestPacer({ perMinute: 2, now: () => clock, sleep: async (ms) => void (slept.push(ms), (clock += ms)) });
    server.failNext(1, 429, (r) => r.spreadsheetId === spreadsheetId && r.operation === 'values.batchUpdate');
    waits.length = 0;
    const location = await googleHeadOfficeWriter(sheets, { spreadsheetId, backoff, pacer })(sampleContent());
    expect(location).toBe(`${server.url}spreadsheets/d/${spreadsheetId}/edit`);
    // get, batchUpdate, values (429), values again: four attempts, four slots; two a minute, so the third waited a minute
    expect(pacer.stats().acquired).toBe(4);
    expect(slept).toEqual([60_000]);
    // first retry: random 0.5 × min(40, 10 × 2⁰) = 5 ms
    expect(waits).toEqual([5]);
    expect(server.requests.filter((r) => r.spreadsheetId === spreadsheetId).map((r) => [r.operation, r.status]).slice(-4)).toEqual([
      ['spreadsheets.get', 200],
      ['spreadsheets.batchUpdate', 200],
      ['values.batchUpdate', 429],
      ['values.batchUpdate', 200],
    ]);
  });

  it('sends no manager’s name unmasked: not in any request body, cell, chart or metadata', async () => {
    const from = server.requests.length;
    await run(sampleContent({ withThirdBranch: true }));
    const sent = JSON.stringify(server.requests.slice(from).map((r) => r.body));
    const stored = JSON.stringify(server.state.get(spreadsheetId));
    for (const name of MANAGER_NAMES) {
      expect(sent).not.toContain(name);
      expect(stored).not.toContain(name);
    }
    // the masked names are there, so the search looked where names would be
    for (const masked of ['张**', '欧***', '李*', '王*']) expect(stored).toContain(masked);
  });
});
