import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * The test server refuses what Google refuses, in Google's words and error shape, through the
 * real googleapis client: unknown JSON names, values of the wrong type, unknown `fields=` paths
 * (all from Google's discovery document), editors on a warning-only protected range, and grids
 * past Google's limits. Each of these requests was answered 200 by the server before.
 */

let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
});

afterAll(async () => {
  await server.close();
});

/** the HTTP status and the JSON body a googleapis call was refused with */
async function refusal(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await call;
  } catch (error: any) {
    return { status: error.response?.status, body: error.response?.data };
  }
  throw new Error('expected the call to be refused');
}

const badRequestBody = (violations: { field?: string; description: string }[]) => ({
  error: {
    code: 400,
    message: violations.map((v) => v.description).join('\n'),
    status: 'INVALID_ARGUMENT',
    details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations }],
  },
});

const plainBadRequest = (message: string) => ({ error: { code: 400, message, status: 'INVALID_ARGUMENT' } });

describe('the strict Sheets API test server', () => {
  let spreadsheetId: string;
  beforeEach(async () => {
    const created = await sheets.spreadsheets.create({ requestBody: { properties: { title: '严格' } } });
    spreadsheetId = created.data.spreadsheetId!;
  });

  it('an unknown name in a request is refused with the path in proto names and the name as sent', async () => {
    const requests = [{ addSheet: { properties: { title: '新' }, foo: 1 } }] as unknown as sheets_v4.Schema$Request[];
    const got = await refusal(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }));
    expect(got.status).toBe(400);
    expect(got.body).toEqual(badRequestBody([{ field: 'requests[0].add_sheet', description: `Invalid JSON payload received. Unknown name "foo" at 'requests[0].add_sheet': Cannot find field.` }]));
    expect(server.state.get(spreadsheetId).sheets.map((s) => s.properties.title)).toEqual(['Sheet1']);
  });

  it('every unknown name of a body is listed, one at the body itself without a path', async () => {
    const requestBody = { requests: [{ addSheet: { properties: { title: '新', colour: 'red' } } }], dryRun: true } as unknown as sheets_v4.Schema$BatchUpdateSpreadsheetRequest;
    const got = await refusal(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody }));
    expect(got.body).toEqual(
      badRequestBody([
        { field: 'requests[0].add_sheet.properties', description: `Invalid JSON payload received. Unknown name "colour" at 'requests[0].add_sheet.properties': Cannot find field.` },
        { description: 'Invalid JSON payload received. Unknown name "dryRun": Cannot find field.' },
      ]),
    );
  });

  it('a value of the wrong JSON type is refused, naming the field type or the message type', async () => {
    const wrongInt = [{ addSheet: { properties: { title: '新', index: 'first' } } }] as unknown as sheets_v4.Schema$Request[];
    expect((await refusal(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: wrongInt } }))).body).toEqual(
      badRequestBody([{ field: 'requests[0].add_sheet.properties.index', description: `Invalid value at 'requests[0].add_sheet.properties.index' (TYPE_INT32), "first"` }]),
    );
    const scalarForMessage = [{ addSheet: 'x' }] as unknown as sheets_v4.Schema$Request[];
    expect((await refusal(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: scalarForMessage } }))).body).toEqual(
      badRequestBody([{ field: 'requests[0].add_sheet', description: `Invalid value at 'requests[0].add_sheet' (type.googleapis.com/google.apps.sheets.v4.AddSheetRequest), "x"` }]),
    );
    expect(server.state.get(spreadsheetId).sheets.map((s) => s.properties.title)).toEqual(['Sheet1']);
    // proto3 JSON takes an integer written as a string, and null for a field at its default, as Google does
    const lenient = [{ addSheet: { properties: { title: '新', index: '0', hidden: null } } }] as unknown as sheets_v4.Schema$Request[];
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: lenient } });
    expect(server.state.get(spreadsheetId).sheets.map((s) => s.properties.title)).toEqual(['新', 'Sheet1']);
  });

  it('values.batchUpdate bodies are checked the same way', async () => {
    const requestBody = { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1', values: [['x']], valuez: [] }] } as unknown as sheets_v4.Schema$BatchUpdateValuesRequest;
    expect((await refusal(sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody }))).body).toEqual(
      badRequestBody([{ field: 'data[0]', description: `Invalid JSON payload received. Unknown name "valuez" at 'data[0]': Cannot find field.` }]),
    );
    const badOption = { valueInputOption: 'TYPED', data: [] } as sheets_v4.Schema$BatchUpdateValuesRequest;
    expect((await refusal(sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: badOption }))).body).toEqual(
      badRequestBody([{ field: 'value_input_option', description: `Invalid value at 'value_input_option' (TYPE_ENUM), "TYPED"` }]),
    );
  });

  it('a fields= path the response does not have is refused; every path the discovery document has is served', async () => {
    const bogus = await refusal(sheets.spreadsheets.get({ spreadsheetId, fields: 'spreadsheetId,sheets.properties.bogus' }));
    expect(bogus).toEqual({ status: 400, body: plainBadRequest(`Error expanding 'fields' parameter. Cannot find matching fields for path 'sheets.properties.bogus'.`) });
    const pastScalar = await refusal(sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets(properties(title(x)))' }));
    expect(pastScalar.body).toEqual(plainBadRequest(`Error expanding 'fields' parameter. Cannot find matching fields for path 'sheets.properties.title.x'.`));
    const onWrite = await refusal(sheets.spreadsheets.batchUpdate({ spreadsheetId, fields: 'replies,spreadsheet', requestBody: { requests: [{ addSheet: {} }] } }));
    expect(onWrite.body).toEqual(plainBadRequest(`Error expanding 'fields' parameter. Cannot find matching fields for path 'spreadsheet'.`));

    const ok = await sheets.spreadsheets.get({ spreadsheetId, fields: 'spreadsheetId,sheets(properties(sheetId,title,gridProperties(rowCount)),merges,protectedRanges,conditionalFormats,developerMetadata,charts,data.rowData.values.userEnteredValue)' });
    expect(ok.data.sheets?.[0]?.properties).toEqual({ sheetId: 0, title: 'Sheet1', gridProperties: { rowCount: 1000 } });
  });

  it('editors on a warning-only protected range are refused as Google refuses them; warning-only alone is taken', async () => {
    const protectedRange = { range: { sheetId: 0, startRowIndex: 0, endRowIndex: 1 }, warningOnly: true, editors: { users: ['robot@example.com'] } };
    const got = await refusal(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addProtectedRange: { protectedRange } }] } }));
    expect(got).toEqual({ status: 400, body: plainBadRequest('Invalid requests[0].addProtectedRange: ProtectedRange is warningOnly. Editors cannot be set on it.') });
    const { editors: _editors, ...warningOnly } = protectedRange;
    await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addProtectedRange: { protectedRange: warningOnly } }] } });
    const [kept] = server.state.get(spreadsheetId).protectedRanges;
    expect(kept?.warningOnly).toBe(true);
    const update = await refusal(
      sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ updateProtectedRange: { protectedRange: { protectedRangeId: kept!.protectedRangeId, editors: { users: ['robot@example.com'] } }, fields: 'editors' } }] } }),
    );
    expect(update.body).toEqual(plainBadRequest('Invalid requests[0].updateProtectedRange: ProtectedRange is warningOnly. Editors cannot be set on it.'));
  });

  it('grids past 18,278 columns or 10,000,000 cells are refused; up to the limits they are taken', async () => {
    // the new tab is 1000 rows × 26 columns
    const append = (dimension: 'ROWS' | 'COLUMNS', length: number) => sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ appendDimension: { sheetId: 0, dimension, length } }] } });
    expect((await refusal(append('COLUMNS', 18_278 - 26 + 1))).body).toEqual(
      plainBadRequest('Invalid requests[0].appendDimension: This action would increase the number of columns in the sheet above the limit of 18278 columns.'),
    );
    // 384,615 rows × 26 columns = 9,999,990 cells; one more row is 10,000,016
    expect((await refusal(append('ROWS', 384_616 - 1000))).body).toEqual(
      plainBadRequest('Invalid requests[0].appendDimension: This action would increase the number of cells in the workbook above the limit of 10000000 cells.'),
    );
    await append('ROWS', 384_615 - 1000);
    expect(server.state.get(spreadsheetId).sheets[0]?.properties.gridProperties).toEqual({ rowCount: 384_615, columnCount: 26 });
    // every tab counts: a second tab of 1000 × 26 would pass the limit
    expect((await refusal(sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addSheet: { properties: { title: '二' } } }] } }))).body).toEqual(
      plainBadRequest('Invalid requests[0].addSheet: This action would increase the number of cells in the workbook above the limit of 10000000 cells.'),
    );
  });
});
