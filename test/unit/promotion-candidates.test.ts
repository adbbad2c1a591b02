import { describe, expect, it } from 'vitest';
import { parseBusinessDate } from '../../shared/business-date.js';
import { parseCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import type { Maturity } from '../../shared/customer-profile.js';
import { dailyView } from '../../shared/daily-view.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { promotionCandidate, rankCandidates, type PromotionCandidate } from '../../shared/service/promotion-candidates.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { customer, fen, type Row } from '../support/facts-builder.js';
import { bundled, code } from '../support/scheme-builder.js';

/**
 * 升级名单 (docs/domain.md D4) under BOC with the bundled d2 standards (maxShortfallPercent 20,
 * maturityWithinDays 30). Every figure is worked by hand in the case or its comment.
 *
 * BOC: licai = mda ≥ 200,000 | loan ≥ 500,000 | card12 ≥ 100,000; wealth = mda ≥ 1,000,000;
 * private = mda ≥ 6,000,000. Today is 2025-06-15 (mid-June; June has 30 days), so the
 * tier is the one decided at the May assessment and the gap is measured on May's figures.
 * Gap in basis points bp = Σ floor(10000 × shortfall / min).
 * Points: room = floor(40 × (10000 − bp) / 10000); products = min(20, 4 × kinds);
 * age ≤ 35 → 20, ≥ 65 → 0, between floor(20 × (65 − age) / 30), unknown → 10;
 * a maturity within [today, today + 30] → 20.
 */

const boc = bundled('boc');
const engine = createTierEngine(boc);
const standards = bundledStandards('d2')!;
const TODAY = '2025-06-15';

function day(text: string): CivilDay {
  const parsed = parseCivilDay(text);
  if (parsed === null) throw new Error(`test fixture: ${text} is not a date`);
  return parsed;
}

interface Extra {
  id?: string;
  birthday?: string;
  maturities?: { product: string; date: string; amount?: string }[];
}

/** A customer with the given months, and optionally a birthday and maturities. */
function facts(rows: Row[], extra: Extra = {}): CustomerFacts {
  const base = customer(rows, { id: extra.id ?? 'P-1' });
  const result: CustomerFacts = { ...base, branchId: 'B1' };
  if (extra.birthday !== undefined) {
    const [year, month, dayOfMonth] = extra.birthday.split('-').map(Number) as [number, number, number];
    result.profile = { birthday: { year, month, day: dayOfMonth }, managerId: 'M-1', archive: {}, servicePlan: {} };
  }
  if (extra.maturities) {
    result.maturities = extra.maturities.map((m): Maturity => ({ product: m.product, date: day(m.date), amount: m.amount === undefined ? null : fen(m.amount) }));
  }
  return result;
}

function candidate(f: CustomerFacts, options: { date?: string; balance?: string } = {}): PromotionCandidate | null {
  const dateText = options.date ?? TODAY;
  const date = parseBusinessDate(dateText)!;
  const balance = fen(options.balance ?? '0');
  const view = dailyView(engine, f, date, balance);
  return promotionCandidate(f, view, standards, day(dateText), balance);
}

/** May's figures only: the May assessment decides June's tier. */
const may = (figures: Omit<Row, 'month'>): Row[] => [{ month: '2025-05', ...figures }];

describe('who qualifies: the primary gap to the next tier is at most 20% of the standard', () => {
  const cases: { name: string; rows: Row[]; candidate: boolean; tier?: string; next?: string; bp?: number; metric?: string }[] = [
    { name: 'licai, May mda 850,000: short 150,000 of wealth’s 1,000,000 = 15.00% → 1500 bp, in', rows: may({ mda: '850000' }), candidate: true, tier: 'licai', next: 'wealth', bp: 1500, metric: 'mda' },
    { name: 'licai, mda 800,000: short 200,000 = exactly 20% → 2000 bp, in (the limit is inclusive)', rows: may({ mda: '800000' }), candidate: true, tier: 'licai', next: 'wealth', bp: 2000, metric: 'mda' },
    { name: 'licai, mda 790,000: short 210,000 = 21% → out', rows: may({ mda: '790000' }), candidate: false },
    { name: 'base, mda 160,000: short 40,000 of licai’s 200,000 = 20% → in', rows: may({ mda: '160000' }), candidate: true, tier: 'base', next: 'licai', bp: 2000, metric: 'mda' },
    { name: 'base, mda 158,000: short 42,000 of 200,000 = 21% → out', rows: may({ mda: '158000' }), candidate: false },
    {
      name: 'wealth, mda 5,000,000: short 1,000,000 of private’s 6,000,000 = 16.666…% → floor 1666 bp, in',
      rows: may({ mda: '5000000' }),
      candidate: true,
      tier: 'wealth',
      next: 'private',
      bp: 1666,
      metric: 'mda',
    },
    {
      name: 'base with a loan of 450,000: the loan path (short 50,000 of 500,000 = 10%) is primary, not mda (100%) → in with 1000 bp',
      rows: may({ mda: '0', loan: '450000' }),
      candidate: true,
      tier: 'base',
      next: 'licai',
      bp: 1000,
      metric: 'loanBalance',
    },
    { name: 'private (mda 6,500,000) has no tier above → never a candidate', rows: may({ mda: '6500000' }), candidate: false },
    { name: 'base with nothing (mda 0): short 100% → out', rows: may({ mda: '0' }), candidate: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = candidate(facts(c.rows));
      if (!c.candidate) {
        expect(result).toBeNull();
        return;
      }
      expect(result).not.toBeNull();
      expect(code(boc, result!.tier)).toBe(c.tier);
      expect(code(boc, result!.nextTier)).toBe(c.next);
      expect(result!.shortfallBasisPoints).toBe(c.bp);
      expect(result!.primaryPath.map((p) => p.metric)).toEqual([c.metric]);
    });
  }

  it('a shortfall a hair over 20% is out: mda 799,999.99 is short 200,000.01 = 20.000001% of 1,000,000', () => {
    // 200,000.01 / 1,000,000 > 20 / 100 exactly (20,000,001 fen × 100 > 20 × 100,000,000 fen);
    // only rounding the basis points down first (floor(2000.0001) = 2000) would let it in.
    expect(candidate(facts(may({ mda: '799999.99' })))).toBeNull();
  });
});

