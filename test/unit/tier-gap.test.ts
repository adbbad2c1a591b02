import { describe, expect, it } from 'vitest';
import { toAssessLine } from '../../shared/assessment-output.js';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import type { ConditionCheck } from '../../shared/metric-snapshot.js';
import type { MetricName } from '../../shared/metric.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { customer, fen, run } from '../support/facts-builder.js';
import { bundled, code, schemeFrom } from '../support/scheme-builder.js';

/**
 * tier-rules.md, "Gap to the next tier": after the last assessment, for the tier directly
 * above the new tier, every path with value (rounded down to the fen), min and
 * shortfall = max(0, min − value) (rounded up to the fen); the primary path has the fewest
 * unmet conditions, then the smallest Σ shortfall/min, then comes first in the scheme.
 * Every figure below is worked out by hand (fen = yuan × 100).
 */

const boc = bundled('boc');
const generic = bundled('generic');

/** A condition check written in yuan for money metrics, plain numbers for counts. */
function money(metric: MetricName, value: string, min: string, shortfall: string): ConditionCheck {
  return { metric, value: fen(value), min: fen(min), shortfall: fen(shortfall) };
}
function count(metric: MetricName, value: number, min: number, shortfall: number): ConditionCheck {
  return { metric, value, min, shortfall };
}

function gapOf(scheme: Scheme, facts: CustomerFacts) {
  const a = createTierEngine(scheme).assess(facts);
  return { a, tier: code(scheme, a.tier), next: code(scheme, a.nextTier), gap: a.gap };
}

describe('value rounded down, shortfall rounded up, to the fen', () => {
  const cases = [
    {
      // April has 30 days: 599,999,985 fen / 30 = 19,999,999.5 fen
      name: 'Apr 2025 day-sum 5,999,999.85 → mda 199,999.995: value 199,999.99, shortfall 0.01',
      rows: [{ month: '2025-04', daySum: '5999999.85' }],
      mda: money('mda', '199999.99', '200000', '0.01'),
    },
    {
      // 619,999,999 fen / 31 = 19,999,999.967… fen → value 19,999,999; shortfall ceil(0.032…) = 1 fen
      name: 'Mar 2025 day-sum 6,199,999.99 → mda 199,999.9999…: value 199,999.99, shortfall 0.01',
      rows: [{ month: '2025-03', daySum: '6199999.99' }],
      mda: money('mda', '199999.99', '200000', '0.01'),
    },
    {
      // 619,999,900 fen / 31 = 19,999,996.77… fen → value 199,999.96; shortfall ceil(3.22…) = 4 fen, not 3
      name: 'Mar 2025 day-sum 6,199,999.00 → mda 199,999.967…: value 199,999.96, shortfall 0.04',
      rows: [{ month: '2025-03', daySum: '6199999.00' }],
      mda: money('mda', '199999.96', '200000', '0.04'),
    },
    {
      // exact division: 3,100,000 / 31 = 100,000.00
      name: 'Jan 2025 mda 100,000 exactly: value 100,000.00, shortfall 100,000.00',
      rows: [{ month: '2025-01', mda: '100000' }],
      mda: money('mda', '100000', '200000', '100000'),
    },
  ];
  it.each(cases)('BOC base → licai, path 0: $name', (c) => {
    const { tier, next, gap } = gapOf(boc, customer(c.rows));
    expect(tier).toBe('base');
    expect(next).toBe('licai');
    expect(gap?.paths[0]?.conditions).toEqual([c.mda]);
  });

  it('the sheet shows the same in yuan: value "199999.99", min "200000.00", shortfall "0.01"', () => {
    const engine = createTierEngine(boc);
    const line = toAssessLine(engine.compiled, engine.assess(customer([{ month: '2025-04', daySum: '5999999.85' }])));
    expect(line.nextTier).toBe('licai');
    expect(line.gap?.paths[0]?.conditions).toEqual([{ metric: 'mda', value: '199999.99', min: '200000.00', shortfall: '0.01' }]);
  });

  it('qda over the quarter: generic Q1 2025 (90 days) day-sum 17,999,999.99 → qda 199,999.9999 → value 199,999.99, shortfall 0.01 to gold', () => {
    // 1,799,999,999 fen / 90 = 19,999,999.99 fen; qda ≥ 50,000 makes the customer silver
    const { tier, next, gap } = gapOf(generic, customer([{ month: '2025-01', daySum: '17999999.99' }, ...run('2025-02', '2025-03', {})]));
    expect(tier).toBe('silver');
    expect(next).toBe('gold');
    expect(gap?.paths[0]?.conditions).toEqual([money('qda', '199999.99', '200000', '0.01')]);
  });
});

