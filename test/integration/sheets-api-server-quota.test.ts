import { google, type sheets_v4 } from 'googleapis';
import { afterEach, describe, expect, it } from 'vitest';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * The Sheets API test server's per-minute quota, through googleapis over HTTP, as Google answers
 * it: 60 read and 60 write requests a minute per user, 300 of each per project, reads and writes
 * counted apart, any 60 s of the server's clock (a fake one here), and a refusal answered 429
 * RESOURCE_EXHAUSTED with an ErrorInfo naming the limit (Sheets API "Usage limits"; the body as
 * quota.ts documents it).
 */

let server: SheetsApiServer;
let now = 1_800_000_000_000;

afterEach(async () => {
  await server?.close();
});

const as = (user: string): sheets_v4.Sheets => google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url, headers: { Authorization: `Bearer ${user}` } });

/** the status and body of a call, whether it was answered 200 or refused (googleapis' own retries off: each call is one request) */
async function answer(call: Promise<unknown>): Promise<{ status: number; body: any }> {
  try {
    const response = (await call) as { status: number; data: unknown };
    return { status: response.status, body: response.data };
  } catch (error) {
    const e = error as { response?: { status: number; data: unknown } };
    if (e.response === undefined) throw error;
    return { status: e.response.status, body: e.response.data };
  }
}

async function newSpreadsheet(user: string): Promise<string> {
  return (await as(user).spreadsheets.create({ requestBody: { properties: { title: user } } })).data.spreadsheetId!;
}

const read = (user: string, spreadsheetId: string) => answer(as(user).spreadsheets.values.get({ spreadsheetId, range: 'Sheet1!A1' }, { retry: false }));
const write = (user: string, spreadsheetId: string) => answer(as(user).spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [{ range: 'Sheet1!A1', values: [['x']] }] } }, { retry: false }));

describe('the Sheets API test server’s quota', () => {
  it('answers a user’s 61st read in a minute 429 with Google’s body; the same user’s writes, another user’s reads and the next minute go on', async () => {
    server = await startSheetsApiServer({ quota: { now: () => now, projectNumber: '111122223333' } });
    const id = await newSpreadsheet('setup'); // one write of "setup"
    for (let i = 0; i < 60; i++) expect((await read('ana', id)).status).toBe(200);
    const refused = await read('ana', id);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:111122223333'.",
    });
    expect(refused.body.error.details).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: expect.objectContaining({ quota_metric: 'sheets.googleapis.com/read_requests', quota_limit: 'ReadRequestsPerMinutePerUser', quota_limit_value: '60', service: 'sheets.googleapis.com' }),
      },
    ]);
    expect((await write('ana', id)).status).toBe(200); // writes are counted apart
    expect((await read('ben', id)).status).toBe(200); // another user has a minute of his own
    now += 59_999;
    expect((await read('ana', id)).status).toBe(429); // the first read is still inside the last 60 s
    now += 1;
    expect((await read('ana', id)).status).toBe(200); // 60 s after the first: it no longer counts
    // a refused request is not counted: ana had 60 accepted, the oldest aged out, one more accepted
    expect(server.quota!.report()).toMatchObject({ refused: 2, mostPerUser: { read: 60, write: 1 } });
  });

  it('holds 300 reads a minute for the project over all its users, answered as the project’s limit', async () => {
    server = await startSheetsApiServer({ quota: { now: () => now } });
    const id = await newSpreadsheet('setup');
    for (let user = 1; user <= 5; user++) for (let i = 0; i < 60; i++) expect((await read(`user-${user}`, id)).status).toBe(200);
    const refused = await read('user-6', id);
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toContain("limit 'Read requests per minute'");
    expect(refused.body.error.details[0].metadata).toMatchObject({ quota_limit: 'ReadRequestsPerMinutePerProject', quota_limit_value: '300' });
    expect((await write('user-6', id)).status).toBe(200);
    expect(server.quota!.report().mostPerProject).toEqual({ read: 300, write: 2 });
  });

  it('starts its figures afresh on resetReport, while the minutes already counted still limit what follows', async () => {
    server = await startSheetsApiServer({ quota: { now: () => now } });
    const id = await newSpreadsheet('setup');
    for (let i = 0; i < 60; i++) await read('ana', id);
    server.quota!.resetReport();
    expect(server.quota!.report()).toEqual({ refused: 0, mostPerUser: { read: 0, write: 0 }, mostPerProject: { read: 0, write: 0 } });
    expect((await read('ana', id)).status).toBe(429);
    expect(server.quota!.report().refused).toBe(1);
  });
});