describe('the points', () => {
  // All licai with May mda 850,000: bp 1500, room = floor(40 × 8500 / 10000) = 34.
  const rows = (products: string[]) => may({ mda: '850000', products });

  describe('room to add: floor(40 × (10000 − bp) / 10000)', () => {
    const cases = [
      { name: 'bp 1000 (mda 900,000): 40 × 9000 / 10000 = 36', mda: '900000', room: 36 },
      { name: 'bp 1500 (mda 850,000): 40 × 8500 / 10000 = 34', mda: '850000', room: 34 },
      { name: 'bp 2000 (mda 800,000): 40 × 8000 / 10000 = 32', mda: '800000', room: 32 },
      { name: 'bp 1666 (wealth, mda 5,000,000): 40 × 8334 / 10000 = 33.336 → 33', mda: '5000000', room: 33 },
      { name: 'bp 1 (licai, mda 999,900: short 100 = 0.01%): 40 × 9999 / 10000 = 39.996 → 39', mda: '999900', room: 39 },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(candidate(facts(may({ mda: c.mda })))!.points.room).toBe(c.room);
      });
    }
  });

  describe('products: 4 per kind held in the last month, at most 20', () => {
    const cases = [
      { kinds: [], points: 0 },
      { kinds: ['DEP'], points: 4 },
      { kinds: ['DEP', 'WMP', 'FUND'], points: 12 },
      { kinds: ['DEP', 'WMP', 'FUND', 'INS', 'CARD'], points: 20 },
      { kinds: ['DEP', 'WMP', 'FUND', 'INS', 'CARD', 'UKEY'], points: 20 },
    ];
    for (const c of cases) {
      it(`${c.kinds.length} kinds → ${c.points} points, reason 持有${c.kinds.length}类产品`, () => {
        const result = candidate(facts(rows(c.kinds)))!;
        expect(result.points.products).toBe(c.points);
        expect(result.reasons[1]).toBe(`持有${c.kinds.length}类产品`);
      });
    }
  });

  describe('age on 2025-06-15: ≤ 35 → 20, ≥ 65 → 0, between floor(20 × (65 − age) / 30), unknown → 10', () => {
    const cases: { birthday: string | null; age: number | null; points: number; why: string }[] = [
      { birthday: '1995-01-01', age: 30, points: 20, why: 'young' },
      { birthday: '1990-06-15', age: 35, points: 20, why: '35th birthday today: still ≤ 35' },
      { birthday: '1989-06-16', age: 35, points: 20, why: '36th birthday is tomorrow: still 35' },
      { birthday: '1989-06-15', age: 36, points: 19, why: '20 × 29 / 30 = 19.33 → 19' },
      { birthday: '1975-06-15', age: 50, points: 10, why: '20 × 15 / 30 = 10' },
      { birthday: '1972-01-10', age: 53, points: 8, why: '20 × 12 / 30 = 8' },
      { birthday: '1962-06-15', age: 63, points: 1, why: '20 × 2 / 30 = 1.33 → 1' },
      { birthday: '1961-06-15', age: 64, points: 0, why: '20 × 1 / 30 = 0.67 → 0' },
      { birthday: '1960-06-15', age: 65, points: 0, why: '65 → 0' },
      { birthday: '1940-01-01', age: 85, points: 0, why: 'old' },
      { birthday: null, age: null, points: 10, why: 'no birthday on record: half of 20' },
    ];
    for (const c of cases) {
      it(`born ${c.birthday ?? '(unknown)'} → age ${c.age ?? '?'} → ${c.points} points (${c.why})`, () => {
        const result = candidate(facts(rows(['DEP']), c.birthday === null ? {} : { birthday: c.birthday }))!;
        expect(result.points.age).toBe(c.points);
        expect(result.reasons[2]).toBe(c.age === null ? '年龄未知' : `${c.age}岁`);
      });
    }
  });

  describe('maturity: a product maturing between today (2025-06-15) and today + 30 (2025-07-15) → 20', () => {
    const cases = [
      { date: '2025-07-15', amount: '300000', points: 20, reason: 'WMP于2025-07-15到期（300000.00元）', why: 'the 30th day, inclusive' },
      { date: '2025-07-16', amount: '300000', points: 0, reason: null, why: 'the 31st day' },
      { date: '2025-06-15', amount: '300000', points: 20, reason: 'WMP于2025-06-15到期（300000.00元）', why: 'today' },
      { date: '2025-06-14', amount: '300000', points: 0, reason: null, why: 'yesterday: already matured' },
      { date: '2025-07-01', amount: undefined, points: 20, reason: 'WMP于2025-07-01到期', why: 'no amount on record: no amount in the reason' },
    ];
    for (const c of cases) {
      it(`WMP maturing ${c.date} → ${c.points} (${c.why})`, () => {
        const result = candidate(facts(rows(['DEP']), { maturities: [{ product: 'WMP', date: c.date, ...(c.amount === undefined ? {} : { amount: c.amount }) }] }))!;
        expect(result.points.maturity).toBe(c.points);
        expect(result.reasons).toHaveLength(c.reason === null ? 3 : 4);
        if (c.reason !== null) expect(result.reasons[3]).toBe(c.reason);
      });
    }

    it('two maturities in the window count once (20, not 40) and the reason names the earlier one', () => {
      const result = candidate(
        facts(rows(['DEP']), {
          maturities: [
            { product: 'FUND', date: '2025-07-10', amount: '50000' },
            { product: 'WMP', date: '2025-06-20', amount: '120000.50' },
          ],
        }),
      )!;
      expect(result.points.maturity).toBe(20);
      expect(result.reasons[3]).toBe('WMP于2025-06-20到期（120000.50元）');
    });
  });

  it('the whole explanation: 34 room + 12 products + 20 age + 20 maturity = 86, each with its reason', () => {
    const result = candidate(
      facts(rows(['DEP', 'WMP', 'FUND']), { birthday: '1990-06-15', maturities: [{ product: 'WMP', date: '2025-07-15', amount: '300000' }] }),
    )!;
    expect(result.points).toEqual({ room: 34, products: 12, age: 20, maturity: 20 });
    expect(result.score).toBe(86);
    expect(result.reasons).toEqual(['差额为标准的15.00%', '持有3类产品', '35岁', 'WMP于2025-07-15到期（300000.00元）']);
    expect(result.customerId).toBe('P-1');
    expect(result.branchId).toBe('B1');
    expect(result.managerId).toBe('M-1');
    expect(result.primaryPath).toEqual([{ metric: 'mda', value: fen('850000'), min: fen('1000000'), shortfall: fen('150000') }]);
  });

  it('the gap reason shows two decimals of the rounded-down basis points: 1666 bp → 16.66%', () => {
    expect(candidate(facts(may({ mda: '5000000' })))!.reasons[0]).toBe('差额为标准的16.66%');
  });
});

