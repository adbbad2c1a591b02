import { Engine, type RuleProperties } from 'json-rules-engine';
import type { CustomerFacts, MonthFacts } from '../../shared/customer-facts.js';
import { METRIC_KIND } from '../../shared/metric.js';
import { blockEnd } from '../../shared/month.js';
import { PERIOD_MONTHS, type Condition, type Scheme } from '../../shared/scheme.schema.js';
import { metricFactsAt } from './baseline-metrics.js';
import { belowCountOf, replayRetention } from './retention-replay.js';

/**
 * The same scheme run the way one would with a general rules engine: json-rules-engine,
 * one rule per tier built from the scheme data (any of the paths, all of each path's
 * conditions, greaterThanInclusive), level(A) = the highest tier whose rule fires, then
 * the retention replay. Daily averages are compared exactly: `<metric>Sum` against the
 * fact `minTimesDays` (min × `<metric>Days`), integer fen on both sides.
 */

export interface BaselineOutcome {
  levels: number[];
  tiers: number[];
  tier: number;
  watch: boolean;
}

export function tierRulesOf(scheme: Scheme): RuleProperties[] {
  return scheme.tiers.slice(1).map((tier, i) => ({
    name: tier.code,
    priority: i + 1,
    conditions: { any: tier.paths.map((path) => ({ all: path.map(conditionOf) })) },
    event: { type: 'tier-met', params: { tier: i + 1, code: tier.code } },
  }));
}

function conditionOf(condition: Condition) {
  return METRIC_KIND[condition.metric] === 'average'
    ? {
        fact: `${condition.metric}Sum`,
        operator: 'greaterThanInclusive',
        value: { fact: 'minTimesDays', params: { metric: condition.metric, min: condition.min } },
      }
    : { fact: condition.metric, operator: 'greaterThanInclusive', value: condition.min };
}

/** An assess function backed by json-rules-engine; call it for one customer at a time. */
export function createRulesEngineBaseline(scheme: Scheme): (facts: CustomerFacts) => Promise<BaselineOutcome> {
  const engine = new Engine(tierRulesOf(scheme), { allowUndefinedFacts: false });
  engine.addFact('minTimesDays', async (params, almanac) => {
    const days = await almanac.factValue<number>(`${params.metric as string}Days`);
    return (params.min as number) * days;
  });
  const periodMonths = PERIOD_MONTHS[scheme.assess];

  async function levelAt(byMonth: ReadonlyMap<number, MonthFacts>, month: number): Promise<number> {
    const { events } = await engine.run(metricFactsAt(byMonth, month, periodMonths));
    let level = 0;
    for (const event of events) level = Math.max(level, event.params?.tier as number);
    return level;
  }

  return async (facts) => {
    const months = facts.months;
    const levels: number[] = [];
    if (months.length > 0) {
      const byMonth = new Map(months.map((m) => [m.month, m]));
      const last = months[months.length - 1]!.month;
      for (let A = blockEnd(months[0]!.month, periodMonths); A <= last; A += periodMonths) levels.push(await levelAt(byMonth, A));
    }
    const tiers = replayRetention(scheme, levels);
    const tier = tiers[tiers.length - 1] ?? 0;
    return { levels, tiers, tier, watch: tier > 0 && belowCountOf(levels, tier) >= scheme.watchAfter };
  };
}
