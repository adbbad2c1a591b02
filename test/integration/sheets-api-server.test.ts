import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/** The Sheets API test server, driven by the real googleapis client over real HTTP. */

let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
});

afterAll(async () => {
  await server.close();
});

async function newSpreadsheet(): Promise<string> {
  const created = await sheets.spreadsheets.create({ requestBody: { properties: { title: '支行客户分层' } } });
  return created.data.spreadsheetId!;
}

async function addTabs(spreadsheetId: string, titles: string[]): Promise<number[]> {
  const res = await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: titles.map((title) => ({ addSheet: { properties: { title } } })) } });
  return (res.data.replies ?? []).map((r) => r.addSheet!.properties!.sheetId!);
}

/** the status a googleapis call rejected with */
async function statusOf(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await call;
  } catch (error: any) {
    return { status: error.status ?? error.response?.status, message: String(error.message) };
  }
  throw new Error('expected the call to fail');
}

describe('Sheets API test server with the googleapis client', () => {
  let spreadsheetId: string;
  beforeEach(async () => {
    spreadsheetId = await newSpreadsheet();
  });

  it('creates a spreadsheet with one tab and adds tabs with Chinese names', async () => {
    await addTabs(spreadsheetId, ['客户名单', '联系记录']);
    const got = await sheets.spreadsheets.get({ spreadsheetId, includeGridData: false, fields: 'sheets.properties.title' });
    expect(got.data).toEqual({ sheets: [{ properties: { title: 'Sheet1' } }, { properties: { title: '客户名单' } }, { properties: { title: '联系记录' } }] });
    const full = await sheets.spreadsheets.get({ spreadsheetId });
    expect(full.data.properties?.title).toBe('支行客户分层');
    expect(full.data.sheets?.map((s) => [s.properties?.index, s.properties?.gridProperties])).toEqual([
      [0, { rowCount: 1000, columnCount: 26 }],
      [1, { rowCount: 1000, columnCount: 26 }],
      [2, { rowCount: 1000, columnCount: 26 }],
    ]);
  });

  it('refuses a tab whose name exists (case-insensitively) with a Google-shaped 400', async () => {
    await addTabs(spreadsheetId, ['Tiers']);
    const failure = await statusOf(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addSheet: { properties: { title: 'TIERS' } } }] } }));
    expect(failure.status).toBe(400);
    expect(failure.message).toContain('Invalid requests[0].addSheet: A sheet with the name "TIERS" already exists');
  });

  it('writes RAW values and reads them back; RAW =1+1 stays text, USER_ENTERED is marked a formula', async () => {
    await addTabs(spreadsheetId, ['客户名单', "It's"]);
    const write = await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId,
      requestBody: {
        valueInputOption: 'RAW',
        data: [
          { range: "'客户名单'!A1", values: [['客户号', '姓名', '资产'], ['C001', '张三', 1234.5], ['C002', '=1+1', 0]] },
          { range: "'It''s'!B2", values: [[true]] },
        ],
      },
    });
    expect(write.data).toMatchObject({ totalUpdatedCells: 10, totalUpdatedRows: 4, totalUpdatedSheets: 2 });
    expect(write.data.responses?.[0]?.updatedRange).toBe("'客户名单'!A1:C3");

    const formatted = await sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges: ["'客户名单'", "'It''s'!A1:C3"], valueRenderOption: 'FORMATTED_VALUE' });
    expect(formatted.data.valueRanges).toEqual([
      { range: "'客户名单'!A1:Z1000", majorDimension: 'ROWS', values: [['客户号', '姓名', '资产'], ['C001', '张三', '1234.5'], ['C002', '=1+1', '0']] },
      { range: "'It''s'!A1:C3", majorDimension: 'ROWS', values: [[], ['', 'TRUE']] },
    ]);
    const unformatted = await sheets.spreadsheets.values.get({ spreadsheetId, range: "'客户名单'!C2:C3", valueRenderOption: 'UNFORMATTED_VALUE' });
    expect(unformatted.data.values).toEqual([[1234.5], [0]]);
    expect(server.state.cell(spreadsheetId, '客户名单', 3, 1)).toEqual({ value: '=1+1', formula: false });

    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'USER_ENTERED', data: [{ range: "'客户名单'!D1", values: [['=1+1']] }] } });
    expect(server.state.cell(spreadsheetId, '客户名单', 1, 3)).toEqual({ value: '=1+1', formula: true });
  });

  it('skips null cells, clears empty strings and omits trailing empties on read', async () => {
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1:C2', values: [['a', 'b', 'c'], ['d', 'e', 'f']] }] } });
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A2', values: [[null, '', '']] }] } });
    expect(server.state.values(spreadsheetId, 'Sheet1')).toEqual([['a', 'b', 'c'], ['d']]);
    const read = await sheets.spreadsheets.values.get({ spreadsheetId, range: 'Sheet1!A2:Z' });
    expect(read.data).toMatchObject({ range: 'Sheet1!A2:Z1000', values: [['d']] });
  });

  it('answers a bad range and an unknown spreadsheet in the Google error shape', async () => {
    const badRange = await statusOf(sheets.spreadsheets.values.get({ spreadsheetId, range: "'没有这个表'!A1" }, { retry: false }));
    expect(badRange).toEqual({ status: 400, message: "Unable to parse range: '没有这个表'!A1" });
    const beyond = await statusOf(sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!Z1', values: [['x', 'y']] }] } }));
    expect(beyond).toEqual({ status: 400, message: 'Range (Sheet1!Z1) exceeds grid limits. Max rows: 1000, max columns: 26' });
    const missing = await statusOf(sheets.spreadsheets.get({ spreadsheetId: 'no-such-spreadsheet' }, { retry: false }));
    expect(missing).toEqual({ status: 404, message: 'Requested entity was not found.' });
    const log = server.requests.filter((r) => r.spreadsheetId === 'no-such-spreadsheet');
    expect(log.map((r) => [r.method, r.operation, r.status])).toEqual([['GET', 'spreadsheets.get', 404]]);
  });

  it('creates developer metadata at every location and finds it by key, value and location', async () => {
    const [tabId] = (await addTabs(spreadsheetId, ['客户名单'])) as [number];
    const created = await sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: {
        requests: [
          { createDeveloperMetadata: { developerMetadata: { metadataKey: 'ladder.spreadsheet', metadataValue: 'branch-310', location: { spreadsheet: true }, visibility: 'PROJECT' } } },
          { createDeveloperMetadata: { developerMetadata: { metadataKey: 'ladder.tab', metadataValue: 'customers', location: { sheetId: tabId }, visibility: 'DOCUMENT' } } },
          { createDeveloperMetadata: { developerMetadata: { metadataKey: 'ladder.customer', metadataValue: 'C001', location: { dimensionRange: { sheetId: tabId, dimension: 'ROWS', startIndex: 1, endIndex: 2 } }, visibility: 'DOCUMENT' } } },
          { createDeveloperMetadata: { developerMetadata: { metadataKey: 'ladder.customer', metadataValue: 'C002', location: { dimensionRange: { sheetId: tabId, dimension: 'ROWS', startIndex: 2, endIndex: 3 } }, visibility: 'DOCUMENT' } } },
        ],
      },
    });
    const rowMetadata = created.data.replies?.[2]?.createDeveloperMetadata?.developerMetadata;
    expect(rowMetadata).toMatchObject({ metadataKey: 'ladder.customer', location: { locationType: 'ROW', dimensionRange: { sheetId: tabId, dimension: 'ROWS', startIndex: 1, endIndex: 2 } } });

    const byKey = await sheets.spreadsheets.developerMetadata.search({ spreadsheetId, requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: 'ladder.customer' } }] } });
    expect(byKey.data.matchedDeveloperMetadata?.map((m) => m.developerMetadata?.metadataValue)).toEqual(['C001', 'C002']);
    const byRow = await sheets.spreadsheets.developerMetadata.search({
      spreadsheetId,
      requestBody: { dataFilters: [{ developerMetadataLookup: { metadataLocation: { dimensionRange: { sheetId: tabId, dimension: 'ROWS', startIndex: 2, endIndex: 3 } } } }] },
    });
    expect(byRow.data.matchedDeveloperMetadata?.map((m) => m.developerMetadata?.metadataValue)).toEqual(['C002']);
    const none = await sheets.spreadsheets.developerMetadata.search({ spreadsheetId, requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: 'nothing' } }] } });
    expect(none.data).toEqual({});

    const got = await sheets.spreadsheets.get({ spreadsheetId, fields: 'developerMetadata,sheets(properties.title,developerMetadata)' });
    expect(got.data.developerMetadata?.map((m) => m.metadataValue)).toEqual(['branch-310']);
    expect(got.data.sheets?.[1]).toMatchObject({ properties: { title: '客户名单' }, developerMetadata: [{ metadataKey: 'ladder.tab', location: { locationType: 'SHEET', sheetId: tabId } }] });

    const multiRow = await statusOf(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: { requests: [{ createDeveloperMetadata: { developerMetadata: { metadataKey: 'k', location: { dimensionRange: { sheetId: tabId, dimension: 'ROWS', startIndex: 1, endIndex: 3 } }, visibility: 'DOCUMENT' } } }] },
      }),
    );
    expect(multiRow.status).toBe(400);
  });

  it('moves row metadata and cells with the rows on insertDimension / deleteDimension', async () => {
    const [tabId] = (await addTabs(spreadsheetId, ['客户名单'])) as [number];
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: "'客户名单'!A1", values: [['客户号'], ['C001'], ['C002'], ['C003']] }] } });
    const rowMeta = (value: string, row: number) => ({ createDeveloperMetadata: { developerMetadata: { metadataKey: 'ladder.customer', metadataValue: value, location: { dimensionRange: { sheetId: tabId, dimension: 'ROWS', startIndex: row, endIndex: row + 1 } }, visibility: 'DOCUMENT' } } });
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [rowMeta('C001', 1), rowMeta('C002', 2), rowMeta('C003', 3)] } });

    await sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: {
        requests: [
          { insertDimension: { range: { sheetId: tabId, dimension: 'ROWS', startIndex: 1, endIndex: 3 } } },
          { deleteDimension: { range: { sheetId: tabId, dimension: 'ROWS', startIndex: 4, endIndex: 5 } } },
        ],
      },
    });
    expect(server.state.values(spreadsheetId, '客户名单')).toEqual([['客户号'], [], [], ['C001'], ['C003']]);
    const found = await sheets.spreadsheets.developerMetadata.search({ spreadsheetId, requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: 'ladder.customer' } }] } });
    expect(found.data.matchedDeveloperMetadata?.map((m) => [m.developerMetadata?.metadataValue, m.developerMetadata?.location?.dimensionRange?.startIndex])).toEqual([
      ['C001', 3],
      ['C003', 4],
    ]);
    const grid = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties(title,gridProperties.rowCount)' });
    expect(grid.data.sheets?.[1]).toEqual({ properties: { title: '客户名单', gridProperties: { rowCount: 1001 } } });
  });

  it('records protected ranges and formatting, and a failing batchUpdate changes nothing', async () => {
    const [tabId] = (await addTabs(spreadsheetId, ['客户名单'])) as [number];
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: {
        requests: [
          { addProtectedRange: { protectedRange: { range: { sheetId: tabId, startColumnIndex: 0, endColumnIndex: 3 }, description: 'computed columns', warningOnly: true } } },
          { repeatCell: { range: { sheetId: tabId, startRowIndex: 0, endRowIndex: 1 }, cell: { userEnteredFormat: { textFormat: { bold: true } } }, fields: 'userEnteredFormat.textFormat.bold' } },
        ],
      },
    });
    const before = await sheets.spreadsheets.get({ spreadsheetId });
    expect(before.data.sheets?.[1]?.protectedRanges).toEqual([expect.objectContaining({ description: 'computed columns', warningOnly: true, range: { sheetId: tabId, startColumnIndex: 0, endColumnIndex: 3 } })]);
    expect(server.state.get(spreadsheetId).formats.map((f) => f.kind)).toEqual(['repeatCell']);

    const failure = await statusOf(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: {
          requests: [
            { addSheet: { properties: { title: '联系记录' } } },
            { createDeveloperMetadata: { developerMetadata: { metadataKey: 'k', location: { spreadsheet: true }, visibility: 'DOCUMENT' } } },
            { repeatCell: { range: { sheetId: 987654 }, cell: {}, fields: '*' } },
          ],
        },
      }),
    );
    expect(failure).toEqual({ status: 400, message: 'Invalid requests[2].repeatCell: No grid with id: 987654' });
    const after = await sheets.spreadsheets.get({ spreadsheetId });
    expect(after.data).toEqual(before.data);
    expect(server.state.get(spreadsheetId).formats).toHaveLength(1);

    const unknownKind = await statusOf(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addSheet: { properties: { title: 'x' } } }, { sortRange: {} }] } }));
    expect(unknownKind.status).toBe(400);
    expect((await sheets.spreadsheets.get({ spreadsheetId })).data.sheets).toHaveLength(2);
  });

  it('a failing values.batchUpdate writes nothing', async () => {
    const failure = await statusOf(
      sheets.spreadsheets.values.batchUpdate({
        spreadsheetId,
        requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1', values: [['kept out']] }, { range: 'Sheet1!A1:B1', values: [['a', 'b', 'c']] }] },
      }),
    );
    expect(failure).toEqual({ status: 400, message: 'Requested writing within range [Sheet1!A1:B1], but tried writing to column [C]' });
    expect(server.state.values(spreadsheetId, 'Sheet1')).toEqual([]);
  });

  it('answers an injected 429 once, then succeeds; the log counts every call per spreadsheet', async () => {
    const countBefore = server.countRequests(spreadsheetId);
    server.failNext(1, 429);
    const quota = await statusOf(sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1', values: [['x']] }] } }));
    expect(quota.status).toBe(429);
    const ok = await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1', values: [['x']] }] } });
    expect(ok.data.totalUpdatedCells).toBe(1);

    // only values.batchGet fails, twice; with retries off the client sees the 500 itself
    server.failNext(2, 500, (r) => r.operation === 'values.batchGet');
    await sheets.spreadsheets.get({ spreadsheetId });
    expect((await statusOf(sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges: ['Sheet1'] }, { retry: false }))).status).toBe(500);
    expect((await statusOf(sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges: ['Sheet1'] }, { retry: false }))).status).toBe(500);
    const read = await sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges: ['Sheet1'] });
    expect(read.data.valueRanges?.[0]?.values).toEqual([['x']]);

    expect(server.countRequests(spreadsheetId) - countBefore).toBe(6);
    expect(server.countRequests(spreadsheetId, 'values.batchUpdate')).toBe(2);
    const mine = server.requests.filter((r) => r.spreadsheetId === spreadsheetId).slice(-6);
    expect(mine.map((r) => r.status)).toEqual([429, 200, 200, 500, 500, 200]);
    expect(mine[0]).toMatchObject({ method: 'POST', path: `/v4/spreadsheets/${spreadsheetId}/values:batchUpdate`, body: { valueInputOption: 'RAW' } });
    expect(mine[5]?.query['ranges']).toEqual(['Sheet1']);
  });

  it('serves a client authenticated with a (fake) OAuth2 access token', async () => {
    const auth = new google.auth.OAuth2();
    auth.setCredentials({ access_token: 'fake-token', expiry_date: Date.now() + 3_600_000 });
    const oauthSheets = google.sheets({ version: 'v4', auth, rootUrl: server.url });
    const got = await oauthSheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties.sheetId' });
    expect(got.data).toEqual({ sheets: [{ properties: { sheetId: 0 } }] });
  });

  it('serves grid data with a field mask: formatted values, empty cells as {}, column metadata at its column; ranges limit the tabs', async () => {
    const [tabId] = (await addTabs(spreadsheetId, ['客户名单'])) as [number];
    await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId,
      requestBody: { valueInputOption: 'RAW', data: [{ range: "'客户名单'!A1", values: [['客户号', '', '当前等级'], ['C1', null, 1234.5], [], ['C2', true]] }] },
    });
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'USER_ENTERED', data: [{ range: "'客户名单'!B2", values: [['=1+1']] }] } });
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: { requests: [{ createDeveloperMetadata: { developerMetadata: { metadataKey: 'wealth-ladder.column', metadataValue: '当前等级', location: { dimensionRange: { sheetId: tabId, dimension: 'COLUMNS', startIndex: 2, endIndex: 3 } }, visibility: 'DOCUMENT' } } }] },
    });
    const fields = 'sheets(properties(sheetId,title),data(startRow,startColumn,rowData.values.formattedValue,columnMetadata.developerMetadata(metadataKey,metadataValue)))';
    const got = await sheets.spreadsheets.get({ spreadsheetId, fields });
    expect(got.data.sheets?.map((s) => s.properties?.title)).toEqual(['Sheet1', '客户名单']);
    expect(got.data.sheets?.[0]?.data).toEqual([{ columnMetadata: new Array(26).fill({}) }]); // an empty tab: no rowData at all
    const data = got.data.sheets?.[1]?.data?.[0];
    // row 3 is empty ({}); row 4 stops after its last value; the formula shows as typed (the server does not compute)
    expect(data?.rowData).toEqual([
      { values: [{ formattedValue: '客户号' }, {}, { formattedValue: '当前等级' }] },
      { values: [{ formattedValue: 'C1' }, { formattedValue: '=1+1' }, { formattedValue: '1234.5' }] },
      {},
      { values: [{ formattedValue: 'C2' }, { formattedValue: 'TRUE' }] },
    ]);
    expect(data?.columnMetadata).toHaveLength(26);
    expect(data?.columnMetadata?.[2]).toEqual({ developerMetadata: [{ metadataKey: 'wealth-ladder.column', metadataValue: '当前等级' }] });
    expect(data?.columnMetadata?.[1]).toEqual({});

    // without a mask, includeGridData=true gives the full cell: user-entered, effective and formatted values
    const full = await sheets.spreadsheets.get({ spreadsheetId, includeGridData: true, ranges: ["'客户名单'!B2:C2"] });
    expect(full.data.sheets).toHaveLength(1);
    expect(full.data.sheets?.[0]?.data).toEqual([
      {
        startRow: 1,
        startColumn: 1,
        rowData: [{ values: [{ userEnteredValue: { formulaValue: '=1+1' }, formattedValue: '=1+1' }, { userEnteredValue: { numberValue: 1234.5 }, effectiveValue: { numberValue: 1234.5 }, formattedValue: '1234.5' }] }],
        rowMetadata: [{ pixelSize: 21 }],
        columnMetadata: [{ pixelSize: 100 }, { pixelSize: 100, developerMetadata: [expect.objectContaining({ metadataValue: '当前等级' })] }],
      },
    ]);
    // no mask, no includeGridData: no data
    expect((await sheets.spreadsheets.get({ spreadsheetId })).data.sheets?.[1]?.data).toBeUndefined();
    // a range naming a tab that does not exist is the API's 400
    const missing = await statusOf(sheets.spreadsheets.get({ spreadsheetId, ranges: ["'没有'"], fields: 'sheets.data' }, { retry: false }));
    expect(missing).toEqual({ status: 400, message: "Unable to parse range: '没有'" });
  });

  it('moveDimension: the docs example (rows 0,1,2,3,4, source [1,3) to 4 → 0,3,1,2,4)', async () => {
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1', values: [['0'], ['1'], ['2'], ['3'], ['4']] }] } });
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ moveDimension: { source: { sheetId: 0, dimension: 'ROWS', startIndex: 1, endIndex: 3 }, destinationIndex: 4 } }] } });
    expect(server.state.values(spreadsheetId, 'Sheet1')).toEqual([['0'], ['3'], ['1'], ['2'], ['4']]);
  });

  it('moveDimension of a column takes its cells, column metadata, protected range and conditional format with it', async () => {
    const [tabId] = (await addTabs(spreadsheetId, ['客户名单'])) as [number];
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: "'客户名单'!A1", values: [['客户号', '手机', '联系状态'], ['C1', '138', '逾期']] }] } });
    const column = (index: number) => ({ sheetId: tabId, startColumnIndex: index, endColumnIndex: index + 1 });
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: {
        requests: [
          { createDeveloperMetadata: { developerMetadata: { metadataKey: 'wealth-ladder.column', metadataValue: '联系状态', location: { dimensionRange: { sheetId: tabId, dimension: 'COLUMNS', startIndex: 2, endIndex: 3 } }, visibility: 'DOCUMENT' } } },
          { addProtectedRange: { protectedRange: { range: column(2), description: 'status', warningOnly: true } } },
          { addConditionalFormatRule: { rule: { ranges: [{ ...column(2), startRowIndex: 1 }], booleanRule: { condition: { type: 'TEXT_EQ', values: [{ userEnteredValue: '逾期' }] }, format: { backgroundColor: { red: 1, green: 0.78, blue: 0.81 } } } } } },
        ],
      },
    });
    // the manager drags 联系状态 (C) to the front: destination 0
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ moveDimension: { source: { sheetId: tabId, dimension: 'COLUMNS', startIndex: 2, endIndex: 3 }, destinationIndex: 0 } }] } });
    expect(server.state.values(spreadsheetId, '客户名单')).toEqual([['联系状态', '客户号', '手机'], ['逾期', 'C1', '138']]);
    const got = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets(protectedRanges(description,range),conditionalFormats(ranges),data.columnMetadata.developerMetadata.metadataValue)' });
    const tab = got.data.sheets?.[1];
    expect(tab?.protectedRanges).toEqual([{ description: 'status', range: column(0) }]);
    expect(tab?.conditionalFormats).toEqual([{ ranges: [{ ...column(0), startRowIndex: 1 }] }]);
    expect(tab?.data?.[0]?.columnMetadata?.slice(0, 3)).toEqual([{ developerMetadata: [{ metadataValue: '联系状态' }] }, {}, {}]);

    // deleting the column deletes what sat on it: the metadata, the protection and the rule
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ deleteDimension: { range: { sheetId: tabId, dimension: 'COLUMNS', startIndex: 0, endIndex: 1 } } }] } });
    const after = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets(protectedRanges,conditionalFormats,data.columnMetadata.developerMetadata)' });
    expect(after.data.sheets?.[1]?.protectedRanges).toBeUndefined();
    expect(after.data.sheets?.[1]?.conditionalFormats).toBeUndefined();
    expect(after.data.sheets?.[1]?.data?.[0]?.columnMetadata?.every((c) => c.developerMetadata === undefined)).toBe(true);
  });

  it('conditional formats: added at an index, listed in priority order, checked like the API (condition type, one grid)', async () => {
    const [a, b] = (await addTabs(spreadsheetId, ['客户名单', '待办'])) as [number, number];
    const rule = (text: string, sheetId = a) => ({ ranges: [{ sheetId, startRowIndex: 1, startColumnIndex: 3, endColumnIndex: 4 }], booleanRule: { condition: { type: 'TEXT_EQ', values: [{ userEnteredValue: text }] }, format: { backgroundColor: { red: 1, green: 0.92, blue: 0.61 } } } });
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addConditionalFormatRule: { rule: rule('本周'), index: 0 } }, { addConditionalFormatRule: { rule: rule('逾期'), index: 0 } }] } });
    const got = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.conditionalFormats.booleanRule.condition' });
    expect(got.data.sheets?.[1]?.conditionalFormats?.map((r) => r.booleanRule?.condition?.values?.[0]?.userEnteredValue)).toEqual(['逾期', '本周']);

    const badType = await statusOf(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addConditionalFormatRule: { rule: { ...rule('x'), booleanRule: { condition: { type: 'TEXT_EQUAL' } } } } }] } }));
    expect(badType.status).toBe(400);
    expect(badType.message).toBe(`Invalid value at 'requests[0].add_conditional_format_rule.rule.boolean_rule.condition.type' (TYPE_ENUM), "TEXT_EQUAL"`);
    const twoGrids = await statusOf(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addConditionalFormatRule: { rule: { ...rule('x'), ranges: [...rule('x').ranges, ...rule('x', b).ranges] } } }] } }));
    expect(twoGrids.message).toContain('All the ranges must be on the same grid.');
    const pastEnd = await statusOf(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addConditionalFormatRule: { rule: rule('x'), index: 3 } }] } }));
    expect(pastEnd.message).toBe('Invalid requests[0].addConditionalFormatRule: Invalid index 3: the sheet has 2 conditional format rules.');

    const removed = await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ deleteConditionalFormatRule: { sheetId: a, index: 0 } }] } });
    expect(removed.data.replies?.[0]?.deleteConditionalFormatRule?.rule?.booleanRule?.condition?.values).toEqual([{ userEnteredValue: '逾期' }]);
    expect(server.state.get(spreadsheetId).sheets[1]?.conditionalFormats).toHaveLength(1);
  });

  it('protected ranges are moved by updateProtectedRange (field mask) and removed by deleteProtectedRange', async () => {
    const [tabId] = (await addTabs(spreadsheetId, ['客户名单'])) as [number];
    const added = await sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: { requests: [{ addProtectedRange: { protectedRange: { range: { sheetId: tabId, startColumnIndex: 1, endColumnIndex: 2 }, description: '[wealth-ladder:列 当前等级]', warningOnly: true } } }] },
    });
    const id = added.data.replies?.[0]?.addProtectedRange?.protectedRange?.protectedRangeId as number;
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: { requests: [{ updateProtectedRange: { protectedRange: { protectedRangeId: id, range: { sheetId: tabId, startColumnIndex: 4, endColumnIndex: 5 }, description: 'ignored: not in the mask' }, fields: 'range' } }] },
    });
    const got = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.protectedRanges(protectedRangeId,description,range,warningOnly)' });
    expect(got.data.sheets?.[1]?.protectedRanges).toEqual([{ protectedRangeId: id, description: '[wealth-ladder:列 当前等级]', range: { sheetId: tabId, startColumnIndex: 4, endColumnIndex: 5 }, warningOnly: true }]);
    const unknown = await statusOf(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ deleteProtectedRange: { protectedRangeId: id + 1000 } }] } }));
    expect(unknown).toEqual({ status: 400, message: `Invalid requests[0].deleteProtectedRange: No protected range with id: ${id + 1000}` });
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ deleteProtectedRange: { protectedRangeId: id } }] } });
    expect(server.state.get(spreadsheetId).protectedRanges).toEqual([]);
  });

  it('deleteSheet removes the tab with its protected ranges, its metadata and the metadata of its columns; the last tab and an unknown id are refused as Google refuses them', async () => {
    const alone = await newSpreadsheet();
    const [keep, doomed] = (await addTabs(alone, ['台账', '升级名单'])) as [number, number];
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: alone,
      requestBody: {
        requests: [
          { createDeveloperMetadata: { developerMetadata: { metadataKey: 'wealth-ladder.tab', metadataValue: '升级名单', location: { sheetId: doomed }, visibility: 'DOCUMENT' } } },
          { createDeveloperMetadata: { developerMetadata: { metadataKey: 'wealth-ladder.column', metadataValue: '客户号', location: { dimensionRange: { sheetId: doomed, dimension: 'COLUMNS', startIndex: 0, endIndex: 1 } }, visibility: 'DOCUMENT' } } },
          { createDeveloperMetadata: { developerMetadata: { metadataKey: 'wealth-ladder.column', metadataValue: '客户号', location: { dimensionRange: { sheetId: keep, dimension: 'COLUMNS', startIndex: 1, endIndex: 2 } }, visibility: 'DOCUMENT' } } },
          { addProtectedRange: { protectedRange: { range: { sheetId: doomed }, description: '[wealth-ladder:表 升级名单]', warningOnly: true } } },
        ],
      },
    });
    await sheets.spreadsheets.batchUpdate({ spreadsheetId: alone, requestBody: { requests: [{ deleteSheet: { sheetId: doomed } }] } });
    const model = server.state.get(alone);
    expect(model.sheets.map((t) => [t.properties.title, t.properties.index])).toEqual([
      ['Sheet1', 0],
      ['台账', 1],
    ]);
    expect(model.protectedRanges).toEqual([]);
    expect(model.developerMetadata.map((m) => [m.metadataKey, m.location.dimensionRange?.sheetId])).toEqual([['wealth-ladder.column', keep]]);
    expect(await statusOf(sheets.spreadsheets.batchUpdate({ spreadsheetId: alone, requestBody: { requests: [{ deleteSheet: { sheetId: doomed } }] } }))).toEqual({ status: 400, message: `Invalid requests[0].deleteSheet: No grid with id: ${doomed}` });
    await sheets.spreadsheets.batchUpdate({ spreadsheetId: alone, requestBody: { requests: [{ deleteSheet: { sheetId: 0 } }] } });
    expect(await statusOf(sheets.spreadsheets.batchUpdate({ spreadsheetId: alone, requestBody: { requests: [{ deleteSheet: { sheetId: keep } }] } }))).toEqual({ status: 400, message: "Invalid requests[0].deleteSheet: You can't remove all the sheets in a document." });
    expect(server.state.get(alone).sheets.map((t) => t.properties.title)).toEqual(['台账']);
  });

  it('appendDimension grows the grid so that a write beyond the old edge succeeds', async () => {
    const beyond = { spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!AA1001', values: [['x']] }] } };
    expect((await statusOf(sheets.spreadsheets.values.batchUpdate(beyond))).status).toBe(400);
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId,
      requestBody: { requests: [{ appendDimension: { sheetId: 0, dimension: 'ROWS', length: 5 } }, { appendDimension: { sheetId: 0, dimension: 'COLUMNS', length: 1 } }] },
    });
    await sheets.spreadsheets.values.batchUpdate(beyond);
    const grid = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties.gridProperties' });
    expect(grid.data.sheets?.[0]?.properties?.gridProperties).toEqual({ rowCount: 1005, columnCount: 27 });
    expect(server.state.cell(spreadsheetId, 'Sheet1', 1001, 26)).toEqual({ value: 'x', formula: false });
  });

  it("sortRange reorders a manager's rows by a column, moving only the cells inside the range", async () => {
    await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId,
      requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1', values: [['客户号', '等级', '外'], ['C1', '普通', 'a'], ['C2', '', 'b'], ['C3', '财富', 'c'], ['C4', '普通', 'd']] }] },
    });
    // rows 2–5, columns A–B, by B descending: blanks stay last, ties keep their order
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ sortRange: { range: { sheetId: 0, startRowIndex: 1, endRowIndex: 5, startColumnIndex: 0, endColumnIndex: 2 }, sortSpecs: [{ dimensionIndex: 1, sortOrder: 'DESCENDING' }] } }] } });
    // '财富' (U+8D22) > '普通' (U+666E) by code point
    expect(server.state.values(spreadsheetId, 'Sheet1')).toEqual([['客户号', '等级', '外'], ['C3', '财富', 'a'], ['C1', '普通', 'b'], ['C4', '普通', 'c'], ['C2', '', 'd']]);
  });

  it("lets the client's own retry ride out a 503 on a GET", async () => {
    server.failNext(1, 503, (r) => r.spreadsheetId === spreadsheetId);
    const got = await sheets.spreadsheets.get({ spreadsheetId, fields: 'spreadsheetId' }, { retryConfig: { retryDelay: 1 } });
    expect(got.data).toEqual({ spreadsheetId });
    expect(server.requests.filter((r) => r.spreadsheetId === spreadsheetId).map((r) => r.status).slice(-2)).toEqual([503, 200]);
  });
});

