import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * The Sheets API test server's merged cells, formulas and metadata deletion, driven by the real
 * googleapis client over HTTP: what a branch's own ledger needs (a merged title, a two-row header,
 * a SUM in a 合计 row) and what adopting it sends (a binding replaced by deleteDeveloperMetadata).
 */

let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let spreadsheetId: string;

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  spreadsheetId = (await sheets.spreadsheets.create({ requestBody: { properties: { title: '管户台账' } } })).data.spreadsheetId!;
});

type Range = sheets_v4.Schema$GridRange;
const range = (startRowIndex: number, endRowIndex: number, startColumnIndex: number, endColumnIndex: number, sheetId = 0): Range => ({ sheetId, startRowIndex, endRowIndex, startColumnIndex, endColumnIndex });
const batch = (requests: sheets_v4.Schema$Request[]) => sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } });
const merge = (r: Range, mergeType?: string): sheets_v4.Schema$Request => ({ mergeCells: { range: r, ...(mergeType ? { mergeType } : {}) } });

/** the merges as spreadsheets.get lists them (field mask `sheets.merges`), zero bounds filled in, in A1 */
async function merges(): Promise<string[]> {
  const got = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets(properties.title,merges)' });
  const a1 = (column: number) => String.fromCharCode(65 + column);
  return (got.data.sheets?.[0]?.merges ?? [])
    .map((m) => `${a1(m.startColumnIndex ?? 0)}${(m.startRowIndex ?? 0) + 1}:${a1((m.endColumnIndex as number) - 1)}${m.endRowIndex}`)
    .sort();
}

async function failure(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await call;
  } catch (error: any) {
    return { status: error.status ?? error.response?.status, message: String(error.message) };
  }
  throw new Error('expected the call to fail');
}

describe('merged cells', () => {
  it('mergeCells: one block, a block per column or per row; spreadsheets.get lists them in Sheet.merges (only when asked for by the mask)', async () => {
    await batch([merge(range(0, 1, 0, 12)), merge(range(2, 4, 0, 2), 'MERGE_COLUMNS'), merge(range(5, 7, 4, 6), 'MERGE_ROWS')]);
    expect(await merges()).toEqual(['A1:L1', 'A3:A4', 'B3:B4', 'E6:F6', 'E7:F7']);
    // proto3 JSON: a zero start (and sheet id 0) is left out of the GridRange
    const got = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.merges' });
    expect(got.data.sheets?.[0]?.merges?.[0]).toEqual({ endRowIndex: 1, endColumnIndex: 12 });
    const without = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties.title' });
    expect(without.data.sheets?.[0]).toEqual({ properties: { title: 'Sheet1' } });
  });

  it('a merge keeps its top-left value and empties the others; a one-cell block is no merge', async () => {
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1', values: [['标题', '多余'], ['留下']] }] } });
    await batch([merge(range(0, 1, 0, 2)), merge(range(1, 2, 0, 1))]);
    expect(server.state.values(spreadsheetId, 'Sheet1')).toEqual([['标题'], ['留下']]);
    expect(await merges()).toEqual(['A1:B1']);
  });

  it('refuses to merge or unmerge a range that holds part of a merged block, as Google does; a whole block inside is replaced or undone', async () => {
    await batch([merge(range(2, 4, 0, 1)), merge(range(2, 3, 4, 6))]);
    for (const request of [merge(range(3, 5, 0, 1)), { unmergeCells: { range: range(2, 4, 4, 5) } }]) {
      const refused = await failure(batch([request]));
      expect(refused.status).toBe(400);
      expect(refused.message).toContain('You must select all cells in a merged range to merge or unmerge them.');
    }
    expect(await merges()).toEqual(['A3:A4', 'E3:F3']);
    // a merge over a whole block takes its place; an unmerge over several undoes them all
    await batch([merge(range(2, 4, 4, 6))]);
    expect(await merges()).toEqual(['A3:A4', 'E3:F4']);
    await batch([{ unmergeCells: { range: range(0, 10, 0, 10) } }]);
    expect(await merges()).toEqual([]);
  });

  it('refuses a merge beyond the grid, and a failed batch leaves the merges as they were', async () => {
    await batch([merge(range(0, 1, 0, 2))]);
    expect((await failure(batch([merge(range(0, 2, 20, 27))]))).status).toBe(400);
    expect((await failure(batch([{ unmergeCells: { range: range(0, 1, 0, 2) } }, merge(range(0, 2, 20, 27))]))).status).toBe(400);
    expect(await merges()).toEqual(['A1:B1']);
  });

  it('insertDimension and deleteDimension move merges: inserted inside a block it widens, at its edge it moves, deleted down to one cell it is gone', async () => {
    // a two-row header: 联系方式 over E:F, 序号 down A3:A4, the title across A1:L1
    await batch([merge(range(0, 1, 0, 12)), merge(range(2, 4, 0, 1)), merge(range(2, 3, 4, 6))]);
    await batch([{ insertDimension: { range: { sheetId: 0, dimension: 'COLUMNS', startIndex: 3, endIndex: 4 } } }]);
    expect(await merges()).toEqual(['A1:M1', 'A3:A4', 'F3:G3']);
    await batch([{ insertDimension: { range: { sheetId: 0, dimension: 'COLUMNS', startIndex: 6, endIndex: 7 } } }]);
    expect(await merges()).toEqual(['A1:N1', 'A3:A4', 'F3:H3']);
    await batch([{ insertDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 0, endIndex: 1 } } }]);
    expect(await merges()).toEqual(['A2:N2', 'A4:A5', 'F4:H4']);
    await batch([{ deleteDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 4, endIndex: 5 } } }]);
    expect(await merges()).toEqual(['A2:N2', 'F4:H4']);
    await batch([{ deleteDimension: { range: { sheetId: 0, dimension: 'COLUMNS', startIndex: 5, endIndex: 7 } } }]);
    expect(await merges()).toEqual(['A2:L2']);
  });

  it('sortRange: refuses a range that cuts through a merged block or sorts rows a block joins; a block within one row moves with it', async () => {
    await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId,
      requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1', values: [['表头', ''], ['序号', ''], ['', ''], ['C3', 'c'], ['C1', 'a'], ['C2', 'b']] }] },
    });
    await batch([merge(range(1, 3, 0, 1)), merge(range(4, 5, 1, 3))]);
    const sortRows = (from: number, to: number, columns = 3) => batch([{ sortRange: { range: range(from, to, 0, columns), sortSpecs: [{ dimensionIndex: 0, sortOrder: 'ASCENDING' }] } }]);
    const cut = await failure(sortRows(2, 6));
    expect(cut.status).toBe(400);
    expect(cut.message).toContain('holds part of a merged range');
    expect((await failure(sortRows(1, 6))).message).toContain('merged together');
    expect((await failure(sortRows(3, 6, 2))).message).toContain('holds part of a merged range');
    expect(await merges()).toEqual(['A2:A3', 'B5:C5']);
    // rows 4–6 by 客户号: C1's row (with its B:C block) goes first
    await sortRows(3, 6);
    expect(server.state.values(spreadsheetId, 'Sheet1').slice(3)).toEqual([['C1', 'a'], ['C2', 'b'], ['C3', 'c']]);
    expect(await merges()).toEqual(['A2:A3', 'B4:C4']);
  });
});

