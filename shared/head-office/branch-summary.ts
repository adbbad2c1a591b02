import { monthOfDay, type CivilDay } from '../calendar/civil-date.js';
import type { CustomerFacts } from '../customer-facts.js';
import type { Fen } from '../money.js';
import type { Scheme } from '../scheme.schema.js';
import { BranchCoverageTally, type CoverageFigure } from '../service/archive-coverage.js';
import type { CustomerServiceView } from '../service/customer-service-view.js';
import { monthlyAverage } from '../service/service-band.js';
import type { ServiceStandards } from '../service/standards.schema.js';

/**
 * What head office is told about one branch on a business date, and about each of its
 * managers: small enough to store one document per branch per night, so consolidation reads
 * 10,000 summaries, never 10 million customers. Built customer by customer in the nightly run
 * from the same per-customer view the branch sheet shows, so the two cannot disagree.
 */

export interface ContactCompliance {
  /** customers with a service band (D2 obligations) */
  banded: number;
  /** banded customers with no obligation overdue today */
  compliant: number;
  /** obligations done (on time or late) or overdue; open ones not yet due are not counted */
  dueSoFar: number;
  doneOnTime: number;
  doneLate: number;
  overdue: number;
}

export interface GroupFigures {
  customers: number;
  /** customers per tier code, every tier of the scheme present (0 when none) */
  byTier: Record<string, number>;
  /** tier rises that took effect this period (decided at the assessment that closed last month) */
  promotions: number;
  /** tier losses that took effect this period */
  losses: number;
  /** customers on the retention watch */
  watch: number;
  /** assets as at the business date (latest end-of-day balance of the month), fen */
  aum: Fen;
  /** the monthly daily average of last month, summed, fen */
  aumAverage: Fen;
  coverage: CoverageFigure[];
  contacts: ContactCompliance;
}

export interface ManagerFigures extends GroupFigures {
  managerId: string;
}

export interface BranchSummary extends GroupFigures {
  branchId: string;
  businessDate: string;
  schemeId: string;
  schemeVersion: string;
  managers: ManagerFigures[];
}

/** Figures of nobody yet: every tier of the scheme at 0. */
export function emptyFigures(scheme: Scheme): GroupFigures {
  return {
    customers: 0,
    byTier: Object.fromEntries(scheme.tiers.map((t) => [t.code, 0])),
    promotions: 0,
    losses: 0,
    watch: 0,
    aum: 0,
    aumAverage: 0,
    coverage: [],
    contacts: { banded: 0, compliant: 0, dueSoFar: 0, doneOnTime: 0, doneLate: 0, overdue: 0 },
  };
}

/** Customers with no manager on file are counted under this id, so no one is left out. */
export const UNASSIGNED_MANAGER = '(未分配)';

/** What one customer adds to the figures: kept by customer so that adding a customer again replaces it. */
interface Contribution {
  managerId: string;
  tierCode: string;
  change: 'up' | 'down' | null;
  watch: boolean;
  aum: Fen;
  aumAverage: Fen;
  coverage: CustomerServiceView['coverage'];
  contacts: ContactCompliance | null;
}

export class BranchSummaryTally {
  private readonly contributions = new Map<string, Contribution>();

  constructor(
    private readonly scheme: Scheme,
    private readonly standards: ServiceStandards,
    private readonly branchId: string,
    private readonly today: CivilDay,
    private readonly businessDate: string,
  ) {}

  /** Adds a customer's view; a customer added again (re-evaluated after an edit) replaces the earlier one. */
  add(facts: CustomerFacts, s: CustomerServiceView): void {
    const month = monthOfDay(this.today);
    const current = facts.months.find((m) => m.month === month);
    const tier = s.view.assessment.tier;
    this.contributions.set(facts.customerId, {
      managerId: facts.profile?.managerId || UNASSIGNED_MANAGER,
      tierCode: this.scheme.tiers[tier]?.code ?? String(tier),
      change: changeThisPeriod(s, month),
      watch: s.watch !== null,
      aum: current?.monthEndAssets ?? 0,
      aumAverage: monthlyAverage(facts, month - 1),
      // Coverage is tallied by branch inside BranchCoverageTally: one key, this branch.
      coverage: { ...s.coverage, branchId: this.branchId },
      contacts: contactsOf(s),
    });
  }

  result(): BranchSummary {
    const branch = this.newGroup();
    const managers = new Map<string, GroupFigures & { tally: BranchCoverageTally }>();
    for (const c of this.contributions.values()) {
      let manager = managers.get(c.managerId);
      if (!manager) {
        manager = this.newGroup();
        managers.set(c.managerId, manager);
      }
      for (const group of [branch, manager]) {
        group.customers++;
        group.byTier[c.tierCode] = (group.byTier[c.tierCode] ?? 0) + 1;
        if (c.change === 'up') group.promotions++;
        if (c.change === 'down') group.losses++;
        if (c.watch) group.watch++;
        group.aum += c.aum;
        group.aumAverage += c.aumAverage;
        group.tally.add(c.coverage);
        if (c.contacts) for (const key of Object.keys(c.contacts) as (keyof ContactCompliance)[]) group.contacts[key] += c.contacts[key];
      }
    }
    const finish = ({ tally, ...figures }: GroupFigures & { tally: BranchCoverageTally }): GroupFigures => ({ ...figures, coverage: tally.result()[0]?.figures ?? [] });
    return {
      branchId: this.branchId,
      businessDate: this.businessDate,
      schemeId: this.scheme.id,
      schemeVersion: this.scheme.version,
      ...finish(branch),
      managers: [...managers.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([managerId, group]) => ({ managerId, ...finish(group) })),
    };
  }

  private newGroup(): GroupFigures & { tally: BranchCoverageTally } {
    return { ...emptyFigures(this.scheme), tally: new BranchCoverageTally(this.standards) };
  }
}

/**
 * A rise or a loss that took effect this period: the tier decided at the assessment that
 * closed just before this month differs from the one before it. A customer's first
 * assessment counts as a rise from the base tier when it lands above it.
 */
function changeThisPeriod(s: CustomerServiceView, month: number): 'up' | 'down' | null {
  const a = s.view.assessment;
  const last = a.tiers.length - 1;
  if (last < 0 || a.firstAssessment === null) return null;
  const closedAt = a.firstAssessment + last * a.periodMonths;
  if (closedAt !== month - 1) return null;
  const before = last > 0 ? (a.tiers[last - 1] as number) : 0;
  const after = a.tiers[last] as number;
  return after > before ? 'up' : after < before ? 'down' : null;
}

/** One customer's D2 obligations as counts; null for a customer with no service band. */
function contactsOf(s: CustomerServiceView): ContactCompliance | null {
  if (!s.due.band) return null;
  const c: ContactCompliance = { banded: 1, compliant: 0, dueSoFar: 0, doneOnTime: 0, doneLate: 0, overdue: 0 };
  for (const o of s.due.obligations) {
    // Done obligations count whenever they fall due (done early is done); open ones only once overdue.
    if (o.status === 'done') c.doneOnTime++;
    else if (o.status === 'done-late') c.doneLate++;
    else if (o.status === 'overdue') c.overdue++;
    else continue;
    c.dueSoFar++;
  }
  if (c.overdue === 0) c.compliant = 1;
  return c;
}
