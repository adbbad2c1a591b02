import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../functions/http/request-signature.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { serveFunction, type FunctionsServer } from '../support/functions-server.js';
import { startOidcIssuer, type OidcIssuer } from '../support/oidc-issuer.js';

/**
 * Every HTTP function authenticates (security), over real HTTP: ingest, sheetEdit and
 * nightlyBranch served by functions-framework from the built entry module, each deployed as in
 * production with its own secret and OIDC policy. Every kind of caller that is not allowed —
 * none, a wrong bearer token, a forged / stale / malformed signature, a signature over other
 * bytes, an OIDC token of another audience, another account, an unverified e-mail, an unknown
 * key or expired — gets 401 and leaves nothing behind in Firestore (no run, no edit, no fact).
 * The allowed callers are accepted (so the refusals are not everything being refused).
 */

const PROJECT = 'reliability-http-auth';
const INGEST_TOKEN = 'reliability-ingest-token-0123456789';
const SHEET_SECRET = 'reliability-sheet-secret-0123456789';
const NIGHTLY_SECRET = 'reliability-nightly-secret-0123456789';
const AUDIENCE = 'https://nightly.example/fn';
const SCHEDULER = 'scheduler@bank-project.iam.gserviceaccount.com';
const { db, host, clear } = testFirestore(PROJECT);
let issuer: OidcIssuer;
let ingest: FunctionsServer;
let sheetEdit: FunctionsServer;
let nightly: FunctionsServer;