describe('formulas', () => {
  it('USER_ENTERED keeps a formula: FORMULA answers it, the formatted value is its text (not computed); insertDimension moves its references', async () => {
    await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId,
      requestBody: { valueInputOption: 'USER_ENTERED', data: [{ range: 'Sheet1!A1', values: [['合计', 120.5], ['', 60], ['', '=SUM(B1:B2)']] }] },
    });
    const formula = await sheets.spreadsheets.values.get({ spreadsheetId, range: 'Sheet1!A1:C3', valueRenderOption: 'FORMULA' });
    expect(formula.data.values).toEqual([['合计', 120.5], ['', 60], ['', '=SUM(B1:B2)']]);
    const grid = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.data.rowData.values(userEnteredValue,formattedValue)' });
    expect(grid.data.sheets?.[0]?.data?.[0]?.rowData?.[2]?.values?.[1]).toEqual({ userEnteredValue: { formulaValue: '=SUM(B1:B2)' }, formattedValue: '=SUM(B1:B2)' });
    await batch([{ insertDimension: { range: { sheetId: 0, dimension: 'COLUMNS', startIndex: 1, endIndex: 2 } } }, { insertDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 1, endIndex: 2 } } }]);
    const moved = await sheets.spreadsheets.values.get({ spreadsheetId, range: 'Sheet1!A1:D4', valueRenderOption: 'FORMULA' });
    expect(moved.data.values).toEqual([['合计', '', 120.5], [], ['', '', 60], ['', '', '=SUM(C1:C3)']]);
  });

  it('a formula on another tab follows the tab it names; RAW keeps =… as text, never moved', async () => {
    const added = await batch([{ addSheet: { properties: { title: '汇总' } } }]);
    expect(added.data.replies?.[0]?.addSheet?.properties?.title).toBe('汇总');
    await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId,
      requestBody: { valueInputOption: 'USER_ENTERED', data: [{ range: "'汇总'!A1", values: [['管户客户数', "=COUNTA('Sheet1'!B5:B12)"]] }] },
    });
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1', values: [['=B1']] }] } });
    await batch([{ insertDimension: { range: { sheetId: 0, dimension: 'COLUMNS', startIndex: 0, endIndex: 1 } } }]);
    expect((await sheets.spreadsheets.values.get({ spreadsheetId, range: "'汇总'!B1", valueRenderOption: 'FORMULA' })).data.values).toEqual([["=COUNTA('Sheet1'!C5:C12)"]]);
    expect((await sheets.spreadsheets.values.get({ spreadsheetId, range: 'Sheet1!B1', valueRenderOption: 'FORMULA' })).data.values).toEqual([['=B1']]);
  });
});

