import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillMonthEnds } from '../../functions/demo/demo-trend.js';
import { consolidateHeadOffice } from '../../functions/nightly/consolidate.js';
import { runNightlyLocally } from '../../functions/nightly/run-nightly-locally.js';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseMonth } from '../../shared/month.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { testFirestore } from '../support/firestore-test-db.js';

/** The demo's month-end backfill gives head office a trend from history (emulator). */

const { db, clear } = testFirestore('demo-trend-test');
const scheme = bundledScheme('boc')!;
const standards = bundledStandards('d2')!;
afterAll(() => db.terminate());

beforeAll(async () => {
  await clear();
  const month = (text: string, average: number) => ({ customerId: 'C1', branchId: 'B01', month: parseMonth(text)!, assetDaySum: average * 100 * 30, monthEndAssets: average * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] });
  // C1: 100,000 a day (Jun–Aug; days × 30 is only a day-sum, the average of a 31-day month is a little lower, still < 200,000),
  // 300,000 from September → licai from October.
  await writeHistory(db, [month('2026-06', 100_000), month('2026-07', 100_000), month('2026-08', 100_000), month('2026-09', 300_000), month('2026-10', 300_000)]);
  await db.collection('branches').doc('B01').set({ branchId: 'B01', name: '城东支行', spreadsheetId: null, managers: [] });
  await db.collection('customers').doc('C1').set({ customerId: 'C1', branchId: 'B01' });
});

describe('the demo month-end backfill', () => {
  it('runs each past month end and leaves the bank totals the trend reads', async () => {
    const months = await backfillMonthEnds({ db, scheme, standards, now: () => new Date() }, '2026-11-10', 3);
    expect(months).toEqual(['2026-08', '2026-09', '2026-10']);
    // today's own nightly (the branch has no sheet: the gateway must not be called)
    const noSheets = { read: () => Promise.reject(new Error('no sheet')), updateStructure: () => Promise.reject(new Error('no sheet')), writeCells: () => Promise.reject(new Error('no sheet')) };
    const today = await runNightlyLocally({ db, scheme, standards, now: () => new Date(), sheets: noSheets, headOffice: null }, '2026-11-10', { resume: false, concurrency: 1, clock: Date.now });
    expect('content' in today.consolidation).toBe(true);
    const content = await consolidateHeadOffice(db, scheme, '2026-11-10');
    const trend = content.tabs.find((t) => t.title === '月度趋势')!.rows;
    // month, customers, 普通客户, 中银理财客户: base in August and September (September's 300,000 counts from October), licai in October and November
    expect(trend.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ['2026-08', 1, 1, 0],
      ['2026-09', 1, 1, 0],
      ['2026-10', 1, 0, 1],
      ['2026-11', 1, 0, 1],
    ]);
    expect((await db.collection('runs').doc('nightly_2026-09-30_B01').get()).get('status')).toBe('done');
  });
});
