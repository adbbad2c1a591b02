import { formatCivilDay } from '../calendar/civil-date.js';
import type { DailyView } from '../daily-view.js';
import { METRIC_KIND } from '../metric.js';
import { formatYuan } from '../money.js';
import type { Scheme } from '../scheme.schema.js';
import type { CustomerCoverage } from '../service/archive-coverage.js';
import type { ContactDue } from '../service/contact-due.js';
import { STATUS_ZH } from '../service/obligations.js';
import type { ComputedHeader } from './branch-layout.js';

/** The text of every computed cell of one customer's row; '' is an empty cell. */
export type ComputedCells = Readonly<Record<ComputedHeader, string>>;

/** What the row of one customer is computed from: today's daily view, contacts due and coverage. */
export interface CustomerRowSource {
  scheme: Scheme;
  /** the daily view for today: its assessment is the tier effective this month */
  view: DailyView;
  /** null when the customer falls in no service band (nothing is owed) */
  due: ContactDue | null;
  /** archive and product coverage; its `assets` is the last complete month's daily average */
  coverage: CustomerCoverage;
  /** when the figures were computed, already formatted by the caller (the core reads no clock) */
  updatedAt: string;
}

/**
 * The computed cells of a customer: tier names in Chinese, money as yuan with two decimals,
 * dates as YYYY-MM-DD. Every value is text so that "changed" is a plain string comparison.
 */
export function computeCustomerCells(source: CustomerRowSource): ComputedCells {
  const { scheme, view, due, coverage } = source;
  const a = view.assessment;
  const tierName = (tier: number | null) => (tier === null ? '' : (scheme.tiers[tier]?.name.zh ?? ''));
  return {
    当前等级: tierName(a.tier),
    月日均资产: formatYuan(coverage.assets),
    下一等级: tierName(a.nextTier),
    距下一等级差额: gapText(view),
    本月需补足: topUpText(view),
    降级预警: a.watch && a.remaining !== null ? `关注：再${a.remaining}期降级` : '',
    下次联系截止: due?.next ? formatCivilDay(due.next.due) : '',
    联系状态: due === null ? '' : STATUS_ZH[due.next?.status ?? 'normal'],
    建档完整度: `${coverage.completeness}%`,
    产品数: String(coverage.productKinds),
    更新时间: source.updatedAt,
  };
}

/**
 * The gap to the next tier at the last assessment, on its primary path: the largest money
 * shortfall of that path. The path's money conditions are alternative measures of one
 * customer's wealth (mda, qda, month-end), so adding them would count the same yuan twice.
 * Empty at the top tier or when the primary path has no money condition.
 */
function gapText(view: DailyView): string {
  const gap = view.assessment.gap;
  const path = gap?.paths[gap.primary];
  if (!path) return '';
  let largest: number | null = null;
  for (const c of path.conditions) {
    if (METRIC_KIND[c.metric] === 'count') continue;
    if (largest === null || c.shortfall > largest) largest = c.shortfall;
  }
  return largest === null ? '' : formatYuan(largest);
}

/** Today's top-up toward the next tier on the daily view's primary path; empty when none is attainable this period. */
function topUpText(view: DailyView): string {
  const next = view.next;
  if (next === null || next.primary === null) return '';
  const topUp = next.paths[next.primary]?.topUpToday ?? null;
  return topUp === null ? '' : formatYuan(topUp);
}
