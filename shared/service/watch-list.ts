import type { CustomerFacts } from '../customer-facts.js';
import type { DailyView } from '../daily-view.js';
import type { Fen } from '../money.js';

/**
 * 降级预警: customers on watch, how many failed assessments they have left, and what would
 * keep their tier this period (from the daily view's `keep`).
 */
export interface WatchEntry {
  customerId: string;
  branchId: string | null;
  managerId: string | null;
  tier: number;
  belowCount: number;
  remaining: number;
  /** the path to keep the tier with the smallest top-up today, when one is attainable */
  keepPath: number | null;
  balanceNeeded: Fen | null;
  topUpToday: Fen | null;
}

export function watchEntry(facts: CustomerFacts, view: DailyView): WatchEntry | null {
  const a = view.assessment;
  if (!a.watch) return null;
  const keep = view.keep;
  const path = keep && keep.primary !== null ? keep.paths[keep.primary] : undefined;
  return {
    customerId: facts.customerId,
    branchId: facts.branchId ?? null,
    managerId: facts.profile?.managerId ?? null,
    tier: a.tier,
    belowCount: a.belowCount,
    remaining: a.remaining ?? 0,
    keepPath: path?.path ?? null,
    balanceNeeded: path?.balanceNeeded ?? null,
    topUpToday: path?.topUpToday ?? null,
  };
}

/** Fewest assessments left first; among equals the higher tier (the bigger loss) first; then customer number. */
export function rankWatch(entries: readonly WatchEntry[]): WatchEntry[] {
  return [...entries].sort((a, b) => a.remaining - b.remaining || b.tier - a.tier || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}
