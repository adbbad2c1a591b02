import type { Firestore } from '@google-cloud/firestore';
import { describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { ConfigurationError } from '../../functions/config.js';
import { bearerChecker, parseIngestToken } from '../../functions/http/bearer-token.js';
import { createIngestHandler, type IngestFunctionDeps, type IngestHttpRequest, type IngestHttpResponse, type LogEntry } from '../../functions/http/ingest-function.js';
import { parseIngestRequest } from '../../functions/http/ingest-request.schema.js';
import { ConfigError } from '../../functions/scheme-source.js';

/**
 * The ingest function's guard rails without a server or a database: method, authentication,
 * body validation and error mapping. Every request here is refused before Firestore is touched;
 * the accepted path runs over real HTTP against the emulator in
 * test/integration/ingest-http.test.ts.
 */

const TOKEN = 'unit-test-token-0123456789';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const GOOD_BODY = { businessDate: '2026-11-02', files: { 'balances.csv': b64('customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,1.00\n') } };

// ---- unit-test fakes: a recording stand-in for the Express response, a plain request object,
// ---- and a Firestore that fails loudly if the handler ever reaches it.
interface Recorded {
  status: number | null;
  headers: Record<string, string>;
  body: any;
}

function fakeResponse(): { res: IngestHttpResponse; recorded: Recorded } {
  const recorded: Recorded = { status: null, headers: {}, body: undefined };
  const res: IngestHttpResponse = {
    status(code) {
      recorded.status = code;
      return res;
    },
    set(field, value) {
      recorded.headers[field.toLowerCase()] = value;
      return res;
    },
    json(body) {
      recorded.body = body;
      return res;
    },
  };
  return { res, recorded };
}

function fakeRequest({ authorization = `Bearer ${TOKEN}`, headers = {}, ...rest }: Partial<IngestHttpRequest> & { authorization?: string | null } = {}): IngestHttpRequest {
  const base: IngestHttpRequest['headers'] = { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) };
  return { method: 'POST', body: GOOD_BODY, ...rest, headers: { ...base, ...headers } };
}

const untouchableDb = new Proxy({} as Firestore, {
  get() {
    throw new Error('unit-test fake: the handler must not reach Firestore in these cases');
  },
});

async function call(request: IngestHttpRequest, deps: Partial<IngestFunctionDeps> = {}): Promise<Recorded & { logs: LogEntry[] }> {
  const logs: LogEntry[] = [];
  const handler = createIngestHandler({
    db: untouchableDb,
    token: TOKEN,
    loadScheme: async () => null, // unknown scheme: refused before ingest
    defaultSchemeId: 'boc',
    now: () => new Date('2026-11-29T01:00:00Z'),
    log: (entry) => logs.push(entry),
    ...deps,
  });
  const { res, recorded } = fakeResponse();
  await handler(request, res);
  return { ...recorded, logs };
}

describe('ingest function: method', () => {
  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('refuses %s with 405 and Allow: POST, before asking for a token', async (method) => {
    const out = await call(fakeRequest({ method, authorization: null }));
    expect(out.status).toBe(405);
    expect(out.headers['allow']).toBe('POST');
    expect(out.body).toEqual({ code: 'METHOD_NOT_ALLOWED', message: `the ingest function takes POST requests, not ${method}` });
  });
});