beforeAll(async () => {
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', spreadsheetId: 'SHEET-B01' });
  batch.set(db.collection('customers').doc('C1'), { customerId: 'C1', branchId: 'B01', profile: { archive: {} } });
  await batch.commit();
  issuer = await startOidcIssuer();
  const base = { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: PROJECT, OIDC_CERTS_URL: issuer.certsUrl };
  [ingest, sheetEdit, nightly] = await Promise.all([
    serveFunction('ingest', { ...base, INGEST_TOKEN }),
    serveFunction('sheetEdit', { ...base, SHEET_EDIT_SECRET: SHEET_SECRET, SHEET_EDIT_OIDC_AUDIENCES: AUDIENCE, SHEET_EDIT_OIDC_EMAILS: SCHEDULER }),
    // the Sheets root is loopback and unused: every call here is refused before the run
    serveFunction('nightlyBranch', { ...base, NIGHTLY_SECRET, NIGHTLY_OIDC_AUDIENCES: AUDIENCE, NIGHTLY_OIDC_EMAILS: SCHEDULER, SHEETS_API_ROOT: 'http://127.0.0.1:9/' }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([ingest?.stop(), sheetEdit?.stop(), nightly?.stop(), issuer?.close()]);
  await db.terminate();
});

const now = () => Math.floor(Date.now() / 1000);
const INGEST_BODY = JSON.stringify({ businessDate: '2026-11-02', files: { 'customers.csv': Buffer.from('customer_id,branch_id\nC9,B01\n').toString('base64') } });
const EDIT_BODY = JSON.stringify({ branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank', rows: [{ row: 2, customerId: 'C1', cells: { 工作单位: '闯入者' } }] });
const NIGHTLY_BODY = JSON.stringify({ branchId: 'B01', businessDate: '2026-11-10' });

function post(url: string, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** What a refused call must not have left: no ingest run, no fact or customer, no edit, no nightly run. */
async function nothingStored(): Promise<void> {
  expect((await db.collection('runs').count().get()).data().count).toBe(0);
  expect((await db.collection('facts').count().get()).data().count).toBe(0);
  expect((await db.collection('editLog').count().get()).data().count).toBe(0);
  expect((await db.collection('customers').count().get()).data().count).toBe(1);
  expect((await db.collection('customers').doc('C1').get()).get('profile.archive.employer')).toBeUndefined();
}

const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
/** OIDC tokens that must not pass, each with why */
const badTokens = (): [string, string][] => [
  ['another audience', issuer.token({ aud: 'https://elsewhere.example', email: SCHEDULER, email_verified: true })],
  ['an account not on the list', issuer.token({ aud: AUDIENCE, email: 'intruder@example.com', email_verified: true })],
  ['an unverified e-mail', issuer.token({ aud: AUDIENCE, email: SCHEDULER, email_verified: false })],
  ['signed by a key Google never published', issuer.token({ aud: AUDIENCE, email: SCHEDULER, email_verified: true }, { key: otherKey })],
  ['expired', issuer.token({ aud: AUDIENCE, email: SCHEDULER, email_verified: true, iat: now() - 7_200, exp: now() - 3_600 })],
  ['not a token', 'not-a-jwt'],
];

describe('every HTTP function refuses callers it does not know, and stores nothing for them', () => {
  it('ingest: no bearer, a wrong one, the token in another header or as a query → 401 (WWW-Authenticate: Bearer)', async () => {
    const attempts: [string, Promise<Response>][] = [
      ['no Authorization', post(ingest.url, INGEST_BODY, {})],
      ['a wrong token', post(ingest.url, INGEST_BODY, { authorization: 'Bearer wrong-token-0000000000000' })],
      ['the token with a character more', post(ingest.url, INGEST_BODY, { authorization: `Bearer ${INGEST_TOKEN}x` })],
      ['Basic instead of Bearer', post(ingest.url, INGEST_BODY, { authorization: `Basic ${INGEST_TOKEN}` })],
      ['the token in another header', post(ingest.url, INGEST_BODY, { 'x-ingest-token': INGEST_TOKEN })],
      ['the token as a query', post(`${ingest.url}?token=${INGEST_TOKEN}`, INGEST_BODY, {})],
      ['a nightly signature', post(ingest.url, INGEST_BODY, { 'x-ladder-signature': signRequest(NIGHTLY_SECRET, INGEST_BODY, now()) })],
    ];
    for (const [why, attempt] of attempts) {
      const response = await attempt;
      expect(response.status, why).toBe(401);
      expect(response.headers.get('www-authenticate'), why).toBe('Bearer');
      expect(((await response.json()) as { code: string }).code, why).toBe('UNAUTHENTICATED');
    }
    await nothingStored();
  });

  for (const [name, server, secret, body] of [
    ['sheetEdit', () => sheetEdit, SHEET_SECRET, EDIT_BODY],
    ['nightlyBranch', () => nightly, NIGHTLY_SECRET, NIGHTLY_BODY],
  ] as const) {
    it(`${name}: no credentials, forged, stale or replayed signatures, another function's secret, bad OIDC tokens → 401`, async () => {
      const url = server().url;
      const other = secret === SHEET_SECRET ? NIGHTLY_SECRET : SHEET_SECRET;
      const attempts: [string, Record<string, string>, string][] = [
        ['nothing', {}, body],
        ['a signature with the wrong secret', { 'x-ladder-signature': signRequest('a-guessed-secret-0123456789', body, now()) }, body],
        ["the other function's secret", { 'x-ladder-signature': signRequest(other, body, now()) }, body],
        ['a signature 10 minutes old (a replay)', { 'x-ladder-signature': signRequest(secret, body, now() - 600) }, body],
        ['a signature 10 minutes ahead', { 'x-ladder-signature': signRequest(secret, body, now() + 600) }, body],
        ['a signature of other bytes', { 'x-ladder-signature': signRequest(secret, body, now()) }, body.replace('B01', 'B02')],
        ['a malformed signature', { 'x-ladder-signature': 't=1,v1=zz' }, body],
        ['the ingest bearer token', { authorization: `Bearer ${INGEST_TOKEN}` }, body],
        ...badTokens().map(([why, token]): [string, Record<string, string>, string] => [`an OIDC token: ${why}`, { authorization: `Bearer ${token}` }, body]),
      ];
      for (const [why, headers, sent] of attempts) {
        const response = await post(url, sent, headers);
        expect(response.status, why).toBe(401);
        const answer = (await response.json()) as { code: string; message: string };
        expect(answer.code, why).toBe('UNAUTHENTICATED');
        expect(answer.message.length, why).toBeGreaterThan(0);
      }
      // GET is refused before anything (405), whoever asks
      expect((await fetch(url)).status).toBe(405);
      await nothingStored();
    }, 60_000);
  }

  it('the allowed callers get through (the refusals above are not a function that refuses everyone)', async () => {
    const signed = await post(sheetEdit.url, EDIT_BODY, { 'x-ladder-signature': signRequest(SHEET_SECRET, EDIT_BODY, now()) });
    expect(signed.status).toBe(200);
    const oidcBody = EDIT_BODY.replace('闯入者', '定时任务');
    const viaOidc = await post(sheetEdit.url, oidcBody, { authorization: `Bearer ${issuer.token({ aud: AUDIENCE, email: SCHEDULER.toUpperCase(), email_verified: true })}` });
    expect(viaOidc.status).toBe(200);
    expect((await db.collection('customers').doc('C1').get()).get('profile.archive.employer')).toBe('定时任务');
    const ingested = await post(ingest.url, INGEST_BODY, { authorization: `Bearer ${INGEST_TOKEN}` });
    expect(ingested.status).toBe(200);
    expect((await db.collection('customers').doc('C9').get()).get('branchId')).toBe('B01');
  });
});
