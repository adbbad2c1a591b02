import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import { dailyView } from '../../shared/daily-view.js';
import { engineStateOf, resumedFacts, type EngineState } from '../../shared/engine-state.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { createTierEngine, type TierEngine } from '../../shared/tier-engine.js';
import { schemeAndCustomer } from '../support/engine-arbitraries.js';

/**
 * Resuming from a saved state gives exactly what a full replay gives: the tier, the whole
 * history (levels, tiers, decisions), belowCount, watch, remaining, qualifiedBy, the gap and
 * the snapshot, and the daily view built on it — for random schemes (every period, per-tier
 * retain, both downgrade modes), random histories and overrides, states saved at any month
 * and resumed once or twice.
 */

/** The state as the store keeps it: what comes back from Firestore is plain JSON. */
function stored(state: EngineState): EngineState {
  return JSON.parse(JSON.stringify(state)) as EngineState;
}

function stateAt(engine: TierEngine, scheme: Scheme, facts: CustomerFacts, through: number): EngineState | null {
  return engineStateOf(scheme, facts, engine.assess(facts, through), through);
}

const withCuts = schemeAndCustomer.chain(({ scheme, facts }) => {
  const first = facts.months[0]!.month;
  const last = facts.months[facts.months.length - 1]!.month;
  return fc.record({
    scheme: fc.constant(scheme),
    facts: fc.constant(facts),
    cut: fc.integer({ min: first, max: last + 3 }),
    more: fc.integer({ min: 0, max: 14 }),
    after: fc.integer({ min: 0, max: 6 }),
    day: fc.integer({ min: 1, max: 28 }),
    balance: fc.integer({ min: 0, max: 800_000_000 }),
  });
});

describe('resuming the engine from a saved state', () => {
  it('equals a full replay, through the last month and through later months', () => {
    let resumed = 0;
    fc.assert(
      fc.property(withCuts, ({ scheme, facts, cut, after }) => {
        const engine = createTierEngine(scheme);
        const state = stateAt(engine, scheme, facts, cut);
        if (state === null) return;
        resumed++;
        const later = facts.months.filter((m) => m.month > cut);
        const again = resumedFacts(stored(state), { customerId: facts.customerId, ...(facts.override ? { override: facts.override } : {}) }, later);
        expect(engine.assess(again)).toEqual(engine.assess(facts));
        const through = cut + after;
        expect(engine.assess(again, through)).toEqual(engine.assess(facts, through));
      }),
      { numRuns: 1500 },
    );
    // the cut lands before the first assessment for some customers; most must really resume
    expect(resumed).toBeGreaterThan(600);
  });

  it('equals a full replay after a state saved twice (a resume resumed again)', () => {
    fc.assert(
      fc.property(withCuts, ({ scheme, facts, cut, more }) => {
        const engine = createTierEngine(scheme);
        const first = stateAt(engine, scheme, facts, cut);
        if (first === null) return;
        const base = { customerId: facts.customerId, ...(facts.override ? { override: facts.override } : {}) };
        const once = resumedFacts(stored(first), base, facts.months.filter((m) => m.month > cut));
        const second = stateAt(engine, scheme, once, cut + more);
        if (second === null) return;
        const twice = resumedFacts(stored(second), base, facts.months.filter((m) => m.month > cut + more));
        expect(engine.assess(twice)).toEqual(engine.assess(facts));
        expect(second).toEqual(stateAt(engine, scheme, facts, cut + more));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same daily view on any day of a later month', () => {
    fc.assert(
      fc.property(withCuts, ({ scheme, facts, cut, after, day, balance }) => {
        const engine = createTierEngine(scheme);
        const state = stateAt(engine, scheme, facts, cut);
        if (state === null) return;
        const again = resumedFacts(stored(state), { customerId: facts.customerId, ...(facts.override ? { override: facts.override } : {}) }, facts.months.filter((m) => m.month > cut));
        const date = { month: cut + 1 + after, day };
        expect(dailyView(engine, again, date, balance)).toEqual(dailyView(engine, facts, date, balance));
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a state made under another scheme version, another override, or asked for a month before its last assessment', () => {
    fc.assert(
      fc.property(withCuts, ({ scheme, facts, cut }) => {
        const engine = createTierEngine(scheme);
        const state = stateAt(engine, scheme, facts, cut);
        if (state === null) return;
        const base = { customerId: facts.customerId, ...(facts.override ? { override: facts.override } : {}) };
        const again = resumedFacts(state, base, facts.months.filter((m) => m.month > cut));
        const newer = createTierEngine({ ...scheme, version: `${scheme.version}+1` });
        expect(() => newer.assess(again)).toThrow(/scheme changed/);
        const otherOverride = { ...again, override: { tier: scheme.tiers[0]!.code, from: cut + 1, until: cut + 2, reason: 'test' } };
        if (facts.override === undefined) expect(() => engine.assess(otherOverride)).toThrow(/override changed/);
        const lastAssessment = state.firstAssessment + (state.levels.length - 1) * engine.compiled.periodMonths;
        expect(() => engine.assess(again, lastAssessment - 1)).toThrow(/state was saved after/);
      }),
      { numRuns: 300 },
    );
  });
});