describe('deleteDeveloperMetadata', () => {
  const tag = (key: string, value: string, location: sheets_v4.Schema$DeveloperMetadataLocation): sheets_v4.Schema$Request => ({ createDeveloperMetadata: { developerMetadata: { metadataKey: key, metadataValue: value, location, visibility: 'DOCUMENT' } } });

  it('deletes what its dataFilter selects (a tab’s binding at that exact location) in the same atomic batch as its replacement, and answers what it deleted', async () => {
    await batch([{ addSheet: { properties: { sheetId: 7, title: '管户台账' } } }]);
    await batch([
      tag('wealth-ladder.binding', '{"v":1}', { sheetId: 7 }),
      tag('wealth-ladder.binding', 'other tab', { sheetId: 0 }),
      tag('wealth-ladder.binding', 'a column', { dimensionRange: { sheetId: 7, dimension: 'COLUMNS', startIndex: 1, endIndex: 2 } }),
      tag('wealth-ladder.tab', '客户名单', { sheetId: 7 }),
    ]);
    const lookup = { developerMetadataLookup: { metadataKey: 'wealth-ladder.binding', metadataLocation: { sheetId: 7 }, locationMatchingStrategy: 'EXACT_LOCATION' } };
    const replaced = await batch([{ deleteDeveloperMetadata: { dataFilter: lookup } }, tag('wealth-ladder.binding', '{"v":2}', { sheetId: 7 })]);
    expect(replaced.data.replies?.[0]?.deleteDeveloperMetadata?.deletedDeveloperMetadata?.map((m) => m.metadataValue)).toEqual(['{"v":1}']);
    const left = await sheets.spreadsheets.developerMetadata.search({ spreadsheetId, requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: 'wealth-ladder.binding' } }] } });
    expect(left.data.matchedDeveloperMetadata?.map((m) => m.developerMetadata?.metadataValue).sort()).toEqual(['a column', 'other tab', '{"v":2}']);
    // nothing selected: nothing deleted, no error
    const none = await batch([{ deleteDeveloperMetadata: { dataFilter: { developerMetadataLookup: { metadataKey: 'no such key' } } } }]);
    expect(none.data.replies?.[0]).toEqual({ deleteDeveloperMetadata: {} });
  });

  it('a tab location without a strategy is matched INTERSECTING (its columns too), as the lookup reference says', async () => {
    await batch([{ addSheet: { properties: { sheetId: 7, title: '管户台账' } } }]);
    await batch([tag('k', 'tab', { sheetId: 7 }), tag('k', 'column', { dimensionRange: { sheetId: 7, dimension: 'COLUMNS', startIndex: 1, endIndex: 2 } })]);
    const replies = await batch([{ deleteDeveloperMetadata: { dataFilter: { developerMetadataLookup: { metadataKey: 'k', metadataLocation: { sheetId: 7 } } } } }]);
    expect(replies.data.replies?.[0]?.deleteDeveloperMetadata?.deletedDeveloperMetadata?.map((m) => m.metadataValue)).toEqual(['tab', 'column']);
  });

  it('refuses a lookup the reference forbids: a strategy without a location, a location type with EXACT_LOCATION, a filter that is not a lookup', async () => {
    for (const dataFilter of [
      { developerMetadataLookup: { metadataKey: 'k', locationMatchingStrategy: 'EXACT_LOCATION' } },
      { developerMetadataLookup: { metadataKey: 'k', locationType: 'SHEET', metadataLocation: { sheetId: 0 }, locationMatchingStrategy: 'EXACT_LOCATION' } },
      { a1Range: 'Sheet1!A1' },
    ]) {
      expect((await failure(batch([{ deleteDeveloperMetadata: { dataFilter } }]))).status).toBe(400);
    }
  });
});