describe('the top-up from the daily view (June: D = 30 days, target wealth T = 1,000,000)', () => {
  // May mda 850,000 makes the customer licai, 15% short of wealth. June's day-sum so far is given.
  const withJune = (daySum: string) => facts([...may({ mda: '850000' }), { month: '2025-06', daySum }]);

  it('mid-month (d = 15, r = 15): S = 13,000,000, need ceil((30,000,000 − 13,000,000) / 15) = 1,133,333.34; holding 1,000,000 → top up 133,333.34', () => {
    // 1,700,000,000 fen / 15 = 113,333,333.33… → 113,333,334 fen
    const result = candidate(withJune('13000000'), { date: '2025-06-15', balance: '1000000' })!;
    expect(result.balanceNeeded).toBe(fen('1133333.34'));
    expect(result.topUpToday).toBe(fen('133333.34'));
  });

  it('a balance already above what is needed: top-up 0, balance still shown', () => {
    const result = candidate(withJune('13000000'), { date: '2025-06-15', balance: '1200000' })!;
    expect(result.balanceNeeded).toBe(fen('1133333.34'));
    expect(result.topUpToday).toBe(0);
  });

  it('on the 20th (r = 10): S = 18,000,000 → need (30,000,000 − 18,000,000) / 10 = 1,200,000; holding 900,000 → 300,000', () => {
    const result = candidate(withJune('18000000'), { date: '2025-06-20', balance: '900000' })!;
    expect(result.balanceNeeded).toBe(fen('1200000'));
    expect(result.topUpToday).toBe(fen('300000'));
  });

  it('on the last day (r = 0) with S short of 30,000,000: not reachable this month, no top-up, still on the list by its gap', () => {
    const result = candidate(withJune('29000000'), { date: '2025-06-30', balance: '1000000' })!;
    expect(result.shortfallBasisPoints).toBe(1500);
    expect(result.balanceNeeded).toBeNull();
    expect(result.topUpToday).toBeNull();
  });

  describe('the next-period top-up: max(0, target daily average − today’s balance)', () => {
    it('mid-month holding 900,000 against wealth’s 1,000,000 → 100,000', () => {
      expect(candidate(withJune('13000000'), { date: '2025-06-15', balance: '900000' })!.topUpForNextPeriod).toBe(fen('100000'));
    });

    it('holding 1,200,000, above the 1,000,000 target → 0', () => {
      expect(candidate(withJune('13000000'), { date: '2025-06-15', balance: '1200000' })!.topUpForNextPeriod).toBe(0);
    });

    it('a base candidate 15% short of licai (mda 170,000), holding 170,000 → 200,000 − 170,000 = 30,000', () => {
      const f = facts([...may({ mda: '170000' }), { month: '2025-06', daySum: '2550000' }]);
      expect(candidate(f, { date: '2025-06-15', balance: '170000' })!.topUpForNextPeriod).toBe(fen('30000'));
    });

    it('on the last day, when this month is out of reach, holding 800,000: next month needs 1,000,000 − 800,000 = 200,000', () => {
      // the case the field exists for: the primary gap path (mda ≥ 1,000,000) has a daily-average condition
      expect(candidate(withJune('29000000'), { date: '2025-06-30', balance: '800000' })!.topUpForNextPeriod).toBe(fen('200000'));
    });
  });
});

