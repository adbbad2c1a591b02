import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runIngest, type IngestReport } from '../../functions/ingest/run-ingest.js';
import { EXTRACT_FILE_NAMES } from '../../functions/ingest/read-extracts.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * Ingest fuzzed (bad input): runIngest — the path of `ladder ingest` and the `ingest`
 * function — on the emulator, with generated extract files: random bytes; rows whose every cell
 * is labelled valid or invalid by the generator (bad customer numbers, amounts that are
 * formulas, words, negative, 3 decimals, 50,000 digits; names that are formulas, mojibake,
 * 50,000 characters, line breaks); headers turned to mojibake (UTF-8 read as GB18030 and the
 * reverse); and one big file. Properties: runIngest never throws; every rejection says file,
 * line, column, customer and why; what is stored is exactly what the labels say passed —
 * nothing that failed, nothing dropped that passed. Seeds are fixed and printed; runs are few.
 */

const PROJECT = 'reliability-ingest-fuzz';
const { db, clear } = testFirestore(PROJECT);
const scheme = bundledScheme('boc')!;
const DATE = '2026-11-02';
const date = parseCivilDay(DATE)!;
const now = () => new Date('2026-11-03T01:00:00Z');
const SEED = 20261102;

beforeEach(clear);
afterAll(() => db.terminate());

const ingest = (files: Record<string, Uint8Array | string>) =>
  runIngest(db, { date, scheme, now, files: new Map(Object.entries(files).map(([name, content]) => [name, typeof content === 'string' ? Buffer.from(content, 'utf8') : content])), origin: 'fuzz' });

