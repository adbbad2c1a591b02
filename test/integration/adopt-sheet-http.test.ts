import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../functions/http/request-signature.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { serveFunction, type FunctionsServer } from '../support/functions-server.js';
import { branchCells, createLedgerSpreadsheet, LEDGER_ROWS, LEDGER_TAB, LEDGER_WIDTH } from '../support/ledger-spreadsheet.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * adoptSheet over real HTTP: functions-framework serving the built entry module (npm run build
 * first), the emulator underneath, the googleapis client inside the function talking to the Sheets
 * API test server (SHEETS_API_ROOT). Called as the branch sheet's Apps Script calls it (menu
 * 财富阶梯 → 连接现有表格…): the preview first, then the adoption, signed like sheetEdit.
 */

const PROJECT = 'adopt-sheet-http-test';
const SECRET = 'sheet-edit-secret-for-adopt-tests';
const { db, host, clear } = testFirestore(PROJECT);
let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let adopt: FunctionsServer;
let unconfigured: FunctionsServer;
let ledger = '';
let theirs = '';

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  await clear();
  ledger = await createLedgerSpreadsheet(sheets);
  theirs = (await sheets.spreadsheets.create({ requestBody: { properties: { title: '城西支行' } } })).data.spreadsheetId!;
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', name: '城东支行', spreadsheetId: null });
  batch.set(db.collection('branches').doc('B02'), { branchId: 'B02', name: '城西支行', spreadsheetId: theirs });
  for (const id of ['0031000001', '0031000002', '0031000003']) batch.set(db.collection('customers').doc(id), { customerId: id, branchId: 'B01', profile: { archive: {} } });
  batch.set(db.collection('customers').doc('0032000001'), { customerId: '0032000001', branchId: 'B02', profile: { archive: {} } });
  await batch.commit();
  const env = { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: PROJECT, SHEETS_API_ROOT: server.url };
  [adopt, unconfigured] = await Promise.all([serveFunction('adoptSheet', { ...env, SHEET_EDIT_SECRET: SECRET }), serveFunction('adoptSheet', env)]);
});
afterAll(async () => {
  await Promise.all([adopt?.stop(), unconfigured?.stop()]);
  await server?.close();
  await db.terminate();
});

function post(url: string, body: unknown, sign = true): Promise<Response> {
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (sign) headers['x-ladder-signature'] = signRequest(SECRET, raw, Math.floor(Date.now() / 1000));
  return fetch(url, { method: 'POST', headers, body: raw });
}

const request = (more: Record<string, unknown> = {}) => ({ branchId: 'B01', spreadsheetId: ledger, editor: 'wang@branch', dryRun: true, ...more });
const operationsSince = (from: number, spreadsheetId = ledger) => server.requests.slice(from).filter((r) => r.spreadsheetId === spreadsheetId).map((r) => r.operation);
const BRANCH_TABS = { [LEDGER_TAB]: { rows: LEDGER_ROWS, columns: LEDGER_WIDTH }, 说明: { rows: 1, columns: 1 }, 汇总: { rows: 1, columns: 2 } };

