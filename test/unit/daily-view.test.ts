import { describe, expect, it } from 'vitest';
import { parseBusinessDate, type BusinessDate } from '../../shared/business-date.js';
import { dailyView } from '../../shared/daily-view.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { customer, fen, month, type Row } from '../support/facts-builder.js';
import { bundled, code } from '../support/scheme-builder.js';

/**
 * tier-rules.md, "In the middle of a month": on day d with S = day-sum so far, D = days of
 * the month (of the quarter for a quarterly scheme), r = D − d, b = today's balance and
 * target T: reached when S ≥ T × D; else r = 0 is not reachable; else hold
 * ceil((T × D − S) / r) fen each remaining day, and top up max(0, that − b) today.
 * Every figure is worked by hand; fen = yuan × 100.
 */

const boc = bundled('boc');
const branchSix = bundled('branch-six');

function date(text: string): BusinessDate {
  const parsed = parseBusinessDate(text);
  if (parsed === null) throw new Error(`test fixture: ${text} is not a date`);
  return parsed;
}

const yuanOrNull = (y: string | null) => (y === null ? null : fen(y));

interface DailyCase {
  name: string;
  date: string;
  /** the current month's day-sum through day d */
  soFar: string;
  balance: string;
  elapsed: number;
  left: number;
  reached: boolean;
  reachable: boolean;
  needed: string | null;
  topUp: string | null;
}

