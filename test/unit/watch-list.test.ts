import { describe, expect, it } from 'vitest';
import { parseBusinessDate } from '../../shared/business-date.js';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import { dailyView } from '../../shared/daily-view.js';
import { rankWatch, watchEntry, type WatchEntry } from '../../shared/service/watch-list.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { customer, fen, run, type Row } from '../support/facts-builder.js';
import { bundled, code } from '../support/scheme-builder.js';

/**
 * 降级预警 under BOC (monthly, retain 6, watchAfter 3). Today is 2025-06-11, so June's tier
 * is the one decided at the May assessment. belowCount = consecutive assessments up to May
 * at which the tier was not met; on watch when belowCount ≥ 3; remaining = 6 − belowCount.
 * The keep figures come from the daily view for June: D = 30, d = 11, r = 19.
 * licai = mda ≥ 200,000 | loan ≥ 500,000 | card12 ≥ 100,000; wealth = mda ≥ 1,000,000.
 */

const boc = bundled('boc');
const engine = createTierEngine(boc);
const date = parseBusinessDate('2025-06-11')!;

function facts(id: string, rows: Row[]): CustomerFacts {
  return { ...customer(rows, { id }), branchId: 'B1', profile: { managerId: `M-${id}`, archive: {}, servicePlan: {} } };
}

function entry(f: CustomerFacts, balance = '0'): WatchEntry | null {
  return watchEntry(f, dailyView(engine, f, date, fen(balance)));
}

/** licai met in `metFrom`…`metTo`, then mda 100,000 (licai not met) through May. */
function licaiThenBelow(id: string, metFrom: string, metTo: string, belowFrom: string, extra: Row[] = []): CustomerFacts {
  return facts(id, [...run(metFrom, metTo, { mda: '300000' }), ...run(belowFrom, '2025-05', { mda: '100000' }), ...extra]);
}

/** wealth met in `metFrom`…`metTo`, then mda 300,000 (licai level, wealth not met) through May. */
function wealthThenBelow(id: string, metFrom: string, metTo: string, belowFrom: string, extra: Row[] = []): CustomerFacts {
  return facts(id, [...run(metFrom, metTo, { mda: '1200000' }), ...run(belowFrom, '2025-05', { mda: '300000' }), ...extra]);
}

describe('only customers on watch are listed', () => {
  const cases: { name: string; facts: CustomerFacts; listed: boolean; tier?: string; below?: number; remaining?: number }[] = [
    { name: 'licai met in Feb, below Mar–May: 3 below ≥ watchAfter 3 → on watch, 6 − 3 = 3 left', facts: licaiThenBelow('A', '2025-02', '2025-02', '2025-03'), listed: true, tier: 'licai', below: 3, remaining: 3 },
    { name: 'licai met through Mar, below Apr–May: 2 below < 3 → not listed', facts: licaiThenBelow('B', '2025-02', '2025-03', '2025-04'), listed: false },
    { name: 'licai met in May: 0 below → not listed', facts: facts('C', run('2025-03', '2025-05', { mda: '300000' })), listed: false },
    { name: 'base customer (mda 100,000 throughout): no tier to lose → not listed', facts: facts('D', run('2025-01', '2025-05', { mda: '100000' })), listed: false },
    { name: 'licai in Dec, below Jan–May: 5 below → on watch with 1 left', facts: licaiThenBelow('E', '2024-12', '2024-12', '2025-01'), listed: true, tier: 'licai', below: 5, remaining: 1 },
    {
      name: 'licai in Nov 2024, below Dec–May: the 6th failed assessment (May) downgrades to base → not listed',
      facts: licaiThenBelow('F', '2024-11', '2024-11', '2024-12'),
      listed: false,
    },
    { name: 'wealth in Jan, licai level Feb–May: wealth 4 below → on watch, 2 left', facts: wealthThenBelow('G', '2025-01', '2025-01', '2025-02'), listed: true, tier: 'wealth', below: 4, remaining: 2 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = entry(c.facts);
      if (!c.listed) {
        expect(result).toBeNull();
        return;
      }
      expect(result).not.toBeNull();
      expect(code(boc, result!.tier)).toBe(c.tier);
      expect(result!.belowCount).toBe(c.below);
      expect(result!.remaining).toBe(c.remaining);
      expect(result!.customerId).toBe(c.facts.customerId);
      expect(result!.branchId).toBe('B1');
      expect(result!.managerId).toBe(`M-${c.facts.customerId}`);
    });
  }
});

