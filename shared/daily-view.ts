import type { BusinessDate } from './business-date.js';
import type { CompiledScheme } from './compile-scheme.js';
import type { CustomerFacts, MonthFacts } from './customer-facts.js';
import { checkCondition, type ConditionCheck, type MetricSnapshot } from './metric-snapshot.js';
import { METRIC_ID, METRIC_NAMES, type MetricName } from './metric.js';
import { ceilDiv, type Fen } from './money.js';
import { blockEnd, blockStart, daysBetween, QUARTER_MONTHS, type MonthIndex } from './month.js';
import type { TierAssessment, TierEngine } from './tier-engine.js';
import { METRIC_COUNT } from './compile-scheme.js';

/**
 * The daily view of tier-rules.md ("In the middle of a month"): on day d, what balance a
 * customer must hold on each remaining day of the period to reach a daily-average target,
 * and how much to add today.
 */
export interface DailyTarget {
  metric: MetricName;
  /** T, the daily average the condition asks for (fen) */
  target: Fen;
  windowStart: MonthIndex;
  windowEnd: MonthIndex;
  /** D: calendar days of the window */
  windowDays: number;
  /** days of the window up to and including today */
  daysElapsed: number;
  /** r = D − elapsed */
  daysLeft: number;
  /** S: Σ end-of-day balances over the window so far (fen·days) */
  sumSoFar: number;
  reached: boolean;
  reachable: boolean;
  /** ceil((T×D − S) / r): the balance to hold on every remaining day; null when reached or unreachable */
  balanceNeeded: Fen | null;
  /** max(0, balanceNeeded − today's balance); null when reached or unreachable */
  topUpToday: Fen | null;
}

export interface DailyPathView {
  /** index of the path within the tier */
  path: number;
  daily: DailyTarget[];
  /** the path's other conditions, against today's figures */
  others: ConditionCheck[];
  /** the largest balance any of the daily targets needs (null when none is needed or one is unreachable) */
  balanceNeeded: Fen | null;
  topUpToday: Fen | null;
  /** every daily target reached or reachable, and every other condition already met */
  attainable: boolean;
}

export interface DailyTierView {
  tier: number;
  paths: DailyPathView[];
  /** the attainable path needing the smallest top-up today, or null when none is attainable */
  primary: number | null;
}

export interface DailyView {
  assessment: TierAssessment;
  /** toward the tier above the current one (null at the top) */
  next: DailyTierView | null;
  /** toward keeping the current tier, shown when the last assessment already failed it */
  keep: DailyTierView | null;
}

export function dailyView(engine: TierEngine, facts: CustomerFacts, date: BusinessDate, balanceToday: Fen): DailyView {
  const compiled = engine.compiled;
  const assessment = engine.assess(facts, date.month - 1);
  const monthsSoFar = facts.months.filter((m) => m.month <= date.month);
  const today = snapshotToday(monthsSoFar, date.month, balanceToday);
  const view = (tier: number) => tierView(compiled, tier, monthsSoFar, date, balanceToday, today);
  const tier = assessment.tier;
  return {
    assessment,
    next: tier + 1 < compiled.tierCount ? view(tier + 1) : null,
    keep: tier > 0 && assessment.belowCount > 0 ? view(tier) : null,
  };
}

function tierView(
  compiled: CompiledScheme,
  tier: number,
  months: readonly MonthFacts[],
  date: BusinessDate,
  balanceToday: Fen,
  today: MetricSnapshot,
): DailyTierView {
  const paths: DailyPathView[] = [];
  let primary: number | null = null;
  const first = compiled.pathStart[tier] as number;
  for (let p = first; p < (compiled.pathStart[tier + 1] as number); p++) {
    const daily: DailyTarget[] = [];
    const others: ConditionCheck[] = [];
    for (let c = compiled.condStart[p] as number; c < (compiled.condStart[p + 1] as number); c++) {
      if (compiled.condIsAverage[c]) daily.push(dailyTarget(compiled, c, months, date, balanceToday));
      else others.push(checkCondition(compiled, c, today));
    }
    const open = daily.filter((d) => !d.reached);
    const attainable = open.every((d) => d.reachable) && others.every((o) => o.shortfall === 0);
    const balanceNeeded = open.length > 0 && open.every((d) => d.reachable) ? Math.max(...open.map((d) => d.balanceNeeded as number)) : null;
    const topUpToday = balanceNeeded === null ? null : Math.max(0, balanceNeeded - balanceToday);
    const view: DailyPathView = { path: p - first, daily, others, balanceNeeded, topUpToday, attainable };
    paths.push(view);
    if (attainable) {
      const best = primary === null ? null : (paths[primary] as DailyPathView);
      if (best === null || (view.topUpToday ?? 0) < (best.topUpToday ?? 0)) primary = view.path;
    }
  }
  return { tier, paths, primary };
}

function dailyTarget(compiled: CompiledScheme, cond: number, months: readonly MonthFacts[], date: BusinessDate, balanceToday: Fen): DailyTarget {
  const metric = METRIC_NAMES[compiled.condMetric[cond] as number] as MetricName;
  const target = compiled.condMin[cond] as number;
  const windowEnd = blockEnd(date.month, compiled.periodMonths);
  const windowStart = metric === 'mda' ? windowEnd : metric === 'qda' ? blockStart(windowEnd, QUARTER_MONTHS) : blockStart(windowEnd, compiled.periodMonths);
  const windowDays = daysBetween(windowStart, windowEnd);
  const daysElapsed = date.month < windowStart ? 0 : daysBetween(windowStart, date.month - 1) + date.day;
  const daysLeft = windowDays - daysElapsed;
  let sumSoFar = 0;
  for (const m of months) if (m.month >= windowStart && m.month <= date.month) sumSoFar += m.assetDaySum;
  const required = target * windowDays;
  const reached = sumSoFar >= required;
  const reachable = reached || daysLeft > 0;
  const balanceNeeded = reached || !reachable ? null : ceilDiv(required - sumSoFar, daysLeft);
  return {
    metric,
    target,
    windowStart,
    windowEnd,
    windowDays,
    daysElapsed,
    daysLeft,
    sumSoFar,
    reached,
    reachable,
    balanceNeeded,
    topUpToday: balanceNeeded === null ? null : Math.max(0, balanceNeeded - balanceToday),
  };
}

/** Point-in-time figures as of today for the non-average conditions (month-end assets = today's balance). */
function snapshotToday(months: readonly MonthFacts[], month: MonthIndex, balanceToday: Fen): MetricSnapshot {
  const sums = new Float64Array(METRIC_COUNT);
  const days = new Float64Array(METRIC_COUNT).fill(1);
  const current = months.find((m) => m.month === month);
  sums[METRIC_ID.monthEndAssets] = balanceToday;
  sums[METRIC_ID.loanBalance] = current?.loanBalance ?? 0;
  sums[METRIC_ID.productCount] = current?.products.length ?? 0;
  for (const m of months) {
    if (m.month > month - 12) {
      sums[METRIC_ID.cardSpend12] = (sums[METRIC_ID.cardSpend12] as number) + m.cardSpend;
      sums[METRIC_ID.txnCount12] = (sums[METRIC_ID.txnCount12] as number) + m.txnCount;
    }
  }
  return { month, sums, days };
}