describe('ingest function: authentication', () => {
  const cases: { name: string; authorization: string | null; message: string }[] = [
    { name: 'no Authorization header', authorization: null, message: 'send the ingest token as "Authorization: Bearer <token>"' },
    { name: 'an empty header', authorization: '', message: 'send the ingest token as "Authorization: Bearer <token>"' },
    { name: 'a wrong token', authorization: 'Bearer unit-test-token-0123456780', message: 'the bearer token is not valid' },
    { name: 'a prefix of the token', authorization: `Bearer ${TOKEN.slice(0, -1)}`, message: 'the bearer token is not valid' },
    { name: 'the token with more after it', authorization: `Bearer ${TOKEN}x`, message: 'the bearer token is not valid' },
    { name: 'another scheme', authorization: `Basic ${TOKEN}`, message: 'the bearer token is not valid' },
    { name: 'the bare token', authorization: TOKEN, message: 'the bearer token is not valid' },
    { name: 'two tokens', authorization: `Bearer ${TOKEN} ${TOKEN}`, message: 'the bearer token is not valid' },
  ];
  it.each(cases)('refuses $name with 401 and a JSON error', async ({ authorization, message }) => {
    const out = await call(fakeRequest({ authorization }));
    expect(out.status).toBe(401);
    expect(out.headers['www-authenticate']).toBe('Bearer');
    expect(out.body).toEqual({ code: 'UNAUTHENTICATED', message });
  });

  it('checks the token before looking at the body', async () => {
    const out = await call(fakeRequest({ authorization: 'Bearer nope', body: 'not even JSON', headers: { 'content-type': 'text/plain' } }));
    expect(out.status).toBe(401);
  });

  it('accepts the token with the scheme word in any case (the request then fails on its scheme, not on auth)', async () => {
    const out = await call(fakeRequest({ authorization: `bearer ${TOKEN}` }));
    expect(out.status).toBe(400);
    expect(out.body.errors).toEqual([{ path: 'scheme', message: 'there is no scheme with id "boc"' }]);
  });

  it.each([
    { header: `Bearer ${TOKEN}`, expected: 'ok' },
    { header: `Bearer  ${TOKEN} `, expected: 'ok' },
    { header: undefined, expected: 'missing' },
    { header: [`Bearer ${TOKEN}`], expected: 'invalid' },
    { header: 'Bearer', expected: 'invalid' },
  ])('bearerChecker($header) is $expected', ({ header, expected }) => {
    expect(bearerChecker(TOKEN)(header)).toBe(expected);
  });

  it.each([
    { env: {}, error: /INGEST_TOKEN must be set/ },
    { env: { INGEST_TOKEN: '   ' }, error: /INGEST_TOKEN must be set/ },
    { env: { INGEST_TOKEN: 'short' }, error: /too short/ },
  ])('INGEST_TOKEN $env is broken configuration', ({ env, error }) => {
    expect(() => parseIngestToken(env)).toThrow(ConfigurationError);
    expect(() => parseIngestToken(env)).toThrow(error);
  });

  it('takes INGEST_TOKEN trimmed', () => {
    expect(parseIngestToken({ INGEST_TOKEN: ` ${TOKEN}\n` })).toBe(TOKEN);
  });
});

