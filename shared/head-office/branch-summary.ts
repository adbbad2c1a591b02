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

/** Customers with no manager on file are counted under this id, so no one is left out. */
export const UNASSIGNED_MANAGER = '(未分配)';

class GroupTally {
  customers = 0;
  readonly byTier: Record<string, number>;
  promotions = 0;
  losses = 0;
  watch = 0;
  aum = 0;
  aumAverage = 0;
  readonly coverage: BranchCoverageTally;
  readonly contacts: ContactCompliance = { banded: 0, compliant: 0, dueSoFar: 0, doneOnTime: 0, doneLate: 0, overdue: 0 };

  constructor(scheme: Scheme, standards: ServiceStandards) {
    this.byTier = Object.fromEntries(scheme.tiers.map((t) => [t.code, 0]));
    this.coverage = new BranchCoverageTally(standards);
  }

  figures(): GroupFigures {
    return {
      customers: this.customers,
      byTier: { ...this.byTier },
      promotions: this.promotions,
      losses: this.losses,
      watch: this.watch,
      aum: this.aum,
      aumAverage: this.aumAverage,
      coverage: this.coverage.result()[0]?.figures ?? [],
      contacts: { ...this.contacts },
    };
  }
}

export class BranchSummaryTally {
  private readonly branch: GroupTally;
  private readonly managers = new Map<string, GroupTally>();

  constructor(
    private readonly scheme: Scheme,
    private readonly standards: ServiceStandards,
    private readonly branchId: string,
    private readonly today: CivilDay,
    private readonly businessDate: string,
  ) {
    this.branch = new GroupTally(scheme, standards);
  }

  add(facts: CustomerFacts, s: CustomerServiceView): void {
    const managerId = facts.profile?.managerId || UNASSIGNED_MANAGER;
    let manager = this.managers.get(managerId);
    if (!manager) {
      manager = new GroupTally(this.scheme, this.standards);
      this.managers.set(managerId, manager);
    }
    const month = monthOfDay(this.today);
    const change = changeThisPeriod(s, month);
    const current = facts.months.find((m) => m.month === month);
    const aum = current?.monthEndAssets ?? 0;
    const aumAverage = monthlyAverage(facts, month - 1);
    // Coverage is tallied by branch inside BranchCoverageTally; the manager's tally sees the
    // same customer under one key so its figures are the manager's own.
    const coverage = { ...s.coverage, branchId: this.branchId };
    for (const group of [this.branch, manager]) {
      group.customers++;
      const code = this.scheme.tiers[s.view.assessment.tier]?.code ?? String(s.view.assessment.tier);
      group.byTier[code] = (group.byTier[code] ?? 0) + 1;
      if (change === 'up') group.promotions++;
      if (change === 'down') group.losses++;
      if (s.watch) group.watch++;
      group.aum += aum;
      group.aumAverage += aumAverage;
      group.coverage.add(coverage);
      tallyContacts(group.contacts, s);
    }
  }

  result(): BranchSummary {
    return {
      branchId: this.branchId,
      businessDate: this.businessDate,
      schemeId: this.scheme.id,
      schemeVersion: this.scheme.version,
      ...this.branch.figures(),
      managers: [...this.managers.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([managerId, tally]) => ({ managerId, ...tally.figures() })),
    };
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

function tallyContacts(c: ContactCompliance, s: CustomerServiceView): void {
  if (!s.due.band) return;
  c.banded++;
  let overdue = 0;
  for (const o of s.due.obligations) {
    // Done obligations count whenever they fall due (done early is done); open ones only once overdue.
    if (o.status === 'done') c.doneOnTime++;
    else if (o.status === 'done-late') c.doneLate++;
    else if (o.status === 'overdue') overdue++;
    else continue;
    c.dueSoFar++;
  }
  c.overdue += overdue;
  if (overdue === 0) c.compliant++;
}