describe('every path of the next tier is reported', () => {
  it('BOC base → licai: mda, loanBalance and cardSpend12 paths with their own figures', () => {
    // Jan mda 100,000; loans 300,000; card 50,000 in Jan → 12-month sum 50,000
    const { gap } = gapOf(boc, customer([{ month: '2025-01', mda: '100000', loan: '300000', card: '50000' }]));
    expect(gap?.tier).toBe(1);
    expect(gap?.paths).toEqual([
      { conditions: [money('mda', '100000', '200000', '100000')] },
      { conditions: [money('loanBalance', '300000', '500000', '200000')] },
      { conditions: [money('cardSpend12', '50000', '100000', '50000')] },
    ]);
  });

  it('generic silver → gold: a met condition shows shortfall 0 beside the unmet ones', () => {
    // Q1 2025: qda 9,000,000 / 90 = 100,000; transactions 40 + 40 + 39 = 119; products at Mar: DEP, WMP = 2
    const { tier, gap } = gapOf(
      generic,
      customer([
        { month: '2025-01', daySum: '9000000', txn: 40 },
        { month: '2025-02', txn: 40 },
        { month: '2025-03', txn: 39, products: ['DEP', 'WMP'] },
      ]),
    );
    expect(tier).toBe('silver');
    expect(gap?.paths).toEqual([
      { conditions: [money('qda', '100000', '200000', '100000')] },
      { conditions: [money('qda', '100000', '100000', '0'), count('txnCount12', 119, 120, 1), count('productCount', 2, 3, 1)] },
    ]);
  });

  it('the gap is to the tier directly above the new tier, even when it is kept: wealth (Jan) retained with Feb mda 300,000 → gap to private', () => {
    // Feb 2025: 300,000 × 28 = 8,400,000 → mda 300,000; private needs 6,000,000: shortfall 5,700,000
    const { tier, next, gap } = gapOf(boc, customer([{ month: '2025-01', mda: '1000000' }, { month: '2025-02', mda: '300000' }]));
    expect(tier).toBe('wealth');
    expect(next).toBe('private');
    expect(gap?.paths).toEqual([{ conditions: [money('mda', '300000', '6000000', '5700000')] }]);
  });
});