describe('Sheets API test server: charts and sheet properties', () => {
  let spreadsheetId: string;
  let tabId: number;
  beforeEach(async () => {
    spreadsheetId = await newSpreadsheet();
    [tabId] = (await addTabs(spreadsheetId, ['月度趋势'])) as [number];
  });

  const column = (index: number, endRow: number) => ({ sheetId: tabId, startRowIndex: 0, endRowIndex: endRow, startColumnIndex: index, endColumnIndex: index + 1 });
  const spec = (endRow: number, seriesColumns = [1, 2]) => ({
    title: '各等级客户数',
    basicChart: {
      chartType: 'LINE',
      legendPosition: 'BOTTOM_LEGEND',
      headerCount: 1,
      axis: [{ position: 'BOTTOM_AXIS', title: '月份' }, { position: 'LEFT_AXIS', title: '客户数' }],
      domains: [{ domain: { sourceRange: { sources: [column(0, endRow)] } } }],
      series: seriesColumns.map((c) => ({ series: { sourceRange: { sources: [column(c, endRow)] } }, targetAxis: 'LEFT_AXIS' })),
    },
  });
  const overlay = (columnIndex = 5) => ({ overlayPosition: { anchorCell: { sheetId: tabId, rowIndex: 1, columnIndex } } });
  const addChart = (chart: Record<string, unknown>) => sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addChart: { chart } }] } });

  it('addChart keeps the chart (its id, spec and overlay with the default 600 × 371) and spreadsheets.get lists it on its sheet', async () => {
    const added = await addChart({ chartId: 42, spec: spec(4), position: overlay() });
    expect(added.data.replies?.[0]?.addChart?.chart).toEqual({ chartId: 42, spec: spec(4), position: { overlayPosition: { anchorCell: { sheetId: tabId, rowIndex: 1, columnIndex: 5 }, widthPixels: 600, heightPixels: 371 } } });
    const got = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets(properties.title,charts(chartId,spec(title,basicChart.series)))' });
    expect(got.data.sheets).toEqual([
      { properties: { title: 'Sheet1' } },
      { properties: { title: '月度趋势' }, charts: [{ chartId: 42, spec: { title: '各等级客户数', basicChart: { series: spec(4).basicChart.series } } }] },
    ]);
    // without an id the server chooses one; a taken id is refused
    const second = await addChart({ spec: spec(4), position: overlay(12) });
    expect(second.data.replies?.[0]?.addChart?.chart?.chartId).toEqual(expect.any(Number));
    expect(second.data.replies?.[0]?.addChart?.chart?.chartId).not.toBe(42);
    expect(await statusOf(addChart({ chartId: 42, spec: spec(4), position: overlay() }))).toEqual({ status: 400, message: 'Invalid requests[0].addChart: An embedded object with ID 42 already exists.' });
  });

  it('checks chart data as ChartSourceRange says: one row or column each, same number of sources, one domain, inside the grid', async () => {
    const twoColumns = { ...spec(4), basicChart: { ...spec(4).basicChart, series: [{ series: { sourceRange: { sources: [{ sheetId: tabId, startRowIndex: 0, endRowIndex: 4, startColumnIndex: 1, endColumnIndex: 3 }] } } }] } };
    expect((await statusOf(addChart({ spec: twoColumns, position: overlay() }))).message).toBe('Invalid requests[0].addChart: basicChart.series[0].sourceRange.sources[0]: exactly one dimension of a chart source range must have a length of 1.');
    const uneven = { ...spec(4), basicChart: { ...spec(4).basicChart, series: [{ series: { sourceRange: { sources: [column(1, 2), { ...column(1, 4), startRowIndex: 2 }] } } }] } };
    expect((await statusOf(addChart({ spec: uneven, position: overlay() }))).message).toBe('Invalid requests[0].addChart: basicChart.series[0]: the domain and all series must have the same number of source ranges.');
    const twoDomains = { ...spec(4), basicChart: { ...spec(4).basicChart, domains: [spec(4).basicChart.domains[0]!, spec(4).basicChart.domains[0]!] } };
    expect((await statusOf(addChart({ spec: twoDomains, position: overlay() }))).message).toBe('Invalid requests[0].addChart: Only a single domain is supported.');
    expect((await statusOf(addChart({ spec: spec(1001), position: overlay() }))).message).toContain('basicChart.domains[0].sourceRange.sources[0]: the range is empty or beyond the grid limits. Max rows: 1000');
    expect((await statusOf(addChart({ spec: spec(4), position: overlay(26) }))).message).toContain('The anchor cell (row 1, column 26) is beyond the grid limits');
    expect((await statusOf(addChart({ spec: { title: 'no type' }, position: overlay() }))).message).toContain('a chart spec needs exactly one chart type');
    expect((await statusOf(addChart({ spec: spec(4) }))).status).toBe(400);
    // a batch is atomic: a good chart before a bad request is not kept
    const batch = sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addChart: { chart: { spec: spec(4), position: overlay() } } }, { addChart: { chart: { spec: twoDomains, position: overlay() } } }] } });
    expect((await statusOf(batch)).message).toContain('Invalid requests[1].addChart');
    expect(server.state.get(spreadsheetId).charts ?? []).toEqual([]);
  });

  it('updateChartSpec replaces the spec (longer ranges); deleteEmbeddedObject removes the chart; unknown ids are refused', async () => {
    await addChart({ chartId: 7, spec: spec(4), position: overlay() });
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ updateChartSpec: { chartId: 7, spec: spec(6, [1, 2, 3]) } }] } });
    const got = await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.charts(chartId,spec.basicChart(domains,series))' });
    expect(got.data.sheets?.[1]?.charts?.[0]?.spec?.basicChart?.series?.map((s) => s.series?.sourceRange?.sources?.[0])).toEqual([column(1, 6), column(2, 6), column(3, 6)]);
    expect(got.data.sheets?.[1]?.charts?.[0]?.spec?.basicChart?.domains?.[0]?.domain?.sourceRange?.sources).toEqual([column(0, 6)]);
    expect(await statusOf(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ updateChartSpec: { chartId: 8, spec: spec(4) } }] } }))).toEqual({ status: 400, message: 'Invalid requests[0].updateChartSpec: No chart with id: 8' });
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ deleteEmbeddedObject: { objectId: 7 } }] } });
    expect((await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.charts' })).data).toEqual({ sheets: [{}, {}] });
    expect(await statusOf(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ deleteEmbeddedObject: { objectId: 7 } }] } }))).toEqual({ status: 400, message: 'Invalid requests[0].deleteEmbeddedObject: No embedded object with id: 7' });
  });

  it('updateSheetProperties freezes and unfreezes the header row by its field mask, and refuses what it does not update', async () => {
    const update = (properties: Record<string, unknown>, fields: string) => sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ updateSheetProperties: { properties: { sheetId: tabId, ...properties }, fields } }] } });
    const grid = async () => (await sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties(title,gridProperties)' })).data.sheets?.[1]?.properties;
    await update({ title: 'ignored: not in the mask', gridProperties: { frozenRowCount: 1 } }, 'gridProperties.frozenRowCount');
    expect(await grid()).toEqual({ title: '月度趋势', gridProperties: { rowCount: 1000, columnCount: 26, frozenRowCount: 1 } });
    // in the mask but not given: back to the default (0, which the resource leaves out)
    await update({}, 'gridProperties.frozenRowCount');
    expect(await grid()).toEqual({ title: '月度趋势', gridProperties: { rowCount: 1000, columnCount: 26 } });
    await update({ title: '趋势' }, 'title');
    expect((await grid())?.title).toBe('趋势');
    expect(await statusOf(update({ gridProperties: { rowCount: 5 } }, 'gridProperties.rowCount'))).toEqual({ status: 400, message: 'Invalid requests[0].updateSheetProperties: Invalid field mask: the test server does not update "gridProperties.rowCount" of SheetProperties.' });
    expect((await statusOf(update({ gridProperties: { frozenRowCount: 1000 } }, 'gridProperties.frozenRowCount'))).message).toBe("Invalid requests[0].updateSheetProperties: You can't freeze all visible rows on the sheet.");
  });
});
