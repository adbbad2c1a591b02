import type { AssessLine } from '../../shared/assessment-output.js';
import { parseYuan, type Fen } from '../../shared/money.js';

/**
 * What a branch manager wants from a run, computed from the assess lines alone (no
 * names, no I/O): how many customers are in each tier, who moved at the latest
 * assessment, who is on watch and who is closest to the next tier.
 */

export type TierCounts = Record<string, number>;

export interface TierMove {
  customerId: string;
  branchId: string;
  from: string;
  to: string;
}

export interface WatchEntry {
  customerId: string;
  branchId: string;
  tier: string;
  belowCount: number;
  remaining: number;
}

export interface GapEntry {
  customerId: string;
  branchId: string;
  tier: string;
  nextTier: string;
  /** the metrics of the primary path still short */
  metrics: string[];
  /** Σ money shortfall of the primary path, fen */
  shortfall: Fen;
}

export interface Ranked<T> {
  count: number;
  top: T[];
}

export interface DemoSummary {
  /** the latest assessment month among the lines; moves are counted at this month only */
  assessedAt: string | null;
  customers: number;
  tierOrder: string[];
  overall: TierCounts;
  byBranch: { branchId: string; counts: TierCounts; total: number }[];
  promotions: Ranked<TierMove>;
  downgrades: Ranked<TierMove>;
  watch: Ranked<WatchEntry>;
  closest: Ranked<GapEntry>;
}

/** Lines without a branch are grouped under this id rather than dropped. */
export const NO_BRANCH = '-';

/**
 * tierOrder: the scheme's tier codes, lowest first. Ties in every list are broken by
 * customer id so that the same run prints the same lists.
 */
export function summarizeAssessments(lines: readonly AssessLine[], tierOrder: readonly string[], topN = 10): DemoSummary {
  const rank = new Map(tierOrder.map((code, index) => [code, index]));
  const rankOf = (code: string, customerId: string): number => {
    const r = rank.get(code);
    if (r === undefined) throw new Error(`customer ${customerId}: tier "${code}" is not one of ${tierOrder.join(', ')}`);
    return r;
  };
  const zeroCounts = (): TierCounts => Object.fromEntries(tierOrder.map((code) => [code, 0]));

  const assessedAt = lines.reduce<string | null>((latest, l) => (l.assessedAt !== null && (latest === null || l.assessedAt > latest) ? l.assessedAt : latest), null);
  const overall = zeroCounts();
  const branches = new Map<string, TierCounts>();
  const promotions: TierMove[] = [];
  const downgrades: TierMove[] = [];
  const watch: WatchEntry[] = [];
  const closest: GapEntry[] = [];

  for (const line of lines) {
    const branchId = line.branchId ?? NO_BRANCH;
    rankOf(line.tier, line.customerId);
    overall[line.tier] = (overall[line.tier] ?? 0) + 1;
    let counts = branches.get(branchId);
    if (!counts) branches.set(branchId, (counts = zeroCounts()));
    counts[line.tier] = (counts[line.tier] ?? 0) + 1;

    const move = latestMove(line, assessedAt, tierOrder[0] ?? line.tier);
    if (move?.decision === 'upgrade') promotions.push({ customerId: line.customerId, branchId, from: move.from, to: line.tier });
    if (move?.decision === 'downgrade') downgrades.push({ customerId: line.customerId, branchId, from: move.from, to: line.tier });
    if (line.watch && line.remaining !== null) {
      watch.push({ customerId: line.customerId, branchId, tier: line.tier, belowCount: line.belowCount, remaining: line.remaining });
    }
    const gap = gapEntry(line, branchId);
    if (gap) closest.push(gap);
  }

  const byId = (a: { customerId: string }, b: { customerId: string }) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0);
  // Highest new tier first: a new private-banking customer matters more than a new 理财 one.
  promotions.sort((a, b) => rankOf(b.to, b.customerId) - rankOf(a.to, a.customerId) || byId(a, b));
  // Highest tier lost first (docs/domain.md D2: the owner answers for losing a ≥ 1m customer).
  downgrades.sort((a, b) => rankOf(b.from, b.customerId) - rankOf(a.from, a.customerId) || byId(a, b));
  // Fewest chances left first, then the higher tier.
  watch.sort((a, b) => a.remaining - b.remaining || rankOf(b.tier, b.customerId) - rankOf(a.tier, a.customerId) || byId(a, b));
  closest.sort((a, b) => a.metrics.length - b.metrics.length || a.shortfall - b.shortfall || byId(a, b));

  const ranked = <T>(all: T[]): Ranked<T> => ({ count: all.length, top: all.slice(0, topN) });
  return {
    assessedAt,
    customers: lines.length,
    tierOrder: [...tierOrder],
    overall,
    byBranch: [...branches.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([branchId, counts]) => ({ branchId, counts, total: Object.values(counts).reduce((n, c) => n + c, 0) })),
    promotions: ranked(promotions),
    downgrades: ranked(downgrades),
    watch: ranked(watch),
    closest: ranked(closest),
  };
}

/** The decision at the bank's latest assessment; a customer whose data stops earlier did not move this month. */
function latestMove(line: AssessLine, assessedAt: string | null, base: string): { decision: string; from: string } | null {
  if (assessedAt === null || line.assessedAt !== assessedAt) return null;
  const last = line.history[line.history.length - 1];
  if (!last) return null;
  const before = line.history[line.history.length - 2];
  return { decision: last.decision, from: before ? before.tier : base };
}

function gapEntry(line: AssessLine, branchId: string): GapEntry | null {
  if (line.gap === null || line.nextTier === null) return null;
  const path = line.gap.paths[line.gap.primary];
  if (!path) return null;
  const short = path.conditions.filter((c) => amountOf(c.shortfall, line.customerId) > 0);
  const shortfall = short.reduce((sum, c) => sum + (typeof c.shortfall === 'string' ? amountOf(c.shortfall, line.customerId) : 0), 0);
  return { customerId: line.customerId, branchId, tier: line.tier, nextTier: line.nextTier, metrics: short.map((c) => c.metric), shortfall };
}

/** Money arrives as yuan strings, counts as numbers; both compare exactly as integers. */
function amountOf(value: string | number, customerId: string): number {
  if (typeof value === 'number') return value;
  const parsed = parseYuan(value);
  if (!parsed.ok) throw new Error(`customer ${customerId}: shortfall "${value}" is not an amount`);
  return parsed.fen;
}