describe('primary path: fewest unmet, then smallest Σ shortfall/min, then scheme order', () => {
  it('generic gold: path 0 (1 unmet, 100,000/200,000 = 0.5) beats path 1 (2 unmet, 1/120 + 1/3 ≈ 0.34): fewer unmet wins over a smaller ratio', () => {
    const { gap } = gapOf(
      generic,
      customer([
        { month: '2025-01', daySum: '9000000', txn: 40 },
        { month: '2025-02', txn: 40 },
        { month: '2025-03', txn: 39, products: ['DEP', 'WMP'] },
      ]),
    );
    expect(gap?.primary).toBe(0);
  });

  it('generic gold, one unmet each: path 0 short 50,000/200,000 = 0.25, path 1 short 20/120 ≈ 0.167 → path 1', () => {
    // Q1 qda 13,500,000 / 90 = 150,000 (≥ 100,000); 100 transactions; 3 products
    const { tier, gap } = gapOf(
      generic,
      customer([{ month: '2025-01', daySum: '13500000', txn: 100 }, { month: '2025-02' }, { month: '2025-03', products: ['DEP', 'WMP', 'FUND'] }]),
    );
    expect(tier).toBe('silver');
    expect(gap?.paths[1]?.conditions).toEqual([money('qda', '150000', '100000', '0'), count('txnCount12', 100, 120, 20), count('productCount', 3, 3, 0)]);
    expect(gap?.primary).toBe(1);
  });

  it('BOC licai: the ratio, not the yuan amount: mda short 100,000/200,000 = 0.5, loans short 200,000/500,000 = 0.4, card short 50,000/100,000 = 0.5 → loans (path 1)', () => {
    const { gap } = gapOf(boc, customer([{ month: '2025-01', mda: '100000', loan: '300000', card: '50000' }]));
    expect(gap?.primary).toBe(1);
  });

  const threeWays = schemeFrom({
    id: 'three-ways',
    name: { zh: '三条路径', en: 'three ways' },
    assess: 'month',
    retain: 1,
    tiers: [
      { code: 'base', name: { zh: '普通', en: 'Base' } },
      {
        code: 'member',
        name: { zh: '会员', en: 'Member' },
        paths: [[{ metric: 'mda', min: '100000' }], [{ metric: 'loanBalance', min: '100000' }], [{ metric: 'monthEndAssets', min: '100000' }]],
      },
    ],
  });
  const orderCases = [
    { name: 'mda 10,000 (0.9), loans 50,000 (0.5), month-end 50,000 (0.5): tie of 1 and 2 → the earlier, path 1', mda: '10000', loan: '50000', monthEnd: '50000', primary: 1 },
    { name: 'mda 50,000 (0.5), loans 50,000 (0.5), month-end 10,000 (0.9): tie of 0 and 1 → path 0', mda: '50000', loan: '50000', monthEnd: '10000', primary: 0 },
    { name: 'mda 90,000 (0.1), loans 50,000 (0.5), month-end 95,000 (0.05) → path 2', mda: '90000', loan: '50000', monthEnd: '95000', primary: 2 },
  ];
  it.each(orderCases)('three single-condition paths: $name', (c) => {
    const { gap } = gapOf(threeWays, customer([{ month: '2025-01', mda: c.mda, loan: c.loan, monthEnd: c.monthEnd }]));
    expect(gap?.primary).toBe(c.primary);
  });

  const twoByTwo = schemeFrom({
    id: 'two-by-two',
    name: { zh: '两条双条件路径', en: 'two paths of two' },
    assess: 'month',
    retain: 1,
    tiers: [
      { code: 'base', name: { zh: '普通', en: 'Base' } },
      {
        code: 'member',
        name: { zh: '会员', en: 'Member' },
        paths: [
          [{ metric: 'mda', min: '100000' }, { metric: 'loanBalance', min: '100000' }],
          [{ metric: 'monthEndAssets', min: '100000' }, { metric: 'cardSpend12', min: '100000' }],
        ],
      },
    ],
  });
  // In floating point 0.1 + 0.2 > 0.15 + 0.15; as exact fractions both are 3/10.
  const exactCases = [
    { name: '0.1 + 0.2 = 0.15 + 0.15 exactly (3/10 each) → tie → scheme order, path 0', monthEnd: '85000', primary: 0 },
    { name: 'month-end 85,000.01: path 1 = 0.1499999 + 0.15 < 0.3 → path 1', monthEnd: '85000.01', primary: 1 },
  ];
  it.each(exactCases)('two unmet each, mda 90,000, loans 80,000 | card 85,000: $name', (c) => {
    const { gap } = gapOf(twoByTwo, customer([{ month: '2025-01', mda: '90000', loan: '80000', monthEnd: c.monthEnd, card: '85000' }]));
    expect(gap?.paths.map((p) => p.conditions.filter((x) => x.shortfall > 0).length)).toEqual([2, 2]);
    expect(gap?.primary).toBe(c.primary);
  });
});

describe('the top tier has no next tier', () => {
  const cases = [
    { name: 'BOC private: Jan mda 6,000,000', scheme: boc, rows: [{ month: '2025-01', mda: '6000000' }], tier: 'private' },
    // Q1 2025: 8,000,000 × 90 = 720,000,000
    { name: 'branch-six private: Q1 day-sum 720,000,000 = 8,000,000 × 90', scheme: bundled('branch-six'), rows: [{ month: '2025-01', daySum: '720000000' }, ...run('2025-02', '2025-03', {})], tier: 'private' },
    { name: 'generic platinum: Q1 qda 1,000,000 (90,000,000 / 90)', scheme: generic, rows: [{ month: '2025-01', daySum: '90000000' }, ...run('2025-02', '2025-03', {})], tier: 'platinum' },
  ];
  it.each(cases)('$name → nextTier null, gap null', (c) => {
    const { tier, next, gap } = gapOf(c.scheme, customer(c.rows));
    expect(tier).toBe(c.tier);
    expect(next).toBeNull();
    expect(gap).toBeNull();
  });

  it('one below the top still has a gap: BOC wealth (Jan mda 1,000,000) → private short 5,000,000', () => {
    const { next, gap } = gapOf(boc, customer([{ month: '2025-01', mda: '1000000' }]));
    expect(next).toBe('private');
    expect(gap?.paths).toEqual([{ conditions: [money('mda', '1000000', '6000000', '5000000')] }]);
  });
});
