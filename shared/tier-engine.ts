import { compileScheme, METRIC_COUNT, type CompiledScheme } from './compile-scheme.js';
import type { CustomerFacts } from './customer-facts.js';
import { lastAssessmentOf, TAIL_BEFORE_ASSESSMENT, whyNotResumable, type EngineState } from './engine-state.js';
import { checkPath, conditionHolds, type ConditionCheck, type MetricSnapshot } from './metric-snapshot.js';
import { METRIC_ID } from './metric.js';
import { blockEnd, blockStart, daysBetween, daysInMonth, QUARTER_MONTHS, type MonthIndex } from './month.js';
import type { Scheme } from './scheme.schema.js';
import { gapToTier, type TierGap } from './tier-gap.js';

/** Why the tier after an assessment is what it is. */
export const DECISIONS = ['upgrade', 'met', 'retained', 'downgrade', 'override'] as const;
export type Decision = (typeof DECISIONS)[number];
const UPGRADE = 0;
const MET = 1;
const RETAINED = 2;
const DOWNGRADE = 3;
const OVERRIDE = 4;

/**
 * The outcome of replaying one customer's months under a scheme (tier-rules.md,
 * "Assessment"). Tiers are indices into scheme.tiers, 0 = base. Assessment k is made at
 * month firstAssessment + k × periodMonths.
 */
export interface TierAssessment {
  customerId: string;
  /** the tier effective for the period after the last assessment */
  tier: number;
  firstAssessment: MonthIndex | null;
  periodMonths: number;
  /** level(A): the highest tier met at each assessment */
  levels: Uint8Array;
  /** the tier decided at each assessment (effective for the next period) */
  tiers: Uint8Array;
  decisions: Decision[];
  belowCount: number;
  watch: boolean;
  /** failed assessments left before the tier is lost; null for the base tier */
  remaining: number | null;
  /** the path that met the tier at the last assessment; null when it was kept, overridden or base */
  qualifiedBy: { tier: number; path: number; conditions: ConditionCheck[] } | null;
  nextTier: number | null;
  gap: TierGap | null;
  /** the metrics at the last assessment (null when there was none) */
  snapshot: MetricSnapshot | null;
}

export interface TierEngine {
  readonly compiled: CompiledScheme;
  /** null when the customer's facts can be assessed under this scheme, else why not */
  problemWith(facts: CustomerFacts): string | null;
  /** Replays the customer through every assessment that closes at or before throughMonth (default: their last month). */
  assess(facts: CustomerFacts, throughMonth?: MonthIndex): TierAssessment;
}

const MDA = METRIC_ID.mda;
const QDA = METRIC_ID.qda;
const PDA = METRIC_ID.pda;
const MONTH_END = METRIC_ID.monthEndAssets;
const LOAN = METRIC_ID.loanBalance;
const CARD12 = METRIC_ID.cardSpend12;
const TXN12 = METRIC_ID.txnCount12;
const PRODUCTS = METRIC_ID.productCount;

/**
 * Builds the engine for one scheme. The engine is pure (no I/O, no clock) but keeps
 * scratch arrays between calls so that a million customers allocate little; it is
 * synchronous, so a call never sees another's scratch.
 */
