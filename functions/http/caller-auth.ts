import { OAuth2Client } from 'google-auth-library';
import type { IncomingHttpHeaders } from 'node:http';
import { ConfigurationError, parseOidcAudiences } from '../config.js';
import { MIN_SECRET_LENGTH, SIGNATURE_HEADER, verifySignature } from './request-signature.js';

/**
 * Who may call a function that changes data (sheetEdit, nightlyBranch): either a request
 * signed with a shared secret (Apps Script with a configured secret, the local stack), or a
 * Google-signed OIDC identity token (Apps Script's ScriptApp.getIdentityToken(), Cloud
 * Scheduler, Cloud Tasks, Pub/Sub push) whose audience is ours and whose verified e-mail is on
 * the allow-list. A function configured with neither refuses to start serving (500 CONFIG_INVALID).
 */

export interface OidcPolicy {
  /** accepted `aud` values: the function URL, or the OAuth client id of the Cloud project the branch scripts are in (parseOidcAudiences) */
  audiences: readonly string[];
  /** the accounts allowed to call (a service account, the account that installed the sheet trigger) */
  allowedEmails: ReadonlySet<string>;
  verify: IdTokenVerifier;
}

export interface CallerAuth {
  secret: string | null;
  oidc: OidcPolicy | null;
}

/** Checks a token's signature, issuer, expiry and audience; answers its claims, or throws why not. */
export type IdTokenVerifier = (idToken: string, audiences: readonly string[]) => Promise<{ email: string | null; emailVerified: boolean }>;

export type CallerCheck = { ok: true; via: 'signature' | 'oidc'; caller: string } | { ok: false; reason: string };

const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];

/**
 * Google's ID tokens, verified by google-auth-library against Google's published certificates
 * (fetched and cached by the library). `certsUrl` replaces Google's address: tests serve their
 * own certificates on loopback, so the same library code runs over real HTTP.
 */
export function googleIdTokenVerifier(certsUrl?: string): IdTokenVerifier {
  const client = new OAuth2Client(certsUrl ? { endpoints: { oauth2FederatedSignonPemCertsUrl: certsUrl } } : {});
  return async (idToken, audiences) => {
    const { certs } = await client.getFederatedSignonCertsAsync();
    const ticket = await client.verifySignedJwtWithCertsAsync(idToken, certs, [...audiences], GOOGLE_ISSUERS);
    const payload = ticket.getPayload();
    return { email: payload?.email ?? null, emailVerified: payload?.email_verified === true };
  };
}

export async function authenticateCaller(auth: CallerAuth, headers: IncomingHttpHeaders, rawBody: Buffer | string, nowSeconds: number): Promise<CallerCheck> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer !== undefined && auth.oidc !== null) {
    try {
      const claims = await auth.oidc.verify(bearer, auth.oidc.audiences);
      if (claims.email === null || !claims.emailVerified) return { ok: false, reason: 'the identity token carries no verified e-mail' };
      const email = claims.email.toLowerCase();
      if (!auth.oidc.allowedEmails.has(email)) return { ok: false, reason: `${email} is not allowed to call this function` };
      return { ok: true, via: 'oidc', caller: email };
    } catch (error) {
      return { ok: false, reason: `the identity token is not valid (${firstLine((error as Error).message)})` };
    }
  }
  if (auth.secret !== null && headers[SIGNATURE_HEADER] !== undefined) {
    const check = verifySignature(auth.secret, headers[SIGNATURE_HEADER], rawBody, nowSeconds);
    return check === 'ok' ? { ok: true, via: 'signature', caller: 'signed request' } : { ok: false, reason: `the request signature is ${check}` };
  }
  const accepted = [auth.secret !== null ? `${SIGNATURE_HEADER} signature` : null, auth.oidc !== null ? 'OIDC bearer token' : null].filter((s) => s !== null);
  return { ok: false, reason: `the request carries no ${accepted.join(' and no ')}` };
}

/**
 * The caller policy of one function from an injected environment, with the given prefix:
 * `<P>_SECRET` (signing key, ≥ 16 characters) and/or `<P>_OIDC_AUDIENCES` + `<P>_OIDC_EMAILS`
 * (comma-separated; each audience an OAuth client id or an https URL, checked by
 * parseOidcAudiences). `OIDC_CERTS_URL` replaces Google's certificate address (tests only).
 * Anything wrong throws a ConfigurationError naming the variable, before the function serves.
 */
export function parseCallerAuth(env: Readonly<Record<string, string | undefined>>, prefix: string, verifierFor: (certsUrl?: string) => IdTokenVerifier = googleIdTokenVerifier): CallerAuth {
  const rawSecret = env[`${prefix}_SECRET`]?.trim() ?? '';
  if (rawSecret !== '' && rawSecret.length < MIN_SECRET_LENGTH) throw new ConfigurationError(`${prefix}_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  const audiences = parseOidcAudiences(env[`${prefix}_OIDC_AUDIENCES`], `${prefix}_OIDC_AUDIENCES`);
  const emails = listOf(env[`${prefix}_OIDC_EMAILS`]).map((e) => e.toLowerCase());
  if ((audiences.length === 0) !== (emails.length === 0)) throw new ConfigurationError(`${prefix}_OIDC_AUDIENCES and ${prefix}_OIDC_EMAILS must be set together`);
  const oidc = audiences.length > 0 ? { audiences, allowedEmails: new Set(emails), verify: verifierFor(env['OIDC_CERTS_URL']?.trim() || undefined) } : null;
  const secret = rawSecret === '' ? null : rawSecret;
  if (secret === null && oidc === null) throw new ConfigurationError(`${prefix}_SECRET must be set to a secret of at least ${MIN_SECRET_LENGTH} characters, or ${prefix}_OIDC_AUDIENCES with ${prefix}_OIDC_EMAILS`);
  return { secret, oidc };
}

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.slice(0, 200) ?? '';
}
