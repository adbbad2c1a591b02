import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../functions/http/request-signature.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { serveFunction, type FunctionsServer } from '../support/functions-server.js';

/** sheetEdit over real HTTP: functions-framework serving the built entry module, the emulator underneath. */

const PROJECT = 'sheet-edit-http-test';
const SECRET = 'sheet-edit-secret-for-http-tests';
const { db, host, clear } = testFirestore(PROJECT);
let configured: FunctionsServer;
let unconfigured: FunctionsServer;

beforeAll(async () => {
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', spreadsheetId: 'SHEET-B01' });
  batch.set(db.collection('customers').doc('C1'), { customerId: 'C1', branchId: 'B01', profile: { archive: {} } });
  await batch.commit();
  const env = { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: PROJECT, INGEST_TOKEN: 'unused-ingest-token-0000' };
  [configured, unconfigured] = await Promise.all([serveFunction('sheetEdit', { ...env, SHEET_EDIT_SECRET: SECRET }), serveFunction('sheetEdit', env)]);
});
afterAll(async () => {
  await Promise.all([configured?.stop(), unconfigured?.stop()]);
  await db.terminate();
});

function post(url: string, body: unknown, sign = true): Promise<Response> {
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (sign) headers['x-ladder-signature'] = signRequest(SECRET, raw, Math.floor(Date.now() / 1000));
  return fetch(url, { method: 'POST', headers, body: raw });
}

const edit = { branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank', rows: [{ row: 3, customerId: 'C1', cells: { 工作单位: '市第一医院', 风险特征: 'C7' } }] };

describe('the sheetEdit function over HTTP', () => {
  it('stores a signed edit and answers per cell', async () => {
    const response = await post(configured.url, edit);
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.rows[0]).toMatchObject({ row: 3, customerId: 'C1', accepted: ['工作单位'], refused: [{ column: '风险特征', zh: '风险特征应为C1–C5之一' }] });
    expect((await db.collection('customers').doc('C1').get()).get('profile.archive.employer')).toBe('市第一医院');
  });

  it('refuses an unsigned request with 401', async () => {
    expect((await post(configured.url, edit, false)).status).toBe(401);
  });

  it('answers 500 CONFIG_INVALID when deployed without its secret, and the server still runs', async () => {
    const response = await post(unconfigured.url, edit);
    expect(response.status).toBe(500);
    expect(((await response.json()) as any).code).toBe('CONFIG_INVALID');
    expect(unconfigured.output()).toContain('SHEET_EDIT_SECRET must be set');
  });
});
