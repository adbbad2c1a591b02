import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../functions/http/request-signature.js';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { parseMonth } from '../../shared/month.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { serveFunction, type FunctionsServer } from '../support/functions-server.js';
import { startOidcIssuer, type OidcIssuer } from '../support/oidc-issuer.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * The nightlyBranch function over real HTTP: functions-framework serving the built entry
 * module, the emulator underneath, the real googleapis client inside the function talking to
 * the Sheets API test server (SHEETS_API_ROOT), and OIDC tokens checked by google-auth-library
 * against a loopback issuer.
 */

const PROJECT = 'nightly-branch-http-test';
const SECRET = 'nightly-secret-for-http-tests-01';
const AUDIENCE = 'https://nightly.example/nightlyBranch';
const SCHEDULER = 'scheduler@bank.iam.gserviceaccount.com';
const { db, host, clear } = testFirestore(PROJECT);
let sheetsServer: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let issuer: OidcIssuer;
let fn: FunctionsServer;
let spreadsheetId = '';

beforeAll(async () => {
  await clear();
  [sheetsServer, issuer] = await Promise.all([startSheetsApiServer(), startOidcIssuer()]);
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: sheetsServer.url });
  spreadsheetId = (await sheets.spreadsheets.create({ requestBody: { properties: { title: '城东支行' } } })).data.spreadsheetId!;
  const month = (text: string, average: number, days: number) => ({ month: parseMonth(text)!, assetDaySum: average * 100 * days, monthEndAssets: average * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] });
  // N1 averaged 250,000 a day in October (≥ 200,000): 中银理财客户 from November.
  await writeHistory(db, [
    { customerId: 'N1', branchId: 'B01', ...month('2026-09', 150_000, 30) },
    { customerId: 'N1', branchId: 'B01', ...month('2026-10', 250_000, 31) },
    { customerId: 'M1', branchId: 'B02', ...month('2026-10', 250_000, 31) },
  ]);
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', spreadsheetId });
  batch.set(db.collection('branches').doc('B02'), { branchId: 'B02', spreadsheetId: 'no-such-spreadsheet' });
  batch.set(db.collection('customers').doc('N1'), { customerId: 'N1', branchId: 'B01' });
  batch.set(db.collection('customers').doc('M1'), { customerId: 'M1', branchId: 'B02' });
  await batch.commit();
  fn = await serveFunction('nightlyBranch', {
    FIRESTORE_EMULATOR_HOST: host,
    GOOGLE_CLOUD_PROJECT: PROJECT,
    NIGHTLY_SECRET: SECRET,
    NIGHTLY_OIDC_AUDIENCES: AUDIENCE,
    NIGHTLY_OIDC_EMAILS: SCHEDULER,
    OIDC_CERTS_URL: issuer.certsUrl,
    SHEETS_API_ROOT: sheetsServer.url,
  });
});
afterAll(async () => {
  await fn?.stop();
  await Promise.all([sheetsServer?.close(), issuer?.close()]);
  await db.terminate();
});

function post(body: unknown, auth: 'signed' | 'none' | { bearer: string } = 'signed'): Promise<Response> {
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth === 'signed') headers['x-ladder-signature'] = signRequest(SECRET, raw, Math.floor(Date.now() / 1000));
  else if (auth !== 'none') headers['authorization'] = `Bearer ${auth.bearer}`;
  return fetch(fn.url, { method: 'POST', headers, body: raw });
}

describe('the nightlyBranch function over HTTP', () => {
  it('runs a branch for a business date, writes its sheet and records the run', async () => {
    const response = await post({ branchId: 'B01', businessDate: '2026-11-10' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ branchId: 'B01', businessDate: '2026-11-10', customers: 1, tierEventsCreated: 1, spreadsheetId });
    const values = (await sheets.spreadsheets.values.get({ spreadsheetId, range: "'客户名单'" })).data.values as string[][];
    expect(values[1]![values[0]!.indexOf('当前等级')]).toBe('中银理财客户');
    const run = (await db.collection('runs').doc('nightly_2026-11-10_B01').get()).data();
    expect(run).toMatchObject({ kind: 'nightly', branchId: 'B01', businessDate: '2026-11-10', status: 'done', error: null, report: { customers: 1, tierEventsCreated: 1 } });
    expect(typeof run?.['durationMs']).toBe('number');
    // head office's copy: N1 rose to licai this period (decided on October, effective November)
    const summary = (await db.collection('branchSummaries').doc('B01_2026-11').get()).data();
    expect(summary).toMatchObject({ branchId: 'B01', businessDate: '2026-11-10', month: '2026-11', customers: 1, byTier: { base: 0, licai: 1, wealth: 0, private: 0 }, promotions: 1, losses: 0 });
  });

  it('accepts the scheduler’s OIDC token, and a re-run of the same date creates no second tier event', async () => {
    const response = await post({ branchId: 'B01', businessDate: '2026-11-10' }, { bearer: issuer.token({ aud: AUDIENCE, email: SCHEDULER, email_verified: true }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ tierEventsCreated: 0, cellsWritten: 0 });
    expect((await db.collection('tierEvents').get()).size).toBe(1);
  });

  it('refuses callers it cannot authenticate', async () => {
    expect((await post({ branchId: 'B01' }, 'none')).status).toBe(401);
    const other = await post({ branchId: 'B01' }, { bearer: issuer.token({ aud: AUDIENCE, email: 'someone@gmail.com', email_verified: true }) });
    expect(other.status).toBe(401);
    expect(((await other.json()) as any).message).toContain('someone@gmail.com is not allowed');
  });

  it('refuses a bad body, a future date and an unknown branch, saying why', async () => {
    const bad = await post({ branch: 'B01' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors).toEqual(expect.arrayContaining([{ path: 'branchId', message: expect.any(String) }, { path: 'branch', message: 'unknown field' }]));
    const future = await post({ branchId: 'B01', businessDate: '2099-12-31' });
    expect(future.status).toBe(400);
    expect(((await future.json()) as any).errors[0].message).toContain('must not be after today');
    expect((await post({ branchId: 'B99' })).status).toBe(404);
  });

  it('records a failed branch with its error and answers 500, and the function keeps serving', async () => {
    const response = await post({ branchId: 'B02', businessDate: '2026-11-10' });
    expect(response.status).toBe(500);
    expect(((await response.json()) as any).code).toBe('RUN_FAILED');
    const run = (await db.collection('runs').doc('nightly_2026-11-10_B02').get()).data();
    expect(run).toMatchObject({ status: 'failed', branchId: 'B02' });
    expect(String(run?.['error'])).not.toBe('');
    expect((await post({ branchId: 'B01', businessDate: '2026-11-10' })).status).toBe(200);
  });
});
