import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestsOf } from '../../functions/sheets/google-sheets-requests.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * The test server honours the plain-text number format on USER_ENTERED writes, as a typed value
 * behaves in Google Sheets: in a cell formatted TEXT (the system's repeatCell on 家庭电话) a digit
 * string stays text with its leading 0; in a cell left Automatic it becomes the number.
 */

let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
});
afterAll(() => server.close());

describe('plain-text format on the Sheets API test server', () => {
  it('a digit string typed into a TEXT cell keeps its 0; beside it, and in the header row above it, it becomes a number', async () => {
    const id = (await sheets.spreadsheets.create({ requestBody: { properties: { title: 't' } } })).data.spreadsheetId!;
    // column E (5) from row 2 down, as the planner asks for 家庭电话
    await sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: requestsOf([{ kind: 'textFormat', sheetId: 0, column: 5, fromRow: 2 }]) } });
    await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: { valueInputOption: 'USER_ENTERED', data: [{ range: 'Sheet1!E1', values: [['02112345678'], ['02112345678']] }, { range: 'Sheet1!F2', values: [['02112345678']] }] },
    });
    expect(server.state.cell(id, 'Sheet1', 2, 4)).toEqual({ value: '02112345678', formula: false });
    expect(server.state.cell(id, 'Sheet1', 2, 5)).toEqual({ value: 2112345678, formula: false });
    expect(server.state.cell(id, 'Sheet1', 1, 4)).toEqual({ value: 2112345678, formula: false });
  });
});
