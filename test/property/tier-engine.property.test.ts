import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import type { CustomerFacts, MonthFacts } from '../../shared/customer-facts.js';
import { parseFactsLine } from '../../shared/facts.schema.js';
import { METRIC_KIND, METRIC_NAMES } from '../../shared/metric.js';
import { daysInMonth } from '../../shared/month.js';
import { toFactsLine } from '../../shared/facts-output.js';
import { parseScheme, type Scheme } from '../../shared/scheme.schema.js';
import { createTierEngine, type TierAssessment } from '../../shared/tier-engine.js';
import { referenceAssess } from '../support/reference-engine.js';

/**
 * Invariants of tier-rules.md on random schemes and random customers, and the engine
 * against a naive reference written straight from the spec (test/support/reference-engine.ts).
 * Thresholds are drawn from a small set and balances placed on, just under and just above
 * them, so that ties at the threshold and near misses happen often.
 */

const THRESHOLDS_YUAN = [1_000, 20_000, 200_000, 1_000_000];
const COUNTS = [1, 2, 3, 12, 40];

const condition: fc.Arbitrary<{ metric: string; min: number | string }> = fc.constantFrom(...METRIC_NAMES).chain((metric) =>
  METRIC_KIND[metric] === 'count'
    ? fc.constantFrom(...COUNTS).map((min): { metric: string; min: number | string } => ({ metric, min }))
    : fc.constantFrom(...THRESHOLDS_YUAN).map((min): { metric: string; min: number | string } => ({ metric, min: `${min}.00` })),
);

