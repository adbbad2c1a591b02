import { ageOn } from '../calendar/birthday.js';
import { monthOfDay, ymdOf, type CivilDay } from '../calendar/civil-date.js';
import type { CustomerFacts } from '../customer-facts.js';
import type { DailyView } from '../daily-view.js';
import type { ConditionCheck } from '../metric-snapshot.js';
import { formatYuan, type Fen } from '../money.js';
import { formatCivilDay } from '../calendar/civil-date.js';
import type { ServiceStandards } from './standards.schema.js';
import { shortfallRatio } from '../tier-gap.js';

/**
 * 升级名单: customers whose gap to the next tier is small enough to close this period,
 * ranked as docs/domain.md D4 says to approach them: room to add (a small gap), several products
 * held, younger customers, products maturing soon. The score is in whole points and each
 * part is given with its reason, so the ranking explains itself.
 */

export interface PromotionCandidate {
  customerId: string;
  branchId: string | null;
  managerId: string | null;
  tier: number;
  nextTier: number;
  /** Σ shortfall / min over the primary path, in basis points (1/100 of a percent), rounded down */
  shortfallBasisPoints: number;
  primaryPath: ConditionCheck[];
  /** the path of the next tier the top-ups below refer to (index within the tier) */
  topUpPath: number | null;
  /** from the daily view: balance to hold on each remaining day and today's top-up (null when no daily-average path is attainable) */
  balanceNeeded: Fen | null;
  topUpToday: Fen | null;
  /**
   * Late in a period the top-up that still closes it can be huge; what a manager can also
   * offer is the next period: hold the target daily average from its first day, i.e. add
   * max(0, target − today's balance). Null when the primary path has no daily-average condition.
   */
  topUpForNextPeriod: Fen | null;
  score: number;
  points: { room: number; products: number; age: number; maturity: number };
  reasons: string[];
}

const ROOM_POINTS = 40;
const PRODUCT_POINTS_EACH = 4;
const PRODUCT_POINTS_MAX = 20;
const AGE_POINTS = 20;
const YOUNG_AGE = 35;
const OLD_AGE = 65;
const MATURITY_POINTS = 20;

export function promotionCandidate(facts: CustomerFacts, view: DailyView, standards: ServiceStandards, today: CivilDay, balanceToday: Fen): PromotionCandidate | null {
  const a = view.assessment;
  if (a.gap === null || a.nextTier === null) return null;
  const primaryPath = a.gap.paths[a.gap.primary]!.conditions;
  if (!shortfallWithin(primaryPath, standards.promotion.maxShortfallPercent)) return null;
  const basisPoints = shortfallBasisPoints(primaryPath);

  const reasons: string[] = [];
  const room = Math.floor((ROOM_POINTS * (10_000 - basisPoints)) / 10_000);
  reasons.push(`差额为标准的${(basisPoints / 100).toFixed(2)}%`);
  // Products as at the last complete month, as coverage counts them (not the month in progress).
  const month = monthOfDay(today);
  const lastMonth = [...facts.months].reverse().find((m) => m.month < month);
  const kinds = lastMonth?.products.length ?? 0;
  const products = Math.min(PRODUCT_POINTS_MAX, kinds * PRODUCT_POINTS_EACH);
  reasons.push(`持有${kinds}类产品`);
  const birthday = facts.profile?.birthday;
  let age = AGE_POINTS / 2;
  if (birthday) {
    const years = ageOn(ymdOf(today), birthday);
    age = years <= YOUNG_AGE ? AGE_POINTS : years >= OLD_AGE ? 0 : Math.floor((AGE_POINTS * (OLD_AGE - years)) / (OLD_AGE - YOUNG_AGE));
    reasons.push(`${years}岁`);
  } else reasons.push('年龄未知');
  const maturing = (facts.maturities ?? []).filter((m) => m.date >= today && m.date <= today + standards.moments.maturityWithinDays).sort((x, y) => x.date - y.date)[0];
  const maturity = maturing ? MATURITY_POINTS : 0;
  if (maturing) reasons.push(`${maturing.product}于${formatCivilDay(maturing.date)}到期${maturing.amount === null ? '' : `（${formatYuan(maturing.amount)}元）`}`);

  // The top-ups refer to the gap's primary path when it has a daily-average condition, so the
  // explanation and the figure agree; else to the daily view's cheapest attainable path (named in topUpPath).
  const next = view.next;
  const gapPathView = next?.paths[a.gap.primary];
  const pathIndex = gapPathView && gapPathView.daily.length > 0 ? a.gap.primary : (next?.primary ?? null);
  const path = pathIndex === null ? undefined : next?.paths[pathIndex];
  const target = path?.daily.reduce<Fen | null>((max, d) => (max === null || d.target > max ? d.target : max), null) ?? null;
  return {
    customerId: facts.customerId,
    branchId: facts.branchId ?? null,
    managerId: facts.profile?.managerId ?? null,
    tier: a.tier,
    nextTier: a.nextTier,
    shortfallBasisPoints: basisPoints,
    primaryPath,
    topUpPath: path === undefined ? null : path.path,
    balanceNeeded: path?.balanceNeeded ?? null,
    topUpToday: path?.topUpToday ?? null,
    topUpForNextPeriod: target === null ? null : Math.max(0, target - balanceToday),
    score: room + products + age + maturity,
    points: { room, products, age, maturity },
    reasons,
  };
}

/** Highest score first; then the smaller gap; then customer number, so the order is total. */
export function rankCandidates(candidates: readonly PromotionCandidate[]): PromotionCandidate[] {
  return [...candidates].sort((a, b) => b.score - a.score || a.shortfallBasisPoints - b.shortfallBasisPoints || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}

/** Σ shortfall / min ≤ percent / 100, exactly: 100 × Σ shortfall_i × Π_{j≠i} min_j ≤ percent × Π min_j. */
export function shortfallWithin(conditions: readonly ConditionCheck[], percent: number): boolean {
  const { numerator, denominator } = shortfallRatio(conditions);
  return 100n * numerator <= BigInt(percent) * denominator;
}

/** Σ floor(10000 × shortfall / min), exact (BigInt: 10000 × a large min leaves the safe-integer range). */
export function shortfallBasisPoints(conditions: readonly ConditionCheck[]): number {
  let total = 0n;
  for (const c of conditions) total += (10_000n * BigInt(c.shortfall)) / BigInt(c.min);
  return Number(total);
}
