import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from '../config.js';

/**
 * Shared-secret bearer authentication for the HTTP functions. The token is compared in
 * constant time: both sides are hashed first so that the comparison never depends on where
 * they differ or on how long the presented token is.
 */

export const MIN_TOKEN_LENGTH = 16;

/** INGEST_TOKEN from an injected environment; a missing or short token is broken configuration. */
export function parseIngestToken(env: Readonly<Record<string, string | undefined>>): string {
  const token = env['INGEST_TOKEN']?.trim() ?? '';
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigurationError(`INGEST_TOKEN must be set to a secret of at least ${MIN_TOKEN_LENGTH} characters (callers send it as "Authorization: Bearer <token>")${token === '' ? '' : '; the one set is too short'}`);
  }
  return token;
}

export type BearerCheck = 'ok' | 'missing' | 'invalid';

/** A checker for Authorization header values against the expected token. */
export function bearerChecker(expectedToken: string): (authorization: string | string[] | undefined) => BearerCheck {
  const expected = digest(expectedToken);
  return (authorization) => {
    if (authorization === undefined || authorization === '') return 'missing';
    if (typeof authorization !== 'string') return 'invalid';
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match) return 'invalid';
    return timingSafeEqual(digest(match[1]!), expected) ? 'ok' : 'invalid';
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
