import { google, type sheets_v4 } from 'googleapis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * The Sheets API test server's request hold (test/support/sheets-api-server/request-hold.ts),
 * with the real googleapis client: a held request is recorded but neither applied nor answered
 * until released, and is then served against the spreadsheet as it is at that moment.
 */

let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let a = '';
let b = '';

beforeEach(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  [a, b] = await Promise.all([create(), create()]);
});
afterEach(async () => {
  await server.close();
});

async function create(): Promise<string> {
  return (await sheets.spreadsheets.create({ requestBody: { properties: { title: 't' } } })).data.spreadsheetId!;
}

function write(spreadsheetId: string, value: string) {
  return sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1', values: [[value]] }] } });
}

async function read(spreadsheetId: string): Promise<unknown> {
  return (await sheets.spreadsheets.values.get({ spreadsheetId, range: 'Sheet1!A1' })).data.values?.[0]?.[0];
}

describe('holding a request on the Sheets API test server', () => {
  it('keeps a write unapplied and unanswered until released, while other requests pass', async () => {
    const hold = server.holdNext('values.batchUpdate', (r) => r.spreadsheetId === a);
    let answered = false;
    const pending = write(a, 'held').then((r) => ((answered = true), r));
    const request = await hold.arrived;
    expect(request).toMatchObject({ operation: 'values.batchUpdate', spreadsheetId: a, status: 0 });
    // meanwhile: another spreadsheet's write and a read of the held one go through
    await write(b, 'free');
    expect(await read(b)).toBe('free');
    expect(await read(a)).toBeUndefined();
    expect(answered).toBe(false);
    hold.release();
    expect((await pending).status).toBe(200);
    expect(await read(a)).toBe('held');
    expect(request.status).toBe(200);
  });

  it('is served against the spreadsheet as it is at release: a write made meanwhile is overwritten', async () => {
    const hold = server.holdNext('values.batchUpdate');
    const pending = write(a, 'old plan');
    await hold.arrived;
    await write(a, 'meanwhile'); // only the next matching request is held
    expect(await read(a)).toBe('meanwhile');
    hold.release();
    await pending;
    expect(await read(a)).toBe('old plan');
  });

  it('a hold released before its request arrives is withdrawn', async () => {
    const hold = server.holdNext('values.batchUpdate');
    hold.release();
    await write(a, 'straight through');
    expect(await read(a)).toBe('straight through');
  });

  it('closing the server lets a held request go rather than hang', async () => {
    const hold = server.holdNext('values.batchUpdate');
    const pending = write(a, 'x').then(
      () => 'answered',
      () => 'connection closed',
    );
    await hold.arrived;
    await server.close();
    expect(['answered', 'connection closed']).toContain(await pending);
    server = await startSheetsApiServer(); // for afterEach
  });
});