describe('ranking: score (highest first), then the smaller gap, then customer id', () => {
  // R-top: bp 1000 → 36, 5 kinds → 20, age 30 → 20, maturity → 20 = 96
  // R-base: base→licai mda 180,000 (short 20,000 = 10%, bp 1000) → 36, 1 kind → 4, age 36 → 19, maturity → 20 = 79
  // R-z: bp 1000 → 36, 2 kinds → 8, unknown age → 10 = 54
  // R-b: bp 1500 → 34, 3 kinds → 12, age 53 → 8 = 54 (tie with R-z; R-z's gap is smaller so it goes first despite its id)
  // R-c, R-d: bp 2000 → 32, 1 kind → 4, age 70 → 0 = 36 (same score and gap: by id, R-c first)
  // R-far: bp 2100 → not on the list at all
  const mat = { maturities: [{ product: 'WMP', date: '2025-07-01', amount: '100000' }] };
  const input: CustomerFacts[] = [
    facts(may({ mda: '800000', products: ['DEP'] }), { id: 'R-d', birthday: '1955-01-01' }),
    facts(may({ mda: '850000', products: ['DEP', 'WMP', 'FUND'] }), { id: 'R-b', birthday: '1972-01-10' }),
    facts(may({ mda: '790000', products: ['DEP', 'WMP', 'FUND', 'INS', 'CARD'] }), { id: 'R-far', birthday: '1995-01-01', ...mat }),
    facts(may({ mda: '900000', products: ['DEP', 'WMP'] }), { id: 'R-z' }),
    facts(may({ mda: '180000', products: ['DEP'] }), { id: 'R-base', birthday: '1989-06-15', ...mat }),
    facts(may({ mda: '800000', products: ['DEP'] }), { id: 'R-c', birthday: '1955-01-01' }),
    facts(may({ mda: '900000', products: ['DEP', 'WMP', 'FUND', 'INS', 'CARD'] }), { id: 'R-top', birthday: '1995-01-01', ...mat }),
  ];
  const ranked = rankCandidates(input.map((f) => candidate(f)).filter((c): c is PromotionCandidate => c !== null));

  it('orders the table as worked out by hand', () => {
    expect(ranked.map((c) => [c.customerId, c.score, c.shortfallBasisPoints])).toEqual([
      ['R-top', 96, 1000],
      ['R-base', 79, 1000],
      ['R-z', 54, 1000],
      ['R-b', 54, 1500],
      ['R-c', 36, 2000],
      ['R-d', 36, 2000],
    ]);
  });

  it('the points of each row add up to its score', () => {
    expect(ranked.map((c) => [c.customerId, c.points])).toEqual([
      ['R-top', { room: 36, products: 20, age: 20, maturity: 20 }],
      ['R-base', { room: 36, products: 4, age: 19, maturity: 20 }],
      ['R-z', { room: 36, products: 8, age: 10, maturity: 0 }],
      ['R-b', { room: 34, products: 12, age: 8, maturity: 0 }],
      ['R-c', { room: 32, products: 4, age: 0, maturity: 0 }],
      ['R-d', { room: 32, products: 4, age: 0, maturity: 0 }],
    ]);
  });

  it('does not depend on the input order and does not change its input', () => {
    const candidates = input.map((f) => candidate(f)).filter((c): c is PromotionCandidate => c !== null);
    const before = candidates.map((c) => c.customerId);
    const reversed = rankCandidates([...candidates].reverse());
    expect(reversed.map((c) => c.customerId)).toEqual(['R-top', 'R-base', 'R-z', 'R-b', 'R-c', 'R-d']);
    rankCandidates(candidates);
    expect(candidates.map((c) => c.customerId)).toEqual(before);
  });
});
