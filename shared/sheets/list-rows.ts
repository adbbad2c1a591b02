import { formatCivilDay } from '../calendar/civil-date.js';
import { formatYuan } from '../money.js';
import type { Scheme } from '../scheme.schema.js';
import type { CoverageFigure } from '../service/archive-coverage.js';
import { TASK_ZH, type MomentTask } from '../service/moment-tasks.js';
import { STATUS_ZH } from '../service/obligations.js';
import type { PromotionCandidate } from '../service/promotion-candidates.js';
import type { WatchEntry } from '../service/watch-list.js';
import { KPI_HEADERS, PROMOTION_HEADERS, TASKS_HEADERS, WATCH_HEADERS } from './branch-layout.js';

/**
 * Rows of the list tabs (升级名单, 降级预警, 待办, 考核), in their header order. These tabs
 * are owned by the system and rewritten whole each run, so rows are plain text arrays.
 */

const money = (fen: number | null) => (fen === null ? '' : formatYuan(fen));
const tierName = (scheme: Scheme, tier: number) => scheme.tiers[tier]?.name.zh ?? '';

function inOrder<H extends string>(headers: readonly H[], values: Record<H, string>): string[] {
  return headers.map((h) => values[h]);
}

/** Candidates already ranked (rankCandidates); rank is their position from 1. */
export function promotionRows(scheme: Scheme, ranked: readonly PromotionCandidate[]): string[][] {
  return ranked.map((c, i) =>
    inOrder(PROMOTION_HEADERS, {
      排名: String(i + 1),
      客户号: c.customerId,
      客户经理: c.managerId ?? '',
      当前等级: tierName(scheme, c.tier),
      目标等级: tierName(scheme, c.nextTier),
      差距比例: `${(c.shortfallBasisPoints / 100).toFixed(2)}%`,
      本月需补足: money(c.topUpToday),
      下期起需补足: money(c.topUpForNextPeriod),
      评分: String(c.score),
      理由: c.reasons.join('；'),
    }),
  );
}

/** Watch entries already ranked (rankWatch). */
export function watchRows(scheme: Scheme, ranked: readonly WatchEntry[]): string[][] {
  return ranked.map((w, i) =>
    inOrder(WATCH_HEADERS, {
      排名: String(i + 1),
      客户号: w.customerId,
      客户经理: w.managerId ?? '',
      当前等级: tierName(scheme, w.tier),
      连续未达标期数: String(w.belowCount),
      剩余期数: String(w.remaining),
      保级需日均余额: money(w.balanceNeeded),
      今日需补足: money(w.topUpToday),
    }),
  );
}

/** Tasks, earliest due first (then by id, so the order is stable between runs). */
export function taskRows(tasks: readonly MomentTask[]): string[][] {
  return [...tasks]
    .sort((a, b) => a.due - b.due || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((t) =>
      inOrder(TASKS_HEADERS, {
        任务号: t.id,
        客户号: t.customerId,
        负责人: t.owner ?? '（未指定）',
        类别: TASK_ZH[t.kind],
        事项: t.title,
        截止日期: formatCivilDay(t.due),
        状态: STATUS_ZH[t.status],
      }),
    );
}

/** The branch's coverage figures against the standard's targets (BranchCoverageTally). */
export function kpiRows(figures: readonly CoverageFigure[]): string[][] {
  return figures.map((f) =>
    inOrder(KPI_HEADERS, {
      指标: f.rule,
      客户数: String(f.customers),
      达标数: String(f.meeting),
      达标率: f.percent === null ? '' : `${f.percent}%`,
      目标: `${f.target}%`,
      是否达标: f.met ? '是' : '否',
    }),
  );
}