describe('BOC monthly: toward licai, mda ≥ 200,000', () => {
  // Jan, Feb 2025 at mda 100,000 keep the customer base, so the next tier is licai.
  const history: Row[] = [{ month: '2025-01', mda: '100000' }, { month: '2025-02', mda: '100000' }];
  // March has 31 days: T × D = 200,000 × 31 = 6,200,000
  const cases: DailyCase[] = [
    { name: 'S = 6,200,000 = T × D on the 20th → already reached', date: '2025-03-20', soFar: '6200000', balance: '0', elapsed: 20, left: 11, reached: true, reachable: true, needed: null, topUp: null },
    { name: 'S = 6,200,000 on the 31st → reached even with r = 0', date: '2025-03-31', soFar: '6200000', balance: '0', elapsed: 31, left: 0, reached: true, reachable: true, needed: null, topUp: null },
    { name: 'S = 6,199,999.99 on the 31st, r = 0 → not reachable this month', date: '2025-03-31', soFar: '6199999.99', balance: '200000', elapsed: 31, left: 0, reached: false, reachable: false, needed: null, topUp: null },
    {
      // 520,000,000 fen / 21 = 24,761,904.76… → 24,761,905 fen (21 × 24,761,904 = 519,999,984 falls short)
      name: '10th, S = 1,000,000, r = 21: ceil(5,200,000 / 21) = 247,619.05; b = 100,000 → top up 147,619.05',
      date: '2025-03-10', soFar: '1000000', balance: '100000', elapsed: 10, left: 21, reached: false, reachable: true, needed: '247619.05', topUp: '147619.05',
    },
    { name: '10th, same, b = 300,000 ≥ 247,619.05 → top up 0', date: '2025-03-10', soFar: '1000000', balance: '300000', elapsed: 10, left: 21, reached: false, reachable: true, needed: '247619.05', topUp: '0' },
    { name: '11th, S = 1,000,000, r = 20: 5,200,000 / 20 = 260,000.00 exactly; b = 260,000 → top up 0', date: '2025-03-11', soFar: '1000000', balance: '260000', elapsed: 11, left: 20, reached: false, reachable: true, needed: '260000', topUp: '0' },
    { name: '30th, S = 6,000,000, r = 1: 200,000.00 for the last day; b = 150,000 → top up 50,000', date: '2025-03-30', soFar: '6000000', balance: '150000', elapsed: 30, left: 1, reached: false, reachable: true, needed: '200000', topUp: '50000' },
    {
      // 620,000,000 fen / 30 = 20,666,666.67 → 20,666,667 fen
      name: '1st, S = 0, r = 30: ceil(6,200,000 / 30) = 206,666.67; b = 0 → top up 206,666.67',
      date: '2025-03-01', soFar: '0', balance: '0', elapsed: 1, left: 30, reached: false, reachable: true, needed: '206666.67', topUp: '206666.67',
    },
  ];
  it.each(cases)('$name', (c) => {
    const d = date(c.date);
    const facts = customer([...history, { month: c.date.slice(0, 7), daySum: c.soFar }]);
    const view = dailyView(createTierEngine(boc), facts, d, fen(c.balance));
    expect(code(boc, view.assessment.tier)).toBe('base');
    expect(code(boc, view.next?.tier ?? null)).toBe('licai');
    const target = view.next?.paths[0]?.daily[0];
    expect(target).toMatchObject({
      metric: 'mda',
      target: fen('200000'),
      windowDays: 31,
      daysElapsed: c.elapsed,
      daysLeft: c.left,
      sumSoFar: fen(c.soFar),
      reached: c.reached,
      reachable: c.reachable,
      balanceNeeded: yuanOrNull(c.needed),
      topUpToday: yuanOrNull(c.topUp),
    });
  });

  const februaries = [
    // Feb 2024 has 29 days: 200,000 × 29 = 5,800,000; r = 29 − 28 = 1 → 200,000.00 on the 29th
    { name: 'Feb 2024 (29 days), 28th, S = 5,600,000 → not yet: hold 200,000.00 on the 29th', date: '2024-02-28', jan: '2024-01', days: 29, reached: false, needed: '200000' },
    // Feb 2025 has 28 days: 200,000 × 28 = 5,600,000 = S
    { name: 'Feb 2025 (28 days), 28th, S = 5,600,000 = T × D → reached', date: '2025-02-28', jan: '2025-01', days: 28, reached: true, needed: null },
  ];
  it.each(februaries)('$name', (c) => {
    const facts = customer([{ month: c.jan, mda: '0' }, { month: c.date.slice(0, 7), daySum: '5600000' }]);
    const target = dailyView(createTierEngine(boc), facts, date(c.date), 0).next?.paths[0]?.daily[0];
    expect(target?.windowDays).toBe(c.days);
    expect(target?.reached).toBe(c.reached);
    expect(target?.balanceNeeded ?? null).toBe(yuanOrNull(c.needed));
  });

  it('the current tier is the one assessed through last month: Feb mda 300,000 → licai, so on 10 Mar the target is wealth (1,000,000 × 31 = 31,000,000)', () => {
    const facts = customer([{ month: '2025-01', mda: '100000' }, { month: '2025-02', mda: '300000' }, { month: '2025-03', daySum: '3000000' }]);
    const view = dailyView(createTierEngine(boc), facts, date('2025-03-10'), fen('300000'));
    expect(code(boc, view.assessment.tier)).toBe('licai');
    expect(code(boc, view.next?.tier ?? null)).toBe('wealth');
    // ceil((31,000,000 − 3,000,000) / 21) = 1,333,333.33… → 1,333,333.34; minus b 300,000 → 1,033,333.34
    expect(view.next?.paths[0]?.daily[0]).toMatchObject({ target: fen('1000000'), balanceNeeded: fen('1333333.34'), topUpToday: fen('1033333.34') });
  });

  it('the top tier has nothing above it: a private customer (Feb mda 6,000,000) has next = null', () => {
    const facts = customer([{ month: '2025-02', mda: '6000000' }, { month: '2025-03', daySum: '0' }]);
    expect(dailyView(createTierEngine(boc), facts, date('2025-03-10'), 0).next).toBeNull();
  });
});

