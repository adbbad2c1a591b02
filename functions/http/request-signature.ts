import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed requests between the branch sheet (Apps Script) and the sheet-edit function: the
 * sender puts `X-Ladder-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The receiver recomputes it over the raw bytes it got, compares in constant time, and
 * refuses signatures older or newer than the tolerance, so a captured request cannot be replayed later.
 */
export const SIGNATURE_HEADER = 'x-ladder-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signRequest(secret: string, rawBody: string | Buffer, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${mac(secret, unixSeconds, rawBody)}`;
}

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'expired' | 'invalid';

export function verifySignature(secret: string, header: string | string[] | undefined, rawBody: Buffer | string, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): SignatureCheck {
  if (header === undefined || header === '') return 'missing';
  if (typeof header !== 'string') return 'malformed';
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!match) return 'malformed';
  const t = Number(match[1]);
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return 'expired';
  const expected = Buffer.from(mac(secret, t, rawBody), 'hex');
  const given = Buffer.from(match[2] as string, 'hex');
  return timingSafeEqual(expected, given) ? 'ok' : 'invalid';
}

function mac(secret: string, unixSeconds: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.`).update(rawBody).digest('hex');
}

export const MIN_SECRET_LENGTH = 16;
