/**
 * The service half of the demo report, from what `ladder contacts` and `ladder lists`
 * wrote: how much of the contact work due so far was done, what is due this week, the
 * best promotion prospects, owner mismatches and coverage against the D3 targets.
 * Pure: it reads parsed lines and counts.
 */

export interface ContactsLine {
  customerId: string;
  band: string | null;
  open: { status: string; kind: string }[];
  done: { status: string; kind: string }[];
}

export interface TaskLine {
  kind: string;
  kindZh: string;
  status: string;
}

export interface PromotionLine {
  rank: number;
  customerId: string;
  branchId: string | null;
  nextTier: string;
  score: number;
  reasons: string[];
  topUpToday: string | null;
  topUpForNextPeriod: string | null;
}

export interface CoverageFigureLine {
  rule: string;
  customers: number;
  meeting: number;
  percent: number | null;
  target: number;
  met: boolean;
}

export interface ServiceSummary {
  /** customers with a service band (obligations apply) */
  served: number;
  /** obligations due up to today: done on time, done late, still open (overdue) */
  dueSoFar: { onTime: number; late: number; overdue: number };
  /** open obligations due today and in the rest of this week */
  dueToday: number;
  dueThisWeek: number;
  tasks: { total: number; overdue: number; byKind: { kindZh: string; count: number }[] };
  topPromotions: PromotionLine[];
  ownerMismatches: number;
  coverage: { branchId: string; figures: CoverageFigureLine[] }[];
}

export function summarizeService(
  contacts: readonly ContactsLine[],
  tasks: readonly TaskLine[],
  promotions: readonly PromotionLine[],
  ownerMismatches: number,
  coverage: readonly { branchId: string; figures: CoverageFigureLine[] }[],
  topN = 5,
): ServiceSummary {
  const dueSoFar = { onTime: 0, late: 0, overdue: 0 };
  let dueToday = 0;
  let dueThisWeek = 0;
  let served = 0;
  for (const c of contacts) {
    if (c.band === null) continue;
    served++;
    for (const o of c.done) {
      if (o.status === 'done') dueSoFar.onTime++;
      else if (o.status === 'done-late') dueSoFar.late++;
    }
    for (const o of c.open) {
      if (o.status === 'overdue') dueSoFar.overdue++;
      else if (o.status === 'today') dueToday++;
      else if (o.status === 'this-week') dueThisWeek++;
    }
  }
  const byKind = new Map<string, number>();
  for (const t of tasks) byKind.set(t.kindZh, (byKind.get(t.kindZh) ?? 0) + 1);
  return {
    served,
    dueSoFar,
    dueToday,
    dueThisWeek,
    tasks: {
      total: tasks.length,
      overdue: tasks.filter((t) => t.status === 'overdue').length,
      byKind: [...byKind.entries()].map(([kindZh, count]) => ({ kindZh, count })).sort((a, b) => b.count - a.count || (a.kindZh < b.kindZh ? -1 : 1)),
    },
    topPromotions: [...promotions].sort((a, b) => a.rank - b.rank).slice(0, topN),
    ownerMismatches,
    coverage: [...coverage],
  };
}

/** Done on time as a whole percent of what fell due so far (done on time + late + overdue); null when nothing fell due. */
export function compliancePercent(s: ServiceSummary): number | null {
  const due = s.dueSoFar.onTime + s.dueSoFar.late + s.dueSoFar.overdue;
  return due === 0 ? null : Math.floor((s.dueSoFar.onTime * 100) / due);
}
