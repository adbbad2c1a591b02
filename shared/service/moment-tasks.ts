import { firstDayOfMonth, formatCivilDay, monthOfDay, type CivilDay } from '../calendar/civil-date.js';
import type { CustomerFacts } from '../customer-facts.js';
import { formatYuan } from '../money.js';
import { formatMonth } from '../month.js';
import type { Scheme } from '../scheme.schema.js';
import type { ContactDue } from './contact-due.js';
import { statusOf, type ObligationStatus } from './obligations.js';
import type { ServiceStandards } from './standards.schema.js';

/**
 * 待办: tasks from moments of truth in the data (docs/domain.md D5). Each task's id is made from
 * the customer and the event itself (not from the run or today's date), so running again
 * the next day or twice the same day yields the same ids: a sheet or store that keys tasks
 * by id never shows one twice.
 */

export const TASK_KINDS = ['maturity', 'large-outflow', 'tier-change', 'enter-watch', 'birthday', 'birthday-flowers', 'holiday'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TASK_ZH: Readonly<Record<TaskKind, string>> = {
  maturity: '产品到期',
  'large-outflow': '大额资金流出',
  'tier-change': '等级变动',
  'enter-watch': '进入降级预警',
  birthday: '生日祝福',
  'birthday-flowers': '生日鲜花/蛋糕',
  holiday: '节日问候',
};

export interface MomentTask {
  id: string;
  customerId: string;
  branchId: string | null;
  /** the customer's manager, or null when none is on record (the branch must assign one) */
  owner: string | null;
  kind: TaskKind;
  title: string;
  due: CivilDay;
  status: ObligationStatus;
}

/** Days after an event's first day by which the owner should act on it. */
const ACT_WITHIN_DAYS = 6;
/** A maturity is discussed a week before the product matures, while the money can still be kept. */
const MATURITY_LEAD_DAYS = 7;
const GREETING_HORIZON_DAYS = 7;

export function momentTasks(scheme: Scheme, standards: ServiceStandards, facts: CustomerFacts, due: ContactDue, today: CivilDay): MomentTask[] {
  const tasks: MomentTask[] = [];
  const owner = facts.profile?.managerId ?? null;
  const add = (kind: TaskKind, event: string, title: string, dueDay: CivilDay) => {
    const id = `${facts.customerId}:${kind}:${event}`;
    if (tasks.some((t) => t.id === id)) return;
    tasks.push({ id, customerId: facts.customerId, branchId: facts.branchId ?? null, owner, kind, title, due: dueDay, status: statusOf(dueDay, null, today) });
  };
  const tierName = (tier: number) => scheme.tiers[tier]?.name.zh ?? String(tier);

  for (const m of facts.maturities ?? []) {
    if (m.date < today || m.date > today + standards.moments.maturityWithinDays) continue;
    const amount = m.amount === null ? '' : `${formatYuan(m.amount)}元`;
    add('maturity', `${m.product}:${formatCivilDay(m.date)}`, `${m.product}产品${amount}将于${formatCivilDay(m.date)}到期，联系客户续作`, m.date - MATURITY_LEAD_DAYS);
  }

  const month = monthOfDay(today);
  const before = facts.months.find((m) => m.month === month - 2);
  const after = facts.months.find((m) => m.month === month - 1);
  if (before && after) {
    const outflow = before.monthEndAssets - after.monthEndAssets;
    const { atLeast, sharePercent } = standards.moments.largeOutflow;
    if (outflow > 0 && outflow >= atLeast && outflow * 100 >= sharePercent * before.monthEndAssets) {
      add('large-outflow', formatMonth(month - 1), `${formatMonth(month - 1)}月末金融资产减少${formatYuan(outflow)}元（${formatYuan(before.monthEndAssets)} → ${formatYuan(after.monthEndAssets)}），了解资金去向`, firstDayOfMonth(month) + 2);
    }
  }

  const a = due.assessment;
  const last = a.tiers.length - 1;
  if (last >= 0 && a.firstAssessment !== null) {
    const assessedAt = a.firstAssessment + last * a.periodMonths;
    const periodStart = firstDayOfMonth(assessedAt + 1);
    const decision = a.decisions[last];
    const before = last > 0 ? (a.tiers[last - 1] as number) : 0;
    if ((decision === 'upgrade' || decision === 'downgrade') && before !== a.tier) {
      add('tier-change', `${formatMonth(assessedAt + 1)}:${before}>${a.tier}`, `客户等级由${tierName(before)}调整为${tierName(a.tier)}，告知客户${decision === 'upgrade' ? '新权益' : '并了解原因'}`, periodStart + ACT_WITHIN_DAYS);
    }
    if (a.watch && a.belowCount === scheme.watchAfter) {
      add('enter-watch', formatMonth(assessedAt + 1), `${tierName(a.tier)}已连续${a.belowCount}期未达标，再${a.remaining}期将降级`, periodStart + ACT_WITHIN_DAYS);
    }
  }

  for (const o of due.obligations) {
    if (o.doneOn !== null || o.due < today - GREETING_HORIZON_DAYS || o.due > today + GREETING_HORIZON_DAYS) continue;
    const day = formatCivilDay(o.due);
    if (o.kind === 'birthday-greeting') add('birthday', day, `${day}客户生日，电话或短信祝福`, o.due);
    if (o.kind === 'birthday-flowers') add('birthday-flowers', day, `${day}前备好生日鲜花或蛋糕`, o.due);
    if (o.kind === 'holiday-greeting') add('holiday', `${o.occasion}:${day}`, `${o.label}（${day}）`, o.due);
  }
  return tasks.sort((x, y) => x.due - y.due || (x.id < y.id ? -1 : 1));
}