describe('branch-six (quarterly): the same arithmetic over the quarter’s days', () => {
  // Q1 2025 at mda 50,000: qda 50,000 → effective (≥ 20,000), so the next tier is silver (qda ≥ 100,000).
  // Q2 2025 = Apr 30 + May 31 + Jun 30 = 91 days: T × D = 100,000 × 91 = 9,100,000.
  const q1: Row[] = [
    { month: '2025-01', mda: '50000' },
    { month: '2025-02', mda: '50000' },
    { month: '2025-03', mda: '50000' },
  ];
  const cases: (DailyCase & { rows: Row[] })[] = [
    {
      // elapsed 30 + 10 = 40, r = 51; S = 1,500,000 + 500,000; 710,000,000 fen / 51 = 13,921,568.6… → 13,921,569
      name: '10 May: S = 2,000,000 (Apr 1,500,000 + May 500,000), r = 91 − 40 = 51 → hold 139,215.69; b 50,000 → top up 89,215.69',
      date: '2025-05-10',
      rows: [{ month: '2025-04', daySum: '1500000' }, { month: '2025-05', daySum: '500000' }],
      soFar: '2000000', balance: '50000', elapsed: 40, left: 51, reached: false, reachable: true, needed: '139215.69', topUp: '89215.69',
    },
    {
      // April missing counts 0: 860,000,000 fen / 51 = 16,862,745.09… → 16,862,746
      name: '10 May with April missing (0): S = 500,000 → ceil(8,600,000 / 51) = 168,627.46',
      date: '2025-05-10',
      rows: [{ month: '2025-05', daySum: '500000' }],
      soFar: '500000', balance: '0', elapsed: 40, left: 51, reached: false, reachable: true, needed: '168627.46', topUp: '168627.46',
    },
    {
      // 905,000,000 fen / 90 = 10,055,555.5… → 10,055,556
      name: '1 Apr: S = 50,000, r = 90 → ceil(9,050,000 / 90) = 100,555.56; b 50,000 → top up 50,555.56',
      date: '2025-04-01',
      rows: [{ month: '2025-04', daySum: '50000' }],
      soFar: '50000', balance: '50000', elapsed: 1, left: 90, reached: false, reachable: true, needed: '100555.56', topUp: '50555.56',
    },
    {
      name: '15 Jun: S = 1,500,000 + 1,550,000 + 6,050,000 = 9,100,000 = T × D → reached',
      date: '2025-06-15',
      rows: [{ month: '2025-04', daySum: '1500000' }, { month: '2025-05', daySum: '1550000' }, { month: '2025-06', daySum: '6050000' }],
      soFar: '9100000', balance: '0', elapsed: 76, left: 15, reached: true, reachable: true, needed: null, topUp: null,
    },
    {
      name: '30 Jun: S = 9,099,999.99, r = 0 → not reachable this quarter',
      date: '2025-06-30',
      rows: [{ month: '2025-04', daySum: '1500000' }, { month: '2025-05', daySum: '1550000' }, { month: '2025-06', daySum: '6049999.99' }],
      soFar: '9099999.99', balance: '9000000', elapsed: 91, left: 0, reached: false, reachable: false, needed: null, topUp: null,
    },
  ];
  it.each(cases)('$name', (c) => {
    const facts = customer([...q1, ...c.rows]);
    const view = dailyView(createTierEngine(branchSix), facts, date(c.date), fen(c.balance));
    expect(code(branchSix, view.assessment.tier)).toBe('effective');
    expect(code(branchSix, view.next?.tier ?? null)).toBe('silver');
    expect(view.next?.paths[0]?.daily[0]).toMatchObject({
      metric: 'qda',
      target: fen('100000'),
      windowStart: month('2025-04'),
      windowEnd: month('2025-06'),
      windowDays: 91,
      daysElapsed: c.elapsed,
      daysLeft: c.left,
      sumSoFar: fen(c.soFar),
      reached: c.reached,
      reachable: c.reachable,
      balanceNeeded: yuanOrNull(c.needed),
      topUpToday: yuanOrNull(c.topUp),
    });
  });
});
