import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcIssuer, type OidcIssuer } from '../support/oidc-issuer.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { serveFunction, type FunctionsServer } from '../support/functions-server.js';

/**
 * sheetEdit's accepted token audiences (SHEET_EDIT_OIDC_AUDIENCES) over real HTTP: the built
 * entry module under functions-framework, google-auth-library verifying tokens against a test
 * issuer's certificates on loopback, the emulator underneath.
 */

const PROJECT = 'sheet-edit-oidc-audiences-test';
/** Two Cloud projects' OAuth client ids: the `aud` of ScriptApp.getIdentityToken() in each. */
const CLIENT_A = '111111111111-branchscriptsa.apps.googleusercontent.com';
const CLIENT_B = '222222222222-branchscriptsb.apps.googleusercontent.com';
const INSTALLER = 'manager@bank.example';
const { db, host, clear } = testFirestore(PROJECT);
let issuer: OidcIssuer;
let listed: FunctionsServer;
let emptyEntry: FunctionsServer;
let notAnAudience: FunctionsServer;

beforeAll(async () => {
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', spreadsheetId: 'SHEET-B01' });
  batch.set(db.collection('customers').doc('C1'), { customerId: 'C1', branchId: 'B01', profile: { archive: {} } });
  await batch.commit();
  issuer = await startOidcIssuer();
  const env = { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: PROJECT, SHEET_EDIT_OIDC_EMAILS: INSTALLER, OIDC_CERTS_URL: issuer.certsUrl };
  [listed, emptyEntry, notAnAudience] = await Promise.all([
    serveFunction('sheetEdit', { ...env, SHEET_EDIT_OIDC_AUDIENCES: `${CLIENT_A}, ${CLIENT_B}` }),
    serveFunction('sheetEdit', { ...env, SHEET_EDIT_OIDC_AUDIENCES: `${CLIENT_A},,${CLIENT_B}` }),
    serveFunction('sheetEdit', { ...env, SHEET_EDIT_OIDC_AUDIENCES: 'the branch script' }),
  ]);
});
afterAll(async () => {
  await Promise.all([listed?.stop(), emptyEntry?.stop(), notAnAudience?.stop()]);
  await issuer?.close();
  await db.terminate();
});

const edit = { branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank.example', rows: [{ row: 2, customerId: 'C1', cells: { 产品偏好: '稳健' } }] };

function post(url: string, aud: string): Promise<Response> {
  const token = issuer.token({ aud, email: INSTALLER, email_verified: true });
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(edit) });
}

describe('sheetEdit’s accepted audiences', () => {
  it('accepts a token for either listed client id, and refuses one for a client id not listed with 401', async () => {
    expect((await post(listed.url, CLIENT_B)).status).toBe(200);
    expect((await post(listed.url, CLIENT_A)).status).toBe(200);
    const other = await post(listed.url, '333333333333-anotherproject.apps.googleusercontent.com');
    expect(other.status).toBe(401);
    expect(((await other.json()) as { message: string }).message).toContain('the identity token is not valid');
  });

  it('a list with an empty entry, or an entry that is no audience, is a configuration error: 500 CONFIG_INVALID, the variable named in the log', async () => {
    for (const [server, cause] of [
      [emptyEntry, 'SHEET_EDIT_OIDC_AUDIENCES has an empty entry (number 2 of 3)'],
      [notAnAudience, 'is neither an OAuth client id (<digits>-<id>.apps.googleusercontent.com'],
    ] as const) {
      const response = await post(server.url, CLIENT_A);
      expect(response.status).toBe(500);
      expect(((await response.json()) as { code: string }).code).toBe('CONFIG_INVALID');
      expect(server.output()).toContain(cause);
    }
  });
});
