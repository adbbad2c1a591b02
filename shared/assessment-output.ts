import type { CompiledScheme } from './compile-scheme.js';
import type { DailyPathView, DailyTarget, DailyTierView, DailyView } from './daily-view.js';
import type { ConditionCheck } from './metric-snapshot.js';
import { METRIC_KIND } from './metric.js';
import { formatYuan } from './money.js';
import { formatMonth } from './month.js';
import type { TierAssessment } from './tier-engine.js';

/**
 * The CLI's output lines (README, "CLI"): tier codes instead of indices, money as yuan
 * strings with two decimals, counts as plain numbers.
 */

type Amount = string | number;

export interface ConditionOutput {
  metric: string;
  value: Amount;
  min: Amount;
  shortfall: Amount;
}

export interface AssessLine {
  customerId: string;
  branchId?: string;
  scheme: string;
  schemeVersion: string;
  tier: string;
  history: { month: string; tier: string; met: string; decision: string }[];
  belowCount: number;
  watch: boolean;
  remaining: number | null;
  nextTier: string | null;
  gap: { paths: { conditions: ConditionOutput[] }[]; primary: number } | null;
  qualifiedBy: { tier: string; path: number; conditions: ConditionOutput[] } | null;
  assessedAt: string | null;
}

export function toAssessLine(compiled: CompiledScheme, a: TierAssessment, branchId?: string): AssessLine {
  const code = (tier: number) => compiled.scheme.tiers[tier]?.code as string;
  const history: AssessLine['history'] = [];
  for (let k = 0; k < a.tiers.length; k++) {
    history.push({
      month: formatMonth((a.firstAssessment as number) + k * a.periodMonths),
      tier: code(a.tiers[k] as number),
      met: code(a.levels[k] as number),
      decision: a.decisions[k] as string,
    });
  }
  return {
    customerId: a.customerId,
    ...(branchId === undefined ? {} : { branchId }),
    scheme: compiled.scheme.id,
    schemeVersion: compiled.scheme.version,
    tier: code(a.tier),
    history,
    belowCount: a.belowCount,
    watch: a.watch,
    remaining: a.remaining,
    nextTier: a.nextTier === null ? null : code(a.nextTier),
    gap: a.gap === null ? null : { paths: a.gap.paths.map((p) => ({ conditions: p.conditions.map(conditionOutput) })), primary: a.gap.primary },
    qualifiedBy: a.qualifiedBy === null ? null : { tier: code(a.qualifiedBy.tier), path: a.qualifiedBy.path, conditions: a.qualifiedBy.conditions.map(conditionOutput) },
    assessedAt: a.snapshot === null ? null : formatMonth(a.snapshot.month),
  };
}

export function conditionOutput(c: ConditionCheck): ConditionOutput {
  const money = METRIC_KIND[c.metric] !== 'count';
  const show = (n: number): Amount => (money ? formatYuan(n) : n);
  return { metric: c.metric, value: show(c.value), min: show(c.min), shortfall: show(c.shortfall) };
}

export function toStatusLine(compiled: CompiledScheme, view: DailyView, date: string, branchId?: string) {
  const a = view.assessment;
  const code = (tier: number) => compiled.scheme.tiers[tier]?.code as string;
  return {
    customerId: a.customerId,
    ...(branchId === undefined ? {} : { branchId }),
    scheme: compiled.scheme.id,
    date,
    tier: code(a.tier),
    belowCount: a.belowCount,
    watch: a.watch,
    remaining: a.remaining,
    nextTier: a.nextTier === null ? null : code(a.nextTier),
    next: view.next === null ? null : tierViewOutput(view.next, code),
    keep: view.keep === null ? null : tierViewOutput(view.keep, code),
  };
}

function tierViewOutput(view: DailyTierView, code: (tier: number) => string) {
  return { tier: code(view.tier), primary: view.primary, paths: view.paths.map(pathViewOutput) };
}

function pathViewOutput(p: DailyPathView) {
  return {
    path: p.path,
    attainable: p.attainable,
    balanceNeeded: yuanOrNull(p.balanceNeeded),
    topUpToday: yuanOrNull(p.topUpToday),
    daily: p.daily.map(dailyTargetOutput),
    others: p.others.map(conditionOutput),
  };
}

function dailyTargetOutput(d: DailyTarget) {
  return {
    metric: d.metric,
    target: formatYuan(d.target),
    window: `${formatMonth(d.windowStart)}..${formatMonth(d.windowEnd)}`,
    windowDays: d.windowDays,
    daysElapsed: d.daysElapsed,
    daysLeft: d.daysLeft,
    sumSoFar: formatYuan(d.sumSoFar),
    reached: d.reached,
    reachable: d.reachable,
    balanceNeeded: yuanOrNull(d.balanceNeeded),
    topUpToday: yuanOrNull(d.topUpToday),
  };
}

function yuanOrNull(fen: number | null): string | null {
  return fen === null ? null : formatYuan(fen);
}