describe('the adoptSheet function over HTTP', () => {
  it('refuses an unsigned or wrongly signed caller with 401 before anything is read, and answers 405 to anything but POST', async () => {
    const from = server.requests.length;
    expect((await post(adopt.url, request(), false)).status).toBe(401);
    const forged = await fetch(adopt.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ladder-signature': signRequest('another-secret-of-16-chars', JSON.stringify(request()), Math.floor(Date.now() / 1000)) }, body: JSON.stringify(request()) });
    expect(forged.status).toBe(401);
    expect((await fetch(adopt.url)).status).toBe(405);
    expect(server.requests.length).toBe(from);
  });

  it('refuses a body that is not the contract with 400 and where: unknown fields, no dryRun, a mapping that is not THEIRS=LAYOUT, an unknown missing mode', async () => {
    for (const [body, path] of [
      [{ ...request(), extra: 1 }, 'extra'],
      [{ branchId: 'B01', spreadsheetId: ledger, editor: 'wang@branch' }, 'dryRun'],
      [request({ map: ['联系电话'] }), 'map[0]'],
      [request({ missing: 'ignore' }), 'missing'],
      [request({ headerRow: 0 }), 'headerRow'],
    ] as const) {
      const response = await post(adopt.url, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { code: string; errors: { path: string }[] };
      expect(answer.code).toBe('INVALID_REQUEST');
      expect(answer.errors.map((e) => e.path)).toContain(path);
    }
  });

  it('dryRun: 200 with the preview and applied null; the spreadsheet is only read, nothing is stored', async () => {
    const before = await branchCells(sheets, ledger, BRANCH_TABS);
    const from = server.requests.length;
    const response = await post(adopt.url, request({ map: ['备注=联系备注'], missing: 'list' }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body).toMatchObject({ ok: true, applied: null, preview: { tab: LEDGER_TAB, headerRow: 4, keyColumn: 'B', matched: 3 } });
    expect(body.preview.columns.find((c: { header: string }) => c.header === '备注')).toMatchObject({ role: 'editable', field: '联系备注', by: 'map' });
    expect(operationsSince(from)).toEqual(['spreadsheets.get']);
    expect(await branchCells(sheets, ledger, BRANCH_TABS)).toEqual(before);
    expect((await db.collection('branches').doc('B01').get()).get('spreadsheetId')).toBeNull();
    expect((await db.collection('editLog').get()).size).toBe(0);
  });

  it('answers problems with 200 ok:false in the manager’s words: another branch’s spreadsheet (never read), one not shared with the system, a ledger without a key', async () => {
    const from = server.requests.length;
    const taken = (await (await post(adopt.url, request({ spreadsheetId: theirs, dryRun: false }))).json()) as any;
    expect(taken).toEqual({ ok: false, problems: [{ code: 'SPREADSHEET_OF_ANOTHER_BRANCH', zh: expect.stringContaining('其他支行'), en: expect.any(String) }] });
    expect(operationsSince(from, theirs)).toEqual([]);
    const missing = (await (await post(adopt.url, request({ spreadsheetId: 'not-shared-with-us' }))).json()) as any;
    expect(missing).toMatchObject({ ok: false, problems: [{ code: 'SPREADSHEET_NOT_READABLE' }] });
    const unknown = (await (await post(adopt.url, request({ branchId: 'B99' }))).json()) as any;
    expect(unknown).toMatchObject({ ok: false, problems: [{ code: 'BRANCH_NOT_REGISTERED' }] });
    const tab = (await (await post(adopt.url, request({ tab: '没有这页' }))).json()) as any;
    expect(tab).toMatchObject({ ok: false, problems: [{ code: 'TAB_NOT_FOUND' }] });
  });

  it('dryRun false: adopts — binding recorded, the spreadsheet registered as the branch’s, the archive stored with the editor; a second call finds it registered', async () => {
    const from = server.requests.length;
    const response = await post(adopt.url, request({ dryRun: false }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body).toMatchObject({ ok: true, preview: { tab: LEDGER_TAB }, applied: { spreadsheetId: ledger, registration: 'registered now', replaced: null, archive: { rowsSent: 3 } } });
    expect(operationsSince(from)).toEqual(['spreadsheets.get', 'spreadsheets.batchUpdate']);
    expect((await db.collection('branches').doc('B01').get()).get('spreadsheetId')).toBe(ledger);
    const log = await db.collection('editLog').where('branchId', '==', 'B01').get();
    expect(new Set(log.docs.map((d) => `${d.get('spreadsheetId')} ${d.get('editor')}`))).toEqual(new Set([`${ledger} wang@branch`]));
    const again = (await (await post(adopt.url, request({ dryRun: false }))).json()) as any;
    expect(again.applied.registration).toBe('registered');
    // now B02 may not take it
    const b02 = (await (await post(adopt.url, request({ branchId: 'B02' }))).json()) as any;
    expect(b02.problems[0].code).toBe('SPREADSHEET_OF_ANOTHER_BRANCH');
  });

  it('answers 500 CONFIG_INVALID when deployed with neither SHEET_EDIT_SECRET nor an OIDC policy', async () => {
    const response = await post(unconfigured.url, request());
    expect(response.status).toBe(500);
    expect(((await response.json()) as any).code).toBe('CONFIG_INVALID');
  });
});