/** A CSV line with every cell quoted (quotes doubled), as a careful exporter writes it. */
const csvLine = (cells: readonly string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
const csv = (header: readonly string[], rows: readonly (readonly string[])[]) => [csvLine(header), ...rows.map(csvLine)].join('\n') + '\n';

/** Every rejection is located: a known file, a line, a column or null, the customer or null, a reason. */
function expectLocated(report: IngestReport): void {
  for (const r of report.rejections) {
    expect(EXTRACT_FILE_NAMES as readonly string[]).toContain(r.file);
    expect(Number.isInteger(r.line) && r.line >= 1, `line of ${JSON.stringify(r).slice(0, 200)}`).toBe(true);
    expect(r.column === null || (typeof r.column === 'string' && r.column !== '')).toBe(true);
    expect(r.customerId === null || typeof r.customerId === 'string').toBe(true);
    expect(r.reason.length).toBeGreaterThan(0);
  }
}

/** The run record and its rejects as stored, against the report. */
async function expectRunRecorded(report: IngestReport): Promise<void> {
  const run = await db.collection('runs').doc(report.runId).get();
  expect(run.get('rejected')).toBe(report.rejections.length);
  expect((await run.ref.collection('rejects').count().get()).data().count).toBe(report.rejections.length);
  for (const f of report.files) expect(f.read).toBe(f.accepted + f.rejected);
}

/** customers stored, and each customer's contribution for DATE (fen of assets) from the facts */
async function stored(): Promise<{ customers: Map<string, FirebaseFirestore.DocumentData>; assets: Map<string, number> }> {
  const customers = new Map((await db.collection('customers').get()).docs.map((d) => [d.id, d.data()]));
  const assets = new Map<string, number>();
  for (const doc of (await db.collection('facts').get()).docs) {
    const day = doc.get('days')?.[DATE] as { a: number } | undefined;
    if (day) assets.set(doc.get('customerId') as string, day.a);
  }
  return { customers, assets };
}

// ---- generators, each value labelled valid or not -------------------------------------------

const validId = fc.integer({ min: 1, max: 999_999 }).map((n) => `C${n}`);
/** customer numbers that cannot be (and the reason word the rejection must carry) */
const invalidId = fc.constantFrom<[string, string]>(
  ['a/b', '"/"'],
  ['.', '".."'],
  ['..', '".."'],
  ['__hidden__', 'reserved'],
  ['x'.repeat(101), 'at most 100'],
  ['9'.repeat(50_000), 'at most 100'],
  ['C\u00011', 'control'],
);
const validAmount = fc.integer({ min: 0, max: 9_999_999_999 }).map((fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`);
const invalidAmount = fc.oneof(
  fc.constantFrom('=1+1', '=SUM(A1:A9)', "=cmd|' /C calc'!A0", '+100', '@SUM(1)', '-0.01', '-100', '1.234', 'abc', '一百', '锟斤拷', '1e5', '9'.repeat(50_000), '', '  '),
  fc.integer({ min: 1, max: 1_000_000 }).map((n) => `-${n}.00`),
);
/** free text for a name: formulas, mojibake, line breaks, long text; stored as text when ≤ 200 characters, else refused alone */
const nameText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('=HYPERLINK("http://evil","点我")', '+86 张三', '-张三', '@张三', '张\n三', '"张三"', '锟斤拷烫烫烫', 'å¼ ä¸\u0089', '名'.repeat(200), '名'.repeat(201), 'x'.repeat(50_000)),
);
const validMobile = fc.integer({ min: 0, max: 99_999_999 }).map((n) => `139${String(n).padStart(8, '0')}`);
const invalidMobile = fc.constantFrom('12345', '=1', '1390000000', '139000000000', '１３９００００００００', '139-0000-0000');

interface MasterRow {
  id: string;
  idProblem: string | null;
  name: string;
  mobile: string;
  mobileValid: boolean;
}
const masterRow = fc.record({
  id: fc.oneof({ weight: 4, arbitrary: validId.map((id) => [id, null] as [string, string | null]) }, { weight: 1, arbitrary: invalidId }),
  name: nameText,
  mobile: fc.oneof(validMobile.map((m) => [m, true] as const), invalidMobile.map((m) => [m, false] as const)),
}).map(({ id, name, mobile }): MasterRow => ({ id: id[0], idProblem: id[1], name, mobile: mobile[0], mobileValid: mobile[1] }));

interface BalanceRow {
  customer: string;
  customerValid: boolean;
  amount: string;
  amountValid: boolean;
}

describe('ingest fuzzed', () => {
  it(`random bytes in every extract file: never throws, every rejection located, the run recorded (seed ${SEED})`, async () => {
    const bytes = fc.uint8Array({ maxLength: 3_000 });
    const withHeader = (header: string) => bytes.map((b) => Buffer.concat([Buffer.from(header + '\n'), Buffer.from(b)]));
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          'customers.csv': fc.oneof(bytes, withHeader('customer_id,branch_id,name,mobile')),
          'balances.csv': fc.oneof(bytes, withHeader('customer_id,account_id,product,currency,balance')),
          'fx.csv': bytes,
          'card_txns.csv': withHeader('customer_id,txn_id,amount,currency,category,zero_discount'),
          'loans.csv': bytes,
          'holdings.csv': withHeader('customer_id,product,amount,currency,maturity_date'),
        }),
        async (files) => {
          await clear();
          const report = await ingest(files);
          expectLocated(report);
          await expectRunRecorded(report);
        },
      ),
      { numRuns: 15, seed: SEED },
    );
  }, 120_000);

  it(`labelled rows: exactly the valid ones are stored, each invalid one is rejected where it is (seed ${SEED + 1})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(masterRow, { maxLength: 12, selector: (r) => r.id }),
        fc.array(fc.record({ valid: fc.boolean(), pick: fc.nat(), amount: validAmount, bad: invalidAmount, badId: invalidId, amountValid: fc.boolean() }), { maxLength: 25 }),
        fc.constantFrom('utf-8', 'gb18030'),
        async (masters, balanceSpecs, encoding) => {
          await clear();
          const pool = [...masters.filter((m) => m.idProblem === null).map((m) => m.id), 'C-only-balances'];
          const balances: BalanceRow[] = balanceSpecs.map((b) =>
            b.valid ? { customer: pool[b.pick % pool.length]!, customerValid: true, amount: b.amountValid ? b.amount : b.bad, amountValid: b.amountValid } : { customer: b.badId[0], customerValid: false, amount: b.amount, amountValid: true },
          );
          const encode = (text: string) => (encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gb18030'));
          const report = await ingest({
            'customers.csv': encode(csv(['customer_id', 'branch_id', 'name', 'mobile'], masters.map((m) => [m.id, 'B01', m.name, m.mobile]))),
            // account ids unique per line; amounts and ids never hold a line break, so row k is on line k + 2
            'balances.csv': encode(csv(['customer_id', 'account_id', 'product', 'currency', 'balance'], balances.map((b, k) => [b.customer, `A${k}`, 'DEP', 'CNY', b.amount]))),
          });
          expectLocated(report);
          await expectRunRecorded(report);
          const { customers, assets } = await stored();

          // customer master: a valid number is stored with its branch; a bad one is refused at customer_id
          expect([...customers.keys()].sort()).toEqual(masters.filter((m) => m.idProblem === null).map((m) => m.id).sort());
          for (const m of masters) {
            const refusals = report.rejections.filter((r) => r.file === 'customers.csv' && r.customerId === (m.id === '' ? null : m.id));
            if (m.idProblem !== null) {
              expect(refusals.map((r) => r.column)).toEqual(['customer_id']);
              expect(refusals[0]!.reason).toContain(m.idProblem.replace(/"/g, ''));
              continue;
            }
            const doc = customers.get(m.id)!;
            expect(doc['branchId']).toBe('B01');
            const name = m.name.trim();
            const nameOk = name !== '' && name.length <= 200;
            expect(doc['profile']?.['name']).toBe(nameOk ? name : undefined);
            expect(refusals.some((r) => r.column === 'name')).toBe(name.length > 200);
            expect(doc['profile']?.['archive']?.['mobile']).toBe(m.mobileValid ? m.mobile : undefined);
            expect(refusals.some((r) => r.column === 'mobile')).toBe(!m.mobileValid);
          }

          // balances: each customer's assets for the date are the sum of its valid rows, nothing else
          const expected = new Map<string, number>();
          balances.forEach((b) => {
            if (!b.customerValid || !b.amountValid) return;
            const [yuan, fen] = b.amount.split('.') as [string, string];
            expected.set(b.customer, (expected.get(b.customer) ?? 0) + Number(yuan) * 100 + Number(fen));
          });
          expect(new Map([...assets].sort())).toEqual(new Map([...expected].sort()));
          const balanceRejections = report.rejections.filter((r) => r.file === 'balances.csv');
          expect(balanceRejections.map((r) => r.line)).toEqual(balances.flatMap((b, k) => (b.customerValid && b.amountValid ? [] : [k + 2])));
          balances.forEach((b, k) => {
            if (b.customerValid && b.amountValid) return;
            const r = balanceRejections.find((x) => x.line === k + 2)!;
            expect(r.column).toBe(b.customerValid ? 'balance' : 'customer_id');
            expect(r.customerId).toBe(b.customer);
          });
        },
      ),
      { numRuns: 25, seed: SEED + 1 },
    );
  }, 180_000);

  it('mojibake headers (UTF-8 read as GB18030, GB18030 read as UTF-8): the file is refused whole at line 1 naming the column, nothing stored', async () => {
    const text = '客户号,机构号,姓名\nC1,B01,张三\nC2,B01,李四\n';
    const utf8AsGb = iconv.decode(Buffer.from(text, 'utf8'), 'gb18030'); // 瀹㈡埛鍙?,… : what a GB18030 reader makes of UTF-8
    const gbAsUtf8 = new TextDecoder('utf-8').decode(iconv.encode(text, 'gb18030')); // �ͻ��� … : the reverse
    for (const garbled of [utf8AsGb, gbAsUtf8]) {
      await clear();
      expect(garbled.startsWith('客户号')).toBe(false);
      const report = await ingest({ 'customers.csv': garbled });
      expect(report.files).toEqual([]);
      expect(report.rejections).toHaveLength(1);
      expect(report.rejections[0]).toMatchObject({ file: 'customers.csv', line: 1, column: 'customer_id', customerId: null, reason: 'the header has no customer_id column; the whole file was not used' });
      expect((await db.collection('customers').get()).size).toBe(0);
    }
    // the same bytes, read as what they are, are taken: 2 customers (GB18030 is detected)
    await clear();
    const right = await ingest({ 'customers.csv': iconv.encode(text, 'gb18030') });
    expect(right.files).toMatchObject([{ kind: 'customers', encoding: 'gb18030', read: 2, accepted: 2, rejected: 0 }]);
    expect((await db.collection('customers').get()).docs.map((d) => d.get('profile.name')).sort()).toEqual(['张三', '李四']);
  });

  it('a big file (30,000 balance rows, 1 in 100 bad, some with 50,000-digit amounts): counts exact, sums exact, the rejects stored', async () => {
    // customer c (1 … 3,000) has rows k = c − 1, c − 1 + 3,000, … (10 rows); row k is worth (k mod 1,000) + 1 yuan;
    // rows with k mod 100 = 99 are bad (300 of them): every 3rd of those a 50,000-digit amount, else "=1+1".
    const rows: string[][] = [];
    const expected = new Map<string, number>();
    for (let k = 0; k < 30_000; k++) {
      const customer = `C${(k % 3_000) + 1}`;
      const bad = k % 100 === 99;
      const amount = bad ? (Math.floor(k / 100) % 3 === 0 ? '9'.repeat(50_000) : '=1+1') : `${(k % 1_000) + 1}.00`;
      rows.push([customer, `A${k}`, 'DEP', 'CNY', amount]);
      if (!bad) expected.set(customer, (expected.get(customer) ?? 0) + ((k % 1_000) + 1) * 100);
    }
    const report = await ingest({ 'balances.csv': csv(['customer_id', 'account_id', 'product', 'currency', 'balance'], rows) });
    expect(report.files).toMatchObject([{ kind: 'balances', read: 30_000, accepted: 29_700, rejected: 300 }]);
    expect(report.rejections.map((r) => r.line)).toEqual(Array.from({ length: 300 }, (_, i) => i * 100 + 99 + 2));
    expect(new Set(report.rejections.map((r) => r.column))).toEqual(new Set(['balance']));
    await expectRunRecorded(report);
    // stored with the raw line cut to 1,000 characters and its length kept (the CLI's rejects file keeps it whole)
    const long = await db.collection('runs').doc(report.runId).collection('rejects').doc('0000000').get();
    expect(long.get('line')).toBe(101); // row 99, the first bad one, a 50,000-digit amount
    expect(long.get('rawLength')).toBe(report.rejections[0]!.raw.length);
    expect(long.get('raw')).toBe(`${report.rejections[0]!.raw.slice(0, 1_000)}…`);
    const { assets } = await stored();
    // customers c with (c − 1) mod 100 = 99 (C100, C200, …, C3000: 30 of them) have only bad rows
    expect(assets.size).toBe(2_970);
    expect(new Map([...assets].sort())).toEqual(new Map([...expected].sort()));
    // C1: rows 0, 3,000, …, 27,000, none bad (k mod 100 = 0), each (k mod 1,000) + 1 = 1 yuan → 10 yuan = 1,000 fen
    expect(assets.get('C1')).toBe(1_000);
    // C100: rows 99, 3,099, …, 27,099, all bad → no contribution for the date
    expect(assets.has('C100')).toBe(false);
  }, 120_000);
});
