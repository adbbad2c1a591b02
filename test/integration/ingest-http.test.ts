import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseMonth } from '../../shared/month.js';
import { streamCustomerFacts } from '../../functions/store/firestore-facts-reader.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { serveFunction, type FunctionsServer } from '../support/functions-server.js';

/**
 * The ingest function over real HTTP: the functions-framework server runs the built entry
 * module (dist/functions/index.js, so `npm run build` first) as a child process, with the
 * environment a deployment would give it, against the test run's Firestore emulator.
 */

const PROJECT = 'ingest-http-test';
const TOKEN = 'integration-test-token-7f3a9c21';
const { db, host, clear } = testFirestore(PROJECT);
let server: FunctionsServer;
let url = '';

beforeAll(async () => {
  server = await serveFunction('ingest', { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: PROJECT, INGEST_TOKEN: TOKEN });
  url = server.url;
});

afterAll(async () => {
  await server?.stop();
  await db.terminate();
});

beforeEach(clear);

const b64 = (content: string | Buffer) => Buffer.from(content).toString('base64');

function post(body: unknown, authorization: string | null = `Bearer ${TOKEN}`): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers['authorization'] = authorization;
  return fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function allFacts() {
  const out = [];
  for await (const facts of streamCustomerFacts(db)) out.push(facts);
  return out;
}

const MASTER = 'customer_id,branch_id,name\nC1,B01,张三\nC2,B01,李四\n';
// GB18030 with Chinese headers, as many core-banking systems write it; line 3 has a bad amount
const BALANCES = iconv.encode('客户号,账号,产品,币种,余额\nC1,A1,DEP,CNY,1000.00\nC2,A2,DEP,CNY,12.345\nC2,A3,FUND,CNY,500.00\n', 'gb18030');

describe('ingest HTTP function', () => {
  it('stores a business date’s extracts, reports rejected rows with 200, and counts a re-sent date once', async () => {
    const body = { businessDate: '2026-11-02', files: { 'customers.csv': b64(MASTER), 'balances.csv': b64(BALANCES) } };
    const response = await post(body);
    expect(response.status).toBe(200);
    const report = (await response.json()) as any;
    expect(report).toMatchObject({
      businessDate: '2026-11-02',
      scheme: 'boc',
      files: [
        { file: 'customers.csv', kind: 'customers', encoding: 'utf-8', read: 2, accepted: 2, rejected: 0 },
        { file: 'balances.csv', kind: 'balances', encoding: 'gb18030', read: 3, accepted: 2, rejected: 1 },
      ],
      missing: ['fx.csv', 'card_txns.csv', 'loans.csv', 'holdings.csv'],
      read: 5,
      accepted: 4,
      rejected: 1,
      rejectionsTruncated: false,
      write: { customersWritten: 2, withdrawn: 0 },
    });
    expect(report.runId).toMatch(/^ingest-2026-11-02-/);
    expect(report.rejections).toHaveLength(1);
    expect(report.rejections[0]).toMatchObject({ file: 'balances.csv', line: 3, column: 'balance', customerId: 'C2' });
    expect(report.rejections[0].reason).toEqual(expect.any(String));

    // sent again: the date still counts once
    expect((await post(body)).status).toBe(200);

    const facts = await allFacts();
    expect(facts.map((f) => [f.customerId, f.branchId, f.profile?.name])).toEqual([
      ['C1', 'B01', '张三'],
      ['C2', 'B01', '李四'],
    ]);
    // C1: one day of 1,000.00 = 100,000 fen; C2: only the good FUND row, 500.00 = 50,000 fen
    expect(facts[0]!.months).toEqual([{ month: parseMonth('2026-11'), assetDaySum: 100_000, monthEndAssets: 100_000, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] }]);
    expect(facts[1]!.months[0]).toMatchObject({ assetDaySum: 50_000, products: ['FUND'] });

    const run = await db.collection('runs').doc(report.runId).get();
    expect(run.get('origin')).toBe('http');
    expect(run.get('rejected')).toBe(1);
    expect((await run.ref.collection('rejects').get()).size).toBe(1);
  });

  it('uses the scheme the request names', async () => {
    const response = await post({ businessDate: '2026-11-03', scheme: 'generic', files: { 'balances.csv': b64('customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,1.00\n') } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).scheme).toBe('generic');
  });

  it('refuses requests without the token, or with a wrong one, and stores nothing', async () => {
    const body = { businessDate: '2026-11-02', files: { 'balances.csv': b64('customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,1.00\n') } };
    for (const authorization of [null, 'Bearer not-the-token', `Basic ${TOKEN}`]) {
      const response = await post(body, authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await response.json()) as any).code).toBe('UNAUTHENTICATED');
    }
    expect(await allFacts()).toEqual([]);
  });

  it('answers a bad body with 400 and located errors', async () => {
    const response = await post({ businessDate: '2026-13-01', files: { 'balances.csv': 'not base64!', 'extra.csv': '' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 'INVALID_REQUEST',
      message: 'the request body is not a valid ingest request',
      errors: [
        { path: 'businessDate', message: 'must be a date as YYYY-MM-DD, got "2026-13-01"' },
        { path: 'files.balances.csv', message: 'must be the file’s bytes encoded as base64 (standard alphabet, with padding)' },
        { path: 'files.extra.csv', message: 'unknown field' },
      ],
    });
  });

  it('answers malformed JSON with 400 and no stack trace', async () => {
    const response = await post('{"businessDate": ');
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toMatch(/SyntaxError|node_modules|at JSON\.parse/);
  });

  it('answers other methods with 405', async () => {
    const response = await fetch(url, { method: 'GET', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(((await response.json()) as any).code).toBe('METHOD_NOT_ALLOWED');
  });
});
