import iconv from 'iconv-lite';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { parseMonth } from '../../shared/month.js';
import { runIngest } from '../../functions/ingest/run-ingest.js';
import { customersByIds, streamCustomerFacts } from '../../functions/store/firestore-facts-reader.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * Daily ingest against the real Firestore emulator: the accumulators must count each business
 * date once however often and in whatever order it arrives. Expected figures are worked out
 * in the comments.
 */

const { db, clear } = testFirestore('ingest-test');
const boc = bundledScheme('boc')!;
const now = () => new Date('2026-11-29T01:00:00Z');

beforeEach(clear);
afterAll(() => db.terminate());

/** Writes a date's extract files (UTF-8 unless given as bytes) into a fresh folder. */
function extracts(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const day = (text: string) => parseCivilDay(text)!;

async function factsOf(customerId: string) {
  for await (const facts of streamCustomerFacts(db)) if (facts.customerId === customerId) return facts;
  return null;
}

const MASTER = 'customer_id,branch_id,name\nC1,B01,张三\nC2,B01,李四\n';

describe('ladder ingest into Firestore', () => {
  it('counts a business date once however often it is sent', async () => {
    const dir = extracts({ 'customers.csv': MASTER, 'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,1000.00\n' });
    await runIngest(db, { date: day('2026-11-02'), dir, scheme: boc, now });
    await runIngest(db, { date: day('2026-11-02'), dir, scheme: boc, now });
    await runIngest(db, { date: day('2026-11-02'), dir, scheme: boc, now });
    const facts = await factsOf('C1');
    // one day of 1,000.00 → assetDaySum 1,000.00 = 100,000 fen, not three times that
    expect(facts?.months).toEqual([{ month: parseMonth('2026-11'), assetDaySum: 100_000, monthEndAssets: 100_000, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] }]);
    expect(facts?.branchId).toBe('B01');
    expect(facts?.profile?.name).toBe('张三');
  });

  it('writes a customer master row only when it differs from the row last applied; an unchanged row leaves a manager’s edit alone', async () => {
    const balances = 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,1000.00\nC2,A2,DEP,CNY,500.00\n';
    const first = await runIngest(db, { date: day('2026-11-02'), dir: extracts({ 'customers.csv': MASTER, 'balances.csv': balances }), scheme: boc, now });
    // 2 month documents + 2 customer documents
    expect(first.write).toMatchObject({ customersWritten: 2, writes: 4, mastersUnchanged: 0 });
    // a manager types C1's mobile in the sheet (the sheet-edit path writes the archive field)
    await db.collection('customers').doc('C1').update({ 'profile.archive.mobile': '13800138000' });
    // the next date, the same master file: only the 2 month documents are written
    const second = await runIngest(db, { date: day('2026-11-03'), dir: extracts({ 'customers.csv': MASTER, 'balances.csv': balances }), scheme: boc, now });
    expect(second.write).toMatchObject({ customersWritten: 2, writes: 2, mastersUnchanged: 2 });
    expect((await db.collection('customers').doc('C1').get()).get('profile')).toEqual({ name: '张三', archive: { mobile: '13800138000' } });
    expect((await db.collection('customers').doc('C1').get()).get('masterDate')).toBe('2026-11-02');
    // the master brings C2 a new name and C1 a mobile of its own: both rows are written, C1's mobile is the master's
    const changed = 'customer_id,branch_id,name,mobile\nC1,B01,张三,13900139000\nC2,B01,李四四,\n';
    const third = await runIngest(db, { date: day('2026-11-04'), dir: extracts({ 'customers.csv': changed, 'balances.csv': balances }), scheme: boc, now });
    expect(third.write).toMatchObject({ writes: 4, mastersUnchanged: 0 });
    expect((await db.collection('customers').doc('C1').get()).get('profile.archive.mobile')).toBe('13900139000');
    expect((await db.collection('customers').doc('C2').get()).get('profile.name')).toBe('李四四');
    expect((await db.collection('customers').doc('C2').get()).get('masterDate')).toBe('2026-11-04');
    // the facts are whole: three dates of each customer
    expect((await factsOf('C1'))?.months[0]?.assetDaySum).toBe(3 * 100_000);
  });

  it('replaces a date’s contribution when it is corrected, and withdraws a customer left out of the correction', async () => {
    const first = extracts({ 'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,1000.00\nC2,A2,DEP,CNY,500.00\n' });
    const corrected = extracts({ 'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,1200.00\n' });
    await runIngest(db, { date: day('2026-11-02'), dir: first, scheme: boc, now });
    const report = await runIngest(db, { date: day('2026-11-02'), dir: corrected, scheme: boc, now });
    expect(report.write.withdrawn).toBe(1);
    expect((await factsOf('C1'))?.months[0]?.assetDaySum).toBe(120_000);
    // C2 had only that date: its month now sums to nothing
    expect((await factsOf('C2'))?.months[0]?.assetDaySum).toBe(0);
  });

  it('takes dates in any order: the sum is the same and month-end is the latest date’s', async () => {
    const d3 = extracts({ 'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,300.00\n' });
    const d1 = extracts({ 'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,100.00\n' });
    const d2 = extracts({ 'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,200.00\n' });
    await runIngest(db, { date: day('2026-11-03'), dir: d3, scheme: boc, now });
    await runIngest(db, { date: day('2026-11-01'), dir: d1, scheme: boc, now });
    await runIngest(db, { date: day('2026-11-02'), dir: d2, scheme: boc, now });
    const month = (await factsOf('C1'))?.months[0];
    expect(month?.assetDaySum).toBe(60_000); // 100 + 200 + 300 yuan
    expect(month?.monthEndAssets).toBe(30_000); // the 3rd is the latest date, whatever the arrival order
  });

  it('keeps both dates when two of one month are ingested at the same time', async () => {
    const a = extracts({ 'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,100.00\n' });
    const b = extracts({ 'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,250.00\n' });
    await Promise.all([runIngest(db, { date: day('2026-11-05'), dir: a, scheme: boc, now }), runIngest(db, { date: day('2026-11-06'), dir: b, scheme: boc, now })]);
    expect((await factsOf('C1'))?.months[0]?.assetDaySum).toBe(35_000);
  });

  it('reads GB18030 files with Chinese headers', async () => {
    const master = iconv.encode('客户号,机构号,姓名\nC9,B02,王小明\n', 'gb18030');
    const balances = iconv.encode('客户号,账号,产品,币种,余额\nC9,A9,DEP,CNY,88.00\n', 'gb18030');
    const report = await runIngest(db, { date: day('2026-11-02'), dir: extracts({ 'customers.csv': master, 'balances.csv': balances }), scheme: boc, now });
    expect(report.files.map((f) => [f.kind, f.encoding])).toEqual([
      ['customers', 'gb18030'],
      ['balances', 'gb18030'],
    ]);
    const facts = await factsOf('C9');
    expect(facts?.profile?.name).toBe('王小明');
    expect(facts?.branchId).toBe('B02');
    expect(facts?.months[0]?.assetDaySum).toBe(8_800);
  });

  it('converts with the day’s FX rate exactly and rejects rows whose currency has no rate', async () => {
    // 1,234.56 USD × 7.123456: 123,456 fen × 7 = 864,192 and 123,456 × 0.123456 = 15,241.38…, so 879,433.38… → 879,433 fen
    const dir = extracts({
      'fx.csv': 'currency,rate\nUSD,7.123456\n',
      'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,USD,1234.56\nC1,A2,DEP,EUR,10.00\nC1,A3,DEP,CNY,1.00\n',
    });
    const report = await runIngest(db, { date: day('2026-11-02'), dir, scheme: boc, now });
    expect((await factsOf('C1'))?.months[0]?.assetDaySum).toBe(879_433 + 100);
    expect(report.rejections).toEqual([{ file: 'balances.csv', line: 3, column: 'currency', customerId: 'C1', reason: 'no FX rate for EUR on 2026-11-02 (fx.csv)', raw: 'C1,A2,DEP,EUR,10.00' }]);
  });

  it('applies the scheme’s card-spend exclusions and keeps only normal-class loans', async () => {
    const dir = extracts({
      'card_txns.csv': 'customer_id,txn_id,amount,currency,category,zero_discount\nC1,T1,100000.00,CNY,car,N\nC1,T2,99999.99,CNY,car,N\nC1,T3,500.00,CNY,grocery,Y\nC1,T4,20.00,CNY,grocery,N\n',
      'loans.csv': 'customer_id,loan_id,balance,currency,class\nC1,L1,400000.00,CNY,正常\nC1,L2,900000.00,CNY,关注\n',
    });
    await runIngest(db, { date: day('2026-11-02'), dir, scheme: boc, now });
    const month = (await factsOf('C1'))?.months[0];
    // T1: a car purchase at the 100,000 threshold is excluded; T2 just under it counts;
    // T3 at a zero-discount merchant is excluded; T4 counts → 99,999.99 + 20.00
    expect(month?.cardSpend).toBe(10_001_999);
    expect(month?.txnCount).toBe(4);
    // only the normal-class (正常) loan counts
    expect(month?.loanBalance).toBe(40_000_000);
    expect(month?.products).toEqual(['LOAN']);
  });

  it('rejects bad rows with file, line, column and reason, stores the rest, and records the run', async () => {
    const dir = extracts({
      'customers.csv': 'customer_id,branch_id,mobile\nC1,B01,12345\nC2,,13800138000\n',
      'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,1.005\nC1,A2,DEP,CNY,7.00\n,A3,DEP,CNY,1.00\n',
      'loans.csv': 'customer_id,loan_id,balance\nC1,L1,5.00\n',
    });
    const report = await runIngest(db, { date: day('2026-11-02'), dir, scheme: boc, now });
    expect(report.rejections.map((r) => `${r.file}:${r.line}:${r.column}`)).toEqual([
      'loans.csv:1:currency', // the whole file: its header lacks a required column
      'customers.csv:2:mobile', // the cell only: C1 keeps its branch
      'customers.csv:3:branch_id',
      'balances.csv:2:balance',
      'balances.csv:4:customer_id',
    ]);
    const facts = await factsOf('C1');
    expect(facts?.branchId).toBe('B01');
    expect(facts?.months[0]?.assetDaySum).toBe(700);
    const run = await db.collection('runs').doc(report.runId).get();
    expect(run.get('rejected')).toBe(5);
    expect(run.get('businessDate')).toBe('2026-11-02');
    const stored = await db.collection('runs').doc(report.runId).collection('rejects').get();
    expect(stored.size).toBe(5);
    expect(stored.docs.map((d) => d.get('raw'))).toContain('C1,A1,DEP,CNY,1.005');
  });
});