describe('ingest function: request body', () => {
  it('refuses a body over the size limit with 413', async () => {
    const out = await call(fakeRequest({ rawBody: Buffer.alloc(2049) }), { maxBodyBytes: 2048 });
    expect(out.status).toBe(413);
    expect(out.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('uses Content-Length when the raw body is not at hand', async () => {
    const out = await call(fakeRequest({ headers: { 'content-length': String(33 * 1024 * 1024) } }));
    expect(out.status).toBe(413);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const out = await call(fakeRequest({ headers: { 'content-type': 'text/plain' }, body: JSON.stringify(GOOD_BODY) }));
    expect(out.status).toBe(415);
    expect(out.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  const invalid: { name: string; body: unknown; errors: { path: string; message: string | RegExp }[] }[] = [
    { name: 'no body', body: undefined, errors: [{ path: '', message: /expected object/ }] },
    { name: 'an array', body: [GOOD_BODY], errors: [{ path: '', message: /expected object/ }] },
    { name: 'no business date', body: { files: GOOD_BODY.files }, errors: [{ path: 'businessDate', message: 'must be a date as YYYY-MM-DD' }] },
    { name: 'a date that does not exist', body: { ...GOOD_BODY, businessDate: '2026-02-30' }, errors: [{ path: 'businessDate', message: 'must be a date as YYYY-MM-DD, got "2026-02-30"' }] },
    { name: 'a date in another format', body: { ...GOOD_BODY, businessDate: '20261102' }, errors: [{ path: 'businessDate', message: 'must be a date as YYYY-MM-DD, got "20261102"' }] },
    { name: 'no files', body: { businessDate: '2026-11-02' }, errors: [{ path: 'files', message: /expected object/ }] },
    { name: 'an empty files object', body: { businessDate: '2026-11-02', files: {} }, errors: [{ path: 'files', message: /^at least one extract file is needed \(customers\.csv, fx\.csv, balances\.csv/ }] },
    { name: 'an unknown file name', body: { businessDate: '2026-11-02', files: { ...GOOD_BODY.files, 'passwd.csv': b64('x') } }, errors: [{ path: 'files.passwd.csv', message: 'unknown field' }] },
    { name: 'a file that is not base64', body: { businessDate: '2026-11-02', files: { 'fx.csv': 'currency,rate\nUSD,7.1' } }, errors: [{ path: 'files.fx.csv', message: /must be the file’s bytes encoded as base64/ }] },
    { name: 'a file given as a number', body: { businessDate: '2026-11-02', files: { 'fx.csv': 42 } }, errors: [{ path: 'files.fx.csv', message: /must be the file’s bytes encoded as base64/ }] },
    { name: 'a scheme that is a path', body: { ...GOOD_BODY, scheme: '/etc/passwd' }, errors: [{ path: 'scheme', message: /must be a scheme id/ }] },
    { name: 'an unknown field', body: { ...GOOD_BODY, dir: '/tmp' }, errors: [{ path: 'dir', message: 'unknown field' }] },
  ];
  it.each(invalid)('refuses $name with 400 and located errors', async ({ body, errors }) => {
    const out = await call(fakeRequest({ body }));
    expect(out.status).toBe(400);
    expect(out.body.code).toBe('INVALID_REQUEST');
    expect(out.body.errors).toHaveLength(errors.length);
    errors.forEach((e, i) => {
      expect(out.body.errors[i].path).toBe(e.path);
      expect(out.body.errors[i].message).toMatch(e.message);
    });
  });

  it('refuses a scheme id the function does not know with 400', async () => {
    const out = await call(fakeRequest({ body: { ...GOOD_BODY, scheme: 'no-such-scheme' } }), { loadScheme: async (id) => bundledScheme(id) });
    expect(out.status).toBe(400);
    expect(out.body.errors).toEqual([{ path: 'scheme', message: 'there is no scheme with id "no-such-scheme"' }]);
  });

  it('decodes the files to the bytes that were sent, by file name', () => {
    const gb = Buffer.from([0xbf, 0xcd, 0xbb, 0xa7, 0xba, 0xc5]); // 客户号 in GB18030
    const parsed = parseIngestRequest({ businessDate: '2026-11-02', scheme: 'boc-2012', files: { 'customers.csv': gb.toString('base64'), 'fx.csv': b64('currency,rate\n') } });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect([...parsed.request.files.keys()]).toEqual(['customers.csv', 'fx.csv']);
    expect(Buffer.from(parsed.request.files.get('customers.csv')!)).toEqual(gb);
    expect(parsed.request.scheme).toBe('boc-2012');
  });
});

describe('ingest function: unexpected errors', () => {
  it('answers 500 with a code and no internals, and logs the cause in English', async () => {
    const failure = new Error('connection to 10.0.0.7 refused');
    const out = await call(fakeRequest({ executionId: 'exec-42' }), {
      loadScheme: async () => {
        throw failure;
      },
    });
    expect(out.status).toBe(500);
    expect(out.body).toEqual({ code: 'INTERNAL', message: 'the ingest failed unexpectedly and may be retried; the cause is in the function log (execution exec-42)' });
    expect(JSON.stringify(out.body)).not.toContain('10.0.0.7');
    expect(out.logs).toHaveLength(1);
    expect(out.logs[0]).toMatchObject({ severity: 'ERROR', message: 'ingest failed: connection to 10.0.0.7 refused', code: 'INTERNAL', executionId: 'exec-42' });
    expect(out.logs[0]!['stack']).toContain('ingest-function.test.ts');
  });

  it('gives a broken scheme configuration its own code', async () => {
    const out = await call(fakeRequest(), {
      loadScheme: async () => {
        throw new ConfigError('CONFIG_INVALID', 'boc.json: tiers[0].min: expected number');
      },
    });
    expect(out.status).toBe(500);
    expect(out.body.code).toBe('CONFIG_INVALID');
    expect(out.body.message).not.toContain('tiers[0]');
  });
});