export function createTierEngine(scheme: Scheme): TierEngine {
  const compiled = compileScheme(scheme);
  const { periodMonths, tierCount, retainOf, pathStart, condStart, condMetric, condMin } = compiled;
  const watchAfter = scheme.watchAfter;
  const latestDowngrade = scheme.downgradeTo === 'latest';

  let capacity = 0;
  let assetDaySum = new Float64Array(0);
  let cardSpend = new Float64Array(0);
  let txnCount = new Float64Array(0);
  let monthEnd = new Float64Array(0);
  let loan = new Float64Array(0);
  let productCount = new Float64Array(0);
  let levels = new Uint8Array(0);
  let tiers = new Uint8Array(0);
  let decisions = new Uint8Array(0);
  const lastMet = new Float64Array(tierCount);
  const sums = new Float64Array(METRIC_COUNT);
  const days = new Float64Array(METRIC_COUNT);

  function ensureCapacity(months: number): void {
    if (months <= capacity) return;
    capacity = Math.max(months, capacity * 2, 64);
    assetDaySum = new Float64Array(capacity);
    cardSpend = new Float64Array(capacity);
    txnCount = new Float64Array(capacity);
    monthEnd = new Float64Array(capacity);
    loan = new Float64Array(capacity);
    productCount = new Float64Array(capacity);
    levels = new Uint8Array(capacity);
    tiers = new Uint8Array(capacity);
    decisions = new Uint8Array(capacity);
  }

  /** The highest tier met by the figures in sums/days, and the first path of it that holds. */
  let levelPath = -1;
  function levelNow(): number {
    for (let t = tierCount - 1; t > 0; t--) {
      for (let p = pathStart[t] as number; p < (pathStart[t + 1] as number); p++) {
        let holds = true;
        for (let c = condStart[p] as number; c < (condStart[p + 1] as number); c++) {
          const metric = condMetric[c] as number;
          if ((sums[metric] as number) < (condMin[c] as number) * (days[metric] as number)) {
            holds = false;
            break;
          }
        }
        if (holds) {
          levelPath = p;
          return t;
        }
      }
    }
    levelPath = -1;
    return 0;
  }

  function problemWith(facts: CustomerFacts): string | null {
    const override = facts.override;
    if (override && !compiled.tierIndexByCode.has(override.tier)) {
      return `override.tier: "${override.tier}" is not a tier of scheme ${scheme.id} (${scheme.tiers.map((t) => t.code).join(', ')})`;
    }
    return null;
  }

  function assess(facts: CustomerFacts, throughMonth?: MonthIndex): TierAssessment {
    const months = facts.months;
    let count = months.length;
    if (throughMonth !== undefined) while (count > 0 && (months[count - 1]!.month as number) > throughMonth) count--;
    const customerId = facts.customerId;
    const state = facts.resumeFrom ?? null;
    // Resuming, the loop starts eleven months before the state's last assessment (its windows) and assesses only after it.
    const assessedThrough = state === null ? -1 : resumeCheck(state, facts, throughMonth);
    let from = 0;
    if (state !== null) while (from < count && months[from]!.month < assessedThrough - TAIL_BEFORE_ASSESSMENT) from++;
    if (count === from) {
      if (state !== null) throw new Error(`the resumed facts of ${customerId} hold none of the state's months`);
      return baseAssessment(customerId, facts, throughMonth);
    }
    const first = state === null ? months[0]!.month : assessedThrough - TAIL_BEFORE_ASSESSMENT;
    const last = months[count - 1]!.month;
    const firstAssessment = state === null ? blockEnd(first, periodMonths) : state.firstAssessment;
    if (firstAssessment > last) return baseAssessment(customerId, facts, throughMonth);

    const span = last - first + 1;
    const prior = state === null ? 0 : state.levels.length;
    ensureCapacity(span + prior);
    assetDaySum.fill(0, 0, span);
    cardSpend.fill(0, 0, span);
    txnCount.fill(0, 0, span);
    monthEnd.fill(0, 0, span);
    loan.fill(0, 0, span);
    productCount.fill(0, 0, span);
    let previous = first - 1;
    for (let i = from; i < count; i++) {
      const m = months[i]!;
      if (m.month <= previous) throw new Error(`facts of ${customerId} are not sorted by month with one entry per month`);
      previous = m.month;
      const offset = m.month - first;
      assetDaySum[offset] = m.assetDaySum;
      cardSpend[offset] = m.cardSpend;
      txnCount[offset] = m.txnCount;
      monthEnd[offset] = m.monthEndAssets;
      loan[offset] = m.loanBalance;
      productCount[offset] = m.products.length;
    }

    const override = facts.override;
    const overrideTier = override ? (compiled.tierIndexByCode.get(override.tier) ?? -1) : -1;
    if (override && overrideTier < 0) throw new Error(problemWith(facts) ?? 'unknown override tier');
    const overrideFrom = override ? override.from : 0;
    const overrideUntil = override ? override.until : -1;

    // Months before the first facts are zero but still count their days in a quarter or period.
    let quarterSum = 0;
    let quarterDays = daysBetween(blockStart(first, QUARTER_MONTHS), first - 1);
    let periodSum = 0;
    let periodDays = daysBetween(blockStart(first, periodMonths), first - 1);
    let card12 = 0;
    let txn12 = 0;
    days[MONTH_END] = 1;
    days[LOAN] = 1;
    days[CARD12] = 1;
    days[TXN12] = 1;
    days[PRODUCTS] = 1;
    lastMet.fill(-Infinity);

    let current: number;
    let assessments = 0;
    if (state === null) {
      const firstPeriodStart = blockStart(first, periodMonths);
      current = overrideTier >= 0 && firstPeriodStart <= overrideUntil && firstAssessment >= overrideFrom ? overrideTier : 0;
    } else {
      for (let k = 0; k < prior; k++) {
        const level = state.levels[k] as number;
        levels[k] = level;
        tiers[k] = state.tiers[k] as number;
        decisions[k] = state.decisions[k] as number;
        for (let t = 1; t <= level; t++) lastMet[t] = k;
      }
      assessments = prior;
      current = state.tiers[prior - 1] as number;
    }
    let lastLevelPath = -1;

    for (let offset = 0; offset < span; offset++) {
      const month = first + offset;
      const monthDays = daysInMonth(month);
      if (month % QUARTER_MONTHS === 0) {
        quarterSum = 0;
        quarterDays = 0;
      }
      if (month % periodMonths === 0) {
        periodSum = 0;
        periodDays = 0;
      }
      const daySum = assetDaySum[offset] as number;
      quarterSum += daySum;
      quarterDays += monthDays;
      periodSum += daySum;
      periodDays += monthDays;
      card12 += (cardSpend[offset] as number) - (offset >= 12 ? (cardSpend[offset - 12] as number) : 0);
      txn12 += (txnCount[offset] as number) - (offset >= 12 ? (txnCount[offset - 12] as number) : 0);
      if ((month + 1) % periodMonths !== 0) continue;

      sums[MDA] = daySum;
      days[MDA] = monthDays;
      sums[QDA] = quarterSum;
      days[QDA] = quarterDays;
      sums[PDA] = periodSum;
      days[PDA] = periodDays;
      sums[MONTH_END] = monthEnd[offset] as number;
      sums[LOAN] = loan[offset] as number;
      sums[CARD12] = card12;
      sums[TXN12] = txn12;
      sums[PRODUCTS] = productCount[offset] as number;

      if (month <= assessedThrough) {
        // decided before the state was saved; its figures are still the snapshot when nothing closes after it
        if (month === assessedThrough) {
          levelNow();
          lastLevelPath = levelPath;
        }
        continue;
      }
      const k = assessments++;
      const level = levelNow();
      lastLevelPath = levelPath;
      levels[k] = level;
      for (let t = 1; t <= level; t++) lastMet[t] = k;

      let decided: number;
      let decision: number;
      if (overrideTier >= 0 && month + 1 <= overrideUntil && month + periodMonths >= overrideFrom) {
        decided = overrideTier;
        decision = OVERRIDE;
      } else if (level >= current) {
        decided = level;
        decision = level > current ? UPGRADE : MET;
      } else if ((lastMet[current] as number) > k - (retainOf[current] as number)) {
        decided = current;
        decision = RETAINED;
      } else {
        decided = level;
        if (!latestDowngrade) {
          for (let t = current - 1; t > level; t--) {
            if ((lastMet[t] as number) > k - (retainOf[t] as number)) {
              decided = t;
              break;
            }
          }
        }
        decision = DOWNGRADE;
      }
      tiers[k] = decided;
      decisions[k] = decision;
      current = decided;
    }

    const lastIndex = assessments - 1;
    let belowCount = 0;
    for (let k = lastIndex; k >= 0 && (levels[k] as number) < current; k--) belowCount++;
    const snapshot: MetricSnapshot = { month: firstAssessment + lastIndex * periodMonths, sums: sums.slice(), days: days.slice() };
    const metAtLast = current > 0 && levels[lastIndex] === current;
    return {
      customerId,
      tier: current,
      firstAssessment,
      periodMonths,
      levels: levels.slice(0, assessments),
      tiers: tiers.slice(0, assessments),
      decisions: decisionNames(decisions, assessments),
      belowCount,
      watch: current > 0 && belowCount >= watchAfter,
      remaining: current === 0 ? null : Math.max(0, (retainOf[current] as number) - belowCount),
      qualifiedBy: metAtLast ? { tier: current, path: lastLevelPath - (pathStart[current] as number), conditions: checkPath(compiled, lastLevelPath, snapshot) } : null,
      nextTier: current + 1 < tierCount ? current + 1 : null,
      gap: current + 1 < tierCount ? gapToTier(compiled, current + 1, snapshot) : null,
      snapshot,
    };
  }

  /** The month of the state's last assessment, after checking the state fits these facts and this scheme. */
  function resumeCheck(state: EngineState, facts: CustomerFacts, throughMonth: MonthIndex | undefined): MonthIndex {
    const why = whyNotResumable(state, scheme, facts.override);
    if (why !== null) throw new Error(`cannot resume ${facts.customerId}: ${why}`);
    if (state.levels.length === 0) throw new Error(`cannot resume ${facts.customerId}: the state holds no assessment`);
    const lastAssessment = lastAssessmentOf(state, periodMonths);
    if (throughMonth !== undefined && throughMonth < lastAssessment) {
      throw new Error(`cannot assess ${facts.customerId} through ${throughMonth}: the state was saved after the assessment of ${lastAssessment}`);
    }
    return lastAssessment;
  }

  /** No assessment has closed yet: base, or the override when it covers the period running now. */
  function baseAssessment(customerId: string, facts: CustomerFacts, throughMonth: MonthIndex | undefined): TierAssessment {
    const override = facts.override;
    const now = throughMonth ?? facts.months[facts.months.length - 1]?.month;
    const overrideTier = override ? (compiled.tierIndexByCode.get(override.tier) ?? -1) : -1;
    if (override && overrideTier < 0) throw new Error(problemWith(facts) ?? 'unknown override tier');
    const tier =
      override && now !== undefined && blockStart(now, periodMonths) <= override.until && blockEnd(now, periodMonths) >= override.from
        ? overrideTier
        : 0;
    return {
      customerId,
      tier,
      firstAssessment: null,
      periodMonths,
      levels: new Uint8Array(0),
      tiers: new Uint8Array(0),
      decisions: [],
      belowCount: 0,
      watch: false,
      remaining: tier === 0 ? null : retainOf[tier] as number,
      qualifiedBy: null,
      nextTier: tier + 1 < tierCount ? tier + 1 : null,
      gap: null,
      snapshot: null,
    };
  }

  return { compiled, problemWith, assess };
}

/** Decision codes → names; a plain loop, as Array.from with a mapper cost a quarter of assess() in profiles. */
function decisionNames(codes: Uint8Array, count: number): Decision[] {
  const names = new Array<Decision>(count);
  for (let i = 0; i < count; i++) names[i] = DECISIONS[codes[i] as number] as Decision;
  return names;
}

/** True when every condition of the path holds for the snapshot (for callers outside the hot loop). */
export function pathHolds(compiled: CompiledScheme, path: number, snapshot: MetricSnapshot): boolean {
  for (let c = compiled.condStart[path] as number; c < (compiled.condStart[path + 1] as number); c++) {
    if (!conditionHolds(compiled, c, snapshot)) return false;
  }
  return true;
}