describe('reading one branch', () => {
  it('streams only the branch’s customers, including days sent after the master without it', async () => {
    await runIngest(db, { date: day('2026-11-01'), dir: extracts({ 'customers.csv': 'customer_id,branch_id\nC1,B01\nC2,B02\n', 'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,1.00\nC2,A2,DEP,CNY,2.00\n' }), scheme: boc, now });
    // the 2nd comes without a master file: the branch is taken from the stored customers
    await runIngest(db, { date: day('2026-12-02'), dir: extracts({ 'balances.csv': 'customer_id,account_id,product,currency,balance\nC1,A1,DEP,CNY,3.00\nC2,A2,DEP,CNY,4.00\n' }), scheme: boc, now });
    const b01: { id: string; months: number[] }[] = [];
    for await (const facts of streamCustomerFacts(db, { branchId: 'B01' })) b01.push({ id: facts.customerId, months: facts.months.map((m) => m.assetDaySum) });
    expect(b01).toEqual([{ id: 'C1', months: [100, 300] }]);
  });
});

describe('reading a few customers by id', () => {
  it('returns just those customers (more than one `in` query’s worth), each once', async () => {
    const ids = Array.from({ length: 35 }, (_, i) => `K${String(i).padStart(2, '0')}`);
    const rows = ids.map((id, i) => `${id},A${i},DEP,CNY,${i + 1}.00`).join('\n');
    await runIngest(db, { date: day('2026-11-02'), dir: extracts({ 'balances.csv': `customer_id,account_id,product,currency,balance\n${rows}\n` }), scheme: boc, now });
    const wanted = [...ids.slice(0, 33), 'NOBODY'];
    const got: string[] = [];
    for await (const facts of customersByIds(db, wanted)) got.push(`${facts.customerId}:${facts.months[0]?.assetDaySum}`);
    // K00 … K32 have 1.00 … 33.00 yuan: 100 … 3,300 fen
    expect(got).toEqual(ids.slice(0, 33).map((id, i) => `${id}:${(i + 1) * 100}`));
  });
});
