import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import { parseFactsLine } from '../../shared/facts.schema.js';
import { toFactsLine } from '../../shared/facts-output.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { createTierEngine, type TierAssessment } from '../../shared/tier-engine.js';
import { referenceAssess } from '../support/reference-engine.js';
import { anyScheme, customerFacts, fitOverride, schemeAndCustomer } from '../support/engine-arbitraries.js';

/**
 * Invariants of tier-rules.md on random schemes and random customers, and the engine
 * against a naive reference written straight from the spec (test/support/reference-engine.ts).
 */

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
