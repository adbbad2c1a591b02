import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, parseOidcAudiences } from '../../functions/config.js';
import { authenticateCaller, googleIdTokenVerifier, parseCallerAuth, type CallerAuth } from '../../functions/http/caller-auth.js';
import { signRequest } from '../../functions/http/request-signature.js';
import { startOidcIssuer, type OidcIssuer } from '../support/oidc-issuer.js';

/**
 * Who may call sheetEdit and nightlyBranch. The OIDC half runs google-auth-library's real
 * verification against certificates served on loopback by a test issuer (test/support/oidc-issuer.ts).
 */

const SECRET = 'caller-auth-secret-for-tests-01';
const AUDIENCE = 'https://asia-east2-bank.cloudfunctions.net/sheetEdit';
const BODY = '{"branchId":"B01"}';
let issuer: OidcIssuer;
let auth: CallerAuth;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  issuer = await startOidcIssuer();
  auth = { secret: SECRET, oidc: { audiences: [AUDIENCE], allowedEmails: new Set(['scheduler@bank.iam.gserviceaccount.com']), verify: googleIdTokenVerifier(issuer.certsUrl) } };
});
afterAll(() => issuer.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const claims = { aud: AUDIENCE, email: 'scheduler@bank.iam.gserviceaccount.com', email_verified: true };

describe('authenticateCaller', () => {
  it('accepts a Google-signed token for our audience from an allowed, verified e-mail', async () => {
    expect(await authenticateCaller(auth, bearer(issuer.token(claims)), BODY, now())).toEqual({ ok: true, via: 'oidc', caller: 'scheduler@bank.iam.gserviceaccount.com' });
  });

  it('compares e-mails without case', async () => {
    const result = await authenticateCaller(auth, bearer(issuer.token({ ...claims, email: 'Scheduler@Bank.iam.gserviceaccount.com' })), BODY, now());
    expect(result.ok).toBe(true);
  });

  it.each([
    ['an e-mail not on the list', { ...claims, email: 'intruder@example.com' }, 'intruder@example.com is not allowed'],
    ['an unverified e-mail', { ...claims, email_verified: false }, 'no verified e-mail'],
    ['no e-mail at all', { aud: AUDIENCE }, 'no verified e-mail'],
    ['another audience', { ...claims, aud: 'https://elsewhere.example/fn' }, 'not valid'],
    ['an expired token', { ...claims, iat: now() - 7200, exp: now() - 3600 }, 'not valid'],
    ['another issuer', { ...claims, iss: 'https://evil.example' }, 'not valid'],
  ])('refuses %s', async (_what, tokenClaims, reason) => {
    const result = await authenticateCaller(auth, bearer(issuer.token(tokenClaims)), BODY, now());
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });

  it('refuses a token signed by a key that is not published, and a garbled token', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    for (const token of [issuer.token(claims, { key: privateKey }), issuer.token(claims, { kid: 'unknown-key' }), 'not.a.jwt']) {
      const result = await authenticateCaller(auth, bearer(token), BODY, now());
      expect(result).toMatchObject({ ok: false });
      expect(result.ok ? '' : result.reason).toContain('the identity token is not valid');
    }
  });

  it('still accepts a signed request when OIDC is configured too, and checks the signature', async () => {
    expect(await authenticateCaller(auth, { 'x-ladder-signature': signRequest(SECRET, BODY, now()) }, BODY, now())).toMatchObject({ ok: true, via: 'signature' });
    expect(await authenticateCaller(auth, { 'x-ladder-signature': signRequest(SECRET, BODY, now()) }, BODY + ' ', now())).toEqual({ ok: false, reason: 'the request signature is invalid' });
  });

  it('says what it accepts when the request carries nothing', async () => {
    expect(await authenticateCaller(auth, {}, BODY, now())).toEqual({ ok: false, reason: 'the request carries no x-ladder-signature signature and no OIDC bearer token' });
    expect(await authenticateCaller({ secret: SECRET, oidc: null }, bearer('anything'), BODY, now())).toEqual({ ok: false, reason: 'the request carries no x-ladder-signature signature' });
  });
});