describe('what would keep the tier this month (June, r = 19 days left)', () => {
  it('licai on watch, June S = 11 × 100,000 = 1,100,000, holding 100,000: hold ceil((6,000,000 − 1,100,000) / 19) = 257,894.74, top up 157,894.74', () => {
    // T × D = 200,000 × 30 = 6,000,000; 490,000,000 fen / 19 = 25,789,473.68… → 25,789,474 fen
    const f = licaiThenBelow('K1', '2025-02', '2025-02', '2025-03', [{ month: '2025-06', daySum: '1100000' }]);
    const result = entry(f, '100000')!;
    expect(result.keepPath).toBe(0);
    expect(result.balanceNeeded).toBe(fen('257894.74'));
    expect(result.topUpToday).toBe(fen('157894.74'));
  });

  it('wealth on watch, June S = 11 × 300,000 = 3,300,000, holding 300,000: hold ceil(26,700,000 / 19) = 1,405,263.16, top up 1,105,263.16', () => {
    // T × D = 1,000,000 × 30 = 30,000,000; 2,670,000,000 fen / 19 = 140,526,315.78… → 140,526,316 fen
    const f = wealthThenBelow('K2', '2024-12', '2024-12', '2025-01', [{ month: '2025-06', daySum: '3300000' }]);
    const result = entry(f, '300000')!;
    expect(code(boc, result.tier)).toBe('wealth');
    expect(result.keepPath).toBe(0);
    expect(result.balanceNeeded).toBe(fen('1405263.16'));
    expect(result.topUpToday).toBe(fen('1105263.16'));
  });

  it('a balance already at the needed level: top-up 0', () => {
    const f = licaiThenBelow('K3', '2025-02', '2025-02', '2025-03', [{ month: '2025-06', daySum: '1100000' }]);
    const result = entry(f, '300000')!;
    expect(result.balanceNeeded).toBe(fen('257894.74'));
    expect(result.topUpToday).toBe(0);
  });

  it('licai kept by June card spend of 100,000 (card12 = 100,000 ≥ 100,000): the card path (2) needs no deposit', () => {
    // at the May assessment card12 was 0 (June is not in it); today it counts, so path 2 already holds
    const f = licaiThenBelow('K4', '2025-02', '2025-02', '2025-03', [{ month: '2025-06', daySum: '1100000', card: '100000' }]);
    const result = entry(f, '100000')!;
    expect(result.keepPath).toBe(2);
    expect(result.balanceNeeded).toBeNull();
    expect(result.topUpToday).toBeNull();
  });

  it('on the last day of June with the average out of reach: no path attainable, nothing to top up', () => {
    const f = licaiThenBelow('K5', '2025-02', '2025-02', '2025-03', [{ month: '2025-06', daySum: '3000000' }]);
    const last = parseBusinessDate('2025-06-30')!;
    const result = watchEntry(f, dailyView(engine, f, last, fen('100000')))!;
    expect(result.remaining).toBe(3);
    expect(result.keepPath).toBeNull();
    expect(result.balanceNeeded).toBeNull();
    expect(result.topUpToday).toBeNull();
  });
});

describe('ranking: fewest remaining first, then the higher tier, then customer id', () => {
  // W-a licai, below Jan–May (5) → 1 left;  W-b wealth, below Jan–May (5) → 1 left
  // W-e wealth, below Feb–May (4) → 2 left; W-c, W-d licai, below Mar–May (3) → 3 left
  const input = [
    licaiThenBelow('W-d', '2025-02', '2025-02', '2025-03'),
    licaiThenBelow('W-a', '2024-12', '2024-12', '2025-01'),
    licaiThenBelow('W-c', '2025-02', '2025-02', '2025-03'),
    wealthThenBelow('W-e', '2025-01', '2025-01', '2025-02'),
    facts('W-ok', run('2025-03', '2025-05', { mda: '300000' })),
    wealthThenBelow('W-b', '2024-12', '2024-12', '2025-01'),
  ];
  const entries = input.map((f) => entry(f)).filter((e): e is WatchEntry => e !== null);

  it('orders W-b (1 left, wealth), W-a (1 left, licai), W-e (2), W-c, W-d (3, by id); W-ok is not on watch', () => {
    expect(rankWatch(entries).map((e) => [e.customerId, e.remaining, code(boc, e.tier)])).toEqual([
      ['W-b', 1, 'wealth'],
      ['W-a', 1, 'licai'],
      ['W-e', 2, 'wealth'],
      ['W-c', 3, 'licai'],
      ['W-d', 3, 'licai'],
    ]);
  });

  it('gives the same order from reversed input and leaves the input as it was', () => {
    const before = entries.map((e) => e.customerId);
    expect(rankWatch([...entries].reverse()).map((e) => e.customerId)).toEqual(['W-b', 'W-a', 'W-e', 'W-c', 'W-d']);
    expect(entries.map((e) => e.customerId)).toEqual(before);
  });
});