const randomScheme: fc.Arbitrary<Scheme> = fc
  .record({
    assess: fc.constantFrom('month', 'quarter', 'half-year', 'year'),
    retain: fc.integer({ min: 1, max: 6 }),
    downgradeTo: fc.constantFrom('window-best', 'latest'),
    watchAfter: fc.integer({ min: 1, max: 4 }),
    tiers: fc.array(
      fc.record({
        paths: fc.array(fc.array(condition, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        retain: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map((s) => {
    const parsed = parseScheme({
      id: 'random',
      name: { zh: '随机', en: 'random' },
      assess: s.assess,
      retain: s.retain,
      downgradeTo: s.downgradeTo,
      watchAfter: s.watchAfter,
      tiers: [
        { code: 'base', name: { zh: '普通', en: 'base' } },
        ...s.tiers.map((t, i) => ({ code: `t${i + 1}`, name: { zh: `第${i + 1}级`, en: `tier ${i + 1}` }, paths: t.paths, ...(t.retain ? { retain: t.retain } : {}) })),
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.scheme;
  });

const anyScheme = fc.oneof(
  fc.constantFrom('boc', 'boc-2012', 'branch-six', 'generic').map((id) => bundledScheme(id) as Scheme),
  randomScheme,
);

/** A daily average near a threshold: on it, a fen under, a fen over, or far away. */
const averageFen = fc.oneof(
  fc.tuple(fc.constantFrom(...THRESHOLDS_YUAN, 6_000_000), fc.constantFrom(-1, 0, 0, 1)).map(([yuan, delta]) => Math.max(0, yuan * 100 + delta)),
  fc.integer({ min: 0, max: 800_000_000 }),
);

const START = 2023 * 12; // 2023-01

function customerFacts(id: string): fc.Arbitrary<CustomerFacts> {
  return fc
    .record({
      start: fc.integer({ min: START, max: START + 30 }),
      rows: fc.array(
        fc.record({
          keep: fc.integer({ min: 0, max: 9 }),
          average: averageFen,
          monthEnd: averageFen,
          loan: fc.oneof(fc.constant(0), averageFen),
          card: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30_000_000 })),
          txn: fc.integer({ min: 0, max: 30 }),
          products: fc.subarray(['DEP', 'WMP', 'FUND', 'INS', 'CARD', 'UKEY'], { minLength: 0, maxLength: 6 }),
        }),
        { minLength: 1, maxLength: 30 },
      ),
      override: fc.option(fc.record({ tier: fc.integer({ min: 0, max: 4 }), from: fc.integer({ min: 0, max: 30 }), length: fc.integer({ min: 0, max: 8 }) }), { nil: undefined }),
    })
    .map(({ start, rows, override }) => {
      const months: MonthFacts[] = [];
      rows.forEach((row, i) => {
        // The first row is always present so the customer has a first month; about 1 in 10 of the rest is missing.
        if (i > 0 && row.keep === 0) return;
        const month = start + i;
        months.push({
          month,
          assetDaySum: row.average * daysInMonth(month),
          monthEndAssets: row.monthEnd,
          loanBalance: row.loan,
          cardSpend: row.card,
          txnCount: row.txn,
          products: row.products,
        });
      });
      const facts: CustomerFacts = { customerId: id, months };
      if (override) facts.override = { tier: `t${override.tier}`, from: start + override.from, until: start + override.from + override.length, reason: 'test' };
      return facts;
    });
}

/** Overrides name tiers t0…t4; map them onto the scheme's codes so every override is valid. */
function fitOverride(scheme: Scheme, facts: CustomerFacts): CustomerFacts {
  if (!facts.override) return facts;
  const index = Number(facts.override.tier.slice(1)) % scheme.tiers.length;
  return { ...facts, override: { ...facts.override, tier: scheme.tiers[index]!.code } };
}

const schemeAndCustomer = fc.tuple(anyScheme, customerFacts('P1')).map(([scheme, facts]) => ({ scheme, facts: fitOverride(scheme, facts) }));

function retainOf(scheme: Scheme, tier: number): number {
  return scheme.tiers[tier]?.retain ?? scheme.retain;
}

describe('tier engine properties', () => {
  it('agrees with the naive reference reading of tier-rules.md', () => {
    fc.assert(
      fc.property(schemeAndCustomer, ({ scheme, facts }) => {
        const engine = createTierEngine(scheme);
        const ours = engine.assess(facts);
        const reference = referenceAssess(scheme, facts);
        expect(Array.from(ours.levels)).toEqual(reference.levels);
        expect(Array.from(ours.tiers)).toEqual(reference.tiers);
        expect(ours.tier).toBe(reference.tier);
        expect(ours.belowCount).toBe(reference.belowCount);
        expect(ours.watch).toBe(reference.watch);
      }),
      { numRuns: 1500 },
    );
  });

  it('never downgrades before retain(C) consecutive failed assessments', () => {
    fc.assert(
      fc.property(schemeAndCustomer, ({ scheme, facts }) => {
        const a = createTierEngine(scheme).assess(facts);
        let current = previousTier(a, 0, facts, scheme);
        a.tiers.forEach((tier, k) => {
          if (a.decisions[k] === 'downgrade') {
            expect(tier).toBeLessThan(current);
            for (let j = k - retainOf(scheme, current) + 1; j <= k; j++) {
              expect(j < 0 ? 0 : (a.levels[j] as number)).toBeLessThan(current);
            }
          }
          if (a.decisions[k] !== 'override') expect(tier).toBeGreaterThanOrEqual(a.levels[k] as number);
          current = tier;
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('upgrades at the first assessment a higher tier is met', () => {
    fc.assert(
      fc.property(schemeAndCustomer, ({ scheme, facts }) => {
        const a = createTierEngine(scheme).assess(facts);
        let current = previousTier(a, 0, facts, scheme);
        a.tiers.forEach((tier, k) => {
          const level = a.levels[k] as number;
          if (a.decisions[k] !== 'override' && level > current) {
            expect(tier).toBe(level);
            expect(a.decisions[k]).toBe('upgrade');
          }
          current = tier;
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same result whatever the order of months in the input line', () => {
    fc.assert(
      fc.property(schemeAndCustomer, fc.integer(), ({ scheme, facts }, seed) => {
        const line = toFactsLine(facts);
        const shuffled = { ...line, months: shuffle(line.months, seed) };
        const a = parseFactsLine(line);
        const b = parseFactsLine(shuffled);
        if (!a.ok || !b.ok) throw new Error('generated line did not parse');
        const engine = createTierEngine(scheme);
        expect(comparable(engine.assess(b.line.facts))).toEqual(comparable(engine.assess(a.line.facts)));
      }),
      { numRuns: 300 },
    );
  });

  it('gives each customer the same result whatever order customers are assessed in', () => {
    fc.assert(
      fc.property(anyScheme, fc.array(customerFacts('X'), { minLength: 2, maxLength: 12 }), fc.integer(), (scheme, list, seed) => {
        const customers = list.map((facts, i) => fitOverride(scheme, { ...facts, customerId: `C${i}` }));
        const engine = createTierEngine(scheme);
        const inOrder = new Map(customers.map((c) => [c.customerId, comparable(engine.assess(c))]));
        for (const c of shuffle(customers, seed)) expect(comparable(engine.assess(c))).toEqual(inOrder.get(c.customerId));
      }),
      { numRuns: 200 },
    );
  });
});

/** The tier effective before assessment k = 0: base, or the override when it covers the first period. */
function previousTier(a: TierAssessment, _k: number, facts: CustomerFacts, scheme: Scheme): number {
  const o = facts.override;
  if (!o || a.firstAssessment === null) return 0;
  const start = a.firstAssessment - a.periodMonths + 1;
  return start <= o.until && a.firstAssessment >= o.from ? scheme.tiers.findIndex((t) => t.code === o.tier) : 0;
}

function comparable(a: TierAssessment) {
  return { ...a, levels: Array.from(a.levels), tiers: Array.from(a.tiers), snapshot: a.snapshot && { month: a.snapshot.month, sums: Array.from(a.snapshot.sums), days: Array.from(a.snapshot.days) } };
}

/** Deterministic Fisher–Yates from fast-check's seed, so a failure replays. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
