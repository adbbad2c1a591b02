import { formatCivilDay } from '../calendar/civil-date.js';
import { conditionOutput } from '../assessment-output.js';
import { formatYuan } from '../money.js';
import type { Scheme } from '../scheme.schema.js';
import type { CustomerCoverage } from './archive-coverage.js';
import { STATUS_ZH } from './obligations.js';
import type { MomentTask } from './moment-tasks.js';
import { TASK_ZH } from './moment-tasks.js';
import type { PromotionCandidate } from './promotion-candidates.js';
import type { WatchEntry } from './watch-list.js';

/** JSON shapes of the branch lists (`ladder lists`): tier codes, yuan strings, YYYY-MM-DD dates. */

const money = (fen: number | null) => (fen === null ? null : formatYuan(fen));

export function promotionOutput(scheme: Scheme, c: PromotionCandidate, rank: number) {
  return {
    rank,
    customerId: c.customerId,
    branchId: c.branchId,
    managerId: c.managerId,
    tier: scheme.tiers[c.tier]?.code,
    nextTier: scheme.tiers[c.nextTier]?.code,
    shortfallPercent: (c.shortfallBasisPoints / 100).toFixed(2),
    gap: c.primaryPath.map(conditionOutput),
    topUpPath: c.topUpPath,
    balanceNeeded: money(c.balanceNeeded),
    topUpToday: money(c.topUpToday),
    topUpForNextPeriod: money(c.topUpForNextPeriod),
    score: c.score,
    points: c.points,
    reasons: c.reasons,
  };
}

export function watchOutput(scheme: Scheme, w: WatchEntry, rank: number) {
  return {
    rank,
    customerId: w.customerId,
    branchId: w.branchId,
    managerId: w.managerId,
    tier: scheme.tiers[w.tier]?.code,
    belowCount: w.belowCount,
    remaining: w.remaining,
    keepPath: w.keepPath,
    balanceNeeded: money(w.balanceNeeded),
    topUpToday: money(w.topUpToday),
  };
}

export function taskOutput(t: MomentTask) {
  return { ...t, kindZh: TASK_ZH[t.kind], due: formatCivilDay(t.due), statusZh: STATUS_ZH[t.status] };
}

export function coverageOutput(c: CustomerCoverage) {
  return { ...c, assets: formatYuan(c.assets) };
}
