import { floorDiv } from './money.js';
import { METRIC_NAMES, type MetricName } from './metric.js';
import type { CompiledScheme } from './compile-scheme.js';

/**
 * The metrics of one customer at one month, exact: `sums[m] / days[m]` is metric m.
 * For daily averages `sums` holds fen·days and `days` the calendar days of the window;
 * for every other metric `days` is 1.
 */
export interface MetricSnapshot {
  readonly month: number;
  readonly sums: Float64Array;
  readonly days: Float64Array;
}

/** One condition seen against a customer's figures. value is rounded down, shortfall up (to the fen). */
export interface ConditionCheck {
  metric: MetricName;
  value: number;
  min: number;
  shortfall: number;
}

export function conditionHolds(compiled: CompiledScheme, cond: number, snapshot: MetricSnapshot): boolean {
  const metric = compiled.condMetric[cond] as number;
  return (snapshot.sums[metric] as number) >= (compiled.condMin[cond] as number) * (snapshot.days[metric] as number);
}

export function checkCondition(compiled: CompiledScheme, cond: number, snapshot: MetricSnapshot): ConditionCheck {
  const metric = compiled.condMetric[cond] as number;
  const min = compiled.condMin[cond] as number;
  const value = floorDiv(snapshot.sums[metric] as number, snapshot.days[metric] as number);
  // For an integer min, ceil(min − sum/days) = min − floor(sum/days): value + shortfall = min exactly.
  return { metric: METRIC_NAMES[metric] as MetricName, value, min, shortfall: Math.max(0, min - value) };
}

/** Every condition of one path of a tier, checked. */
export function checkPath(compiled: CompiledScheme, path: number, snapshot: MetricSnapshot): ConditionCheck[] {
  const checks: ConditionCheck[] = [];
  for (let c = compiled.condStart[path] as number; c < (compiled.condStart[path + 1] as number); c++) {
    checks.push(checkCondition(compiled, c, snapshot));
  }
  return checks;
}
