import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signRequest, verifySignature } from '../../functions/http/request-signature.js';

const SECRET = 'sheet-edit-secret-for-tests-0001';
const BODY = '{"branchId":"B01","rows":[]}';
const T = 1_795_000_000;

describe('signed sheet-edit requests', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 (checked against node:crypto directly)', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(signRequest(SECRET, BODY, T)).toBe(`t=${T},v1=${expected}`);
  });

  it('accepts its own signature within the tolerance, on either side of now', () => {
    const header = signRequest(SECRET, BODY, T);
    expect(verifySignature(SECRET, header, Buffer.from(BODY), T + 300)).toBe('ok');
    expect(verifySignature(SECRET, header, Buffer.from(BODY), T - 300)).toBe('ok');
  });

  it.each([
    ['no header', undefined, BODY, T, 'missing'],
    ['a garbled header', 'sha256=abc', BODY, T, 'malformed'],
    ['a signature older than 5 minutes (a replay)', signRequest(SECRET, BODY, T), BODY, T + 301, 'expired'],
    ['a changed body', signRequest(SECRET, BODY, T), BODY.replace('B01', 'B02'), T, 'invalid'],
    ['another secret', signRequest('another-secret-of-some-length', BODY, T), BODY, T, 'invalid'],
  ])('refuses %s', (_what, header, body, now, verdict) => {
    expect(verifySignature(SECRET, header, Buffer.from(body), now)).toBe(verdict);
  });
});
