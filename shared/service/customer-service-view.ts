import { monthOfDay, ymdOf, type CivilDay } from '../calendar/civil-date.js';
import type { CustomerFacts } from '../customer-facts.js';
import { dailyView, type DailyView } from '../daily-view.js';
import type { Fen } from '../money.js';
import type { TierEngine } from '../tier-engine.js';
import { customerCoverage, type CustomerCoverage } from './archive-coverage.js';
import { contactDue, type ContactDue } from './contact-due.js';
import type { ContactEntry } from './contact-log.schema.js';
import { momentTasks, type MomentTask } from './moment-tasks.js';
import { promotionCandidate, type PromotionCandidate } from './promotion-candidates.js';
import { monthlyAverage } from './service-band.js';
import type { ServiceStandards } from './standards.schema.js';
import { watchEntry, type WatchEntry } from './watch-list.js';

/**
 * Everything a branch is told about one customer on a date, computed once: the daily view
 * (tier, gap, top-ups), contacts due, archive and product coverage, and the customer's place
 * in the lists (candidate, watch, tasks). `ladder lists`, the branch workbooks and the
 * sheet-edit function all start from this, so they can never disagree.
 */
export interface CustomerServiceView {
  view: DailyView;
  due: ContactDue;
  coverage: CustomerCoverage;
  candidate: PromotionCandidate | null;
  watch: WatchEntry | null;
  tasks: MomentTask[];
}

export function customerServiceView(engine: TierEngine, standards: ServiceStandards, facts: CustomerFacts, log: readonly ContactEntry[], today: CivilDay, balanceToday: Fen | null): CustomerServiceView {
  const month = monthOfDay(today);
  const current = facts.months.find((m) => m.month === month);
  // Today's balance: as given, else the month-to-date record's latest end-of-day figure.
  const balance = balanceToday ?? current?.monthEndAssets ?? 0;
  const view = dailyView(engine, facts, { month, day: ymdOf(today).day }, balance);
  const due = contactDue(engine, standards, facts, log, today);
  // Products as at the last complete month, as for the assets band.
  const latest = [...facts.months].reverse().find((m) => m.month < month);
  const coverage = customerCoverage(standards, facts, monthlyAverage(facts, month - 1), latest?.products ?? []);
  return {
    view,
    due,
    coverage,
    candidate: promotionCandidate(facts, view, standards, today, balance),
    watch: watchEntry(facts, view),
    tasks: momentTasks(engine.compiled.scheme, standards, facts, due, today),
  };
}
