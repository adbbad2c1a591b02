import type { Fen } from '../../shared/money.js';
import type { MetricName } from '../../shared/metric.js';
import type { Scheme } from '../../shared/scheme.schema.js';

/**
 * The thresholds the demo bank aims its customers at, read from the scheme rather than
 * written here again, so the demo stays right if the bundled scheme's figures change.
 */
export interface DemoThresholds {
  /** mdaByTier[t]: the monthly daily average that alone qualifies for tier t (index 0, base, is 0) */
  mdaByTier: Fen[];
  /** the month-end normal loan balance that alone qualifies for a tier, if the scheme has one */
  loanBalance: Fen | null;
  /** the 12-month card spend that alone qualifies for a tier, if the scheme has one */
  cardSpend12: Fen | null;
}

export function demoThresholdsOf(scheme: Scheme): DemoThresholds {
  const mdaByTier = scheme.tiers.map((tier, index) => {
    if (index === 0) return 0;
    const min = singleConditionMin(tier.paths, 'mda');
    if (min === null) throw new Error(`the demo bank needs every tier above base to have an mda path; ${tier.code} of ${scheme.id} has none`);
    return min;
  });
  const anyTier = (metric: MetricName): Fen | null => {
    for (const tier of scheme.tiers) {
      const min = singleConditionMin(tier.paths, metric);
      if (min !== null) return min;
    }
    return null;
  };
  return { mdaByTier, loanBalance: anyTier('loanBalance'), cardSpend12: anyTier('cardSpend12') };
}

function singleConditionMin(paths: Scheme['tiers'][number]['paths'], metric: MetricName): Fen | null {
  for (const path of paths) {
    const only = path.length === 1 ? path[0] : undefined;
    if (only && only.metric === metric) return only.min;
  }
  return null;
}
