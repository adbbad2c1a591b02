import { METRIC_ID, METRIC_KIND, METRIC_NAMES } from './metric.js';
import { PERIOD_MONTHS, type Scheme } from './scheme.schema.js';

/**
 * A scheme flattened into typed arrays so that evaluating a tier is a few array reads
 * and comparisons, with no objects touched in the engine's inner loop.
 * Conditions of tier t are paths pathStart[t] … pathStart[t+1]−1; conditions of path p
 * are condStart[p] … condStart[p+1]−1.
 */
export interface CompiledScheme {
  readonly scheme: Scheme;
  readonly periodMonths: number;
  readonly tierCount: number;
  readonly retainOf: Int32Array;
  readonly pathStart: Int32Array;
  readonly condStart: Int32Array;
  readonly condMetric: Uint8Array;
  readonly condMin: Float64Array;
  /** true when the condition's metric is a daily average (compared as sum ≥ min × days) */
  readonly condIsAverage: Uint8Array;
  readonly tierIndexByCode: ReadonlyMap<string, number>;
}

export function compileScheme(scheme: Scheme): CompiledScheme {
  const tierCount = scheme.tiers.length;
  const retainOf = new Int32Array(tierCount);
  const pathStart = new Int32Array(tierCount + 1);
  const pathCount = scheme.tiers.reduce((n, t) => n + t.paths.length, 0);
  const condStart = new Int32Array(pathCount + 1);
  const condCount = scheme.tiers.reduce((n, t) => n + t.paths.reduce((m, p) => m + p.length, 0), 0);
  const condMetric = new Uint8Array(condCount);
  const condMin = new Float64Array(condCount);
  const condIsAverage = new Uint8Array(condCount);
  let path = 0;
  let cond = 0;
  scheme.tiers.forEach((tier, t) => {
    retainOf[t] = tier.retain ?? scheme.retain;
    pathStart[t] = path;
    for (const conditions of tier.paths) {
      condStart[path] = cond;
      for (const condition of conditions) {
        condMetric[cond] = METRIC_ID[condition.metric];
        condMin[cond] = condition.min;
        condIsAverage[cond] = METRIC_KIND[condition.metric] === 'average' ? 1 : 0;
        cond++;
      }
      path++;
    }
  });
  pathStart[tierCount] = path;
  condStart[pathCount] = cond;
  return {
    scheme,
    periodMonths: PERIOD_MONTHS[scheme.assess],
    tierCount,
    retainOf,
    pathStart,
    condStart,
    condMetric,
    condMin,
    condIsAverage,
    tierIndexByCode: new Map(scheme.tiers.map((t, i) => [t.code, i])),
  };
}

export const METRIC_COUNT = METRIC_NAMES.length;