describe('parseCallerAuth', () => {
  it('reads a secret, an OIDC policy, or both', () => {
    expect(parseCallerAuth({ NIGHTLY_SECRET: SECRET }, 'NIGHTLY')).toEqual({ secret: SECRET, oidc: null });
    const both = parseCallerAuth({ NIGHTLY_SECRET: SECRET, NIGHTLY_OIDC_AUDIENCES: `${AUDIENCE}, ${CLIENT_ID}`, NIGHTLY_OIDC_EMAILS: 'A@bank.cn ,b@bank.cn' }, 'NIGHTLY');
    expect(both.oidc?.audiences).toEqual([AUDIENCE, CLIENT_ID]);
    expect([...(both.oidc?.allowedEmails ?? [])]).toEqual(['a@bank.cn', 'b@bank.cn']);
  });

  it.each([
    [{}, 'NIGHTLY_SECRET must be set'],
    [{ NIGHTLY_SECRET: 'short' }, 'at least 16 characters'],
    [{ NIGHTLY_OIDC_AUDIENCES: AUDIENCE }, 'must be set together'],
    [{ NIGHTLY_OIDC_EMAILS: 'a@bank.cn' }, 'must be set together'],
    [{ NIGHTLY_OIDC_AUDIENCES: 'other', NIGHTLY_OIDC_EMAILS: 'a@bank.cn' }, 'NIGHTLY_OIDC_AUDIENCES entry "other" is neither an OAuth client id'],
    [{ NIGHTLY_SECRET: SECRET, NIGHTLY_OIDC_AUDIENCES: `${AUDIENCE},`, NIGHTLY_OIDC_EMAILS: 'a@bank.cn' }, 'NIGHTLY_OIDC_AUDIENCES has an empty entry (number 2 of 2)'],
  ])('refuses %j with a ConfigurationError', (env, message) => {
    expect(() => parseCallerAuth(env, 'NIGHTLY')).toThrow(message);
    expect(() => parseCallerAuth(env, 'NIGHTLY')).toThrow(ConfigurationError);
  });

  it('accepts a token only for an audience of the list it was configured with', async () => {
    const configured = parseCallerAuth({ SHEET_EDIT_OIDC_AUDIENCES: `${CLIENT_ID},${OTHER_CLIENT_ID}`, SHEET_EDIT_OIDC_EMAILS: 'scheduler@bank.iam.gserviceaccount.com', OIDC_CERTS_URL: issuer.certsUrl }, 'SHEET_EDIT');
    for (const aud of [CLIENT_ID, OTHER_CLIENT_ID]) expect(await authenticateCaller(configured, bearer(issuer.token({ ...claims, aud })), BODY, now())).toMatchObject({ ok: true, via: 'oidc' });
    const refused = await authenticateCaller(configured, bearer(issuer.token({ ...claims, aud: '333333333333-notlisted.apps.googleusercontent.com' })), BODY, now());
    expect(refused).toMatchObject({ ok: false });
    expect(refused.ok ? '' : refused.reason).toContain('the identity token is not valid');
  });
});

/** An Apps Script Cloud project's OAuth client id: what ScriptApp.getIdentityToken() puts in `aud`. */
const CLIENT_ID = '123456789012-abcdef0123456789.apps.googleusercontent.com';
const OTHER_CLIENT_ID = '210987654321-fedcba9876543210.apps.googleusercontent.com';

describe('parseOidcAudiences', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['   ', []],
    [CLIENT_ID, [CLIENT_ID]],
    [` ${CLIENT_ID} , ${OTHER_CLIENT_ID} `, [CLIENT_ID, OTHER_CLIENT_ID]],
    [`${CLIENT_ID},${CLIENT_ID}`, [CLIENT_ID]],
    ['https://asia-east2-bank.cloudfunctions.net/nightlyBranch', ['https://asia-east2-bank.cloudfunctions.net/nightlyBranch']],
    [`https://nightly-abc-uc.a.run.app,${CLIENT_ID}`, ['https://nightly-abc-uc.a.run.app', CLIENT_ID]],
  ])('reads %j as %j', (raw, expected) => {
    expect(parseOidcAudiences(raw, 'SHEET_EDIT_OIDC_AUDIENCES')).toEqual(expected);
  });

  it.each([
    [',', 'has an empty entry (number 1 of 2)'],
    [`${CLIENT_ID},`, 'has an empty entry (number 2 of 2)'],
    [`${CLIENT_ID},,${OTHER_CLIENT_ID}`, 'has an empty entry (number 2 of 3)'],
    [`${CLIENT_ID};${OTHER_CLIENT_ID}`, 'is neither an OAuth client id'],
    ['123456789012-abcdef.apps.googleusercontent', 'is neither an OAuth client id'],
    ['abcdef.apps.googleusercontent.com', 'is neither an OAuth client id'],
    ['http://nightly.example/fn', 'is neither an OAuth client id'],
    ['https://nightly.example/fn x', 'is neither an OAuth client id'],
    ['script-id-1a2b3c', 'is neither an OAuth client id'],
  ])('refuses %j', (raw, message) => {
    expect(() => parseOidcAudiences(raw, 'SHEET_EDIT_OIDC_AUDIENCES')).toThrow(ConfigurationError);
    expect(() => parseOidcAudiences(raw, 'SHEET_EDIT_OIDC_AUDIENCES')).toThrow(`SHEET_EDIT_OIDC_AUDIENCES ${message.startsWith('has') ? message : 'entry'}`);
    expect(() => parseOidcAudiences(raw, 'SHEET_EDIT_OIDC_AUDIENCES')).toThrow(message);
  });
});
