import { join } from 'node:path';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import type { DailyView } from '../../shared/daily-view.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { BranchCoverageTally, type CustomerCoverage } from '../../shared/service/archive-coverage.js';
import type { ContactDue } from '../../shared/service/contact-due.js';
import type { MomentTask } from '../../shared/service/moment-tasks.js';
import { rankCandidates, type PromotionCandidate } from '../../shared/service/promotion-candidates.js';
import type { ServiceStandards } from '../../shared/service/standards.schema.js';
import { rankWatch, type WatchEntry } from '../../shared/service/watch-list.js';
import { ARCHIVE_FIELDS, ARCHIVE_FIELD_ZH } from '../../shared/customer-profile.js';
import { computeCustomerCells, type ComputedCells } from '../../shared/sheets/customer-cells.js';
import type { EditableHeader } from '../../shared/sheets/branch-layout.js';
import { kpiRows, promotionRows, taskRows, watchRows } from '../../shared/sheets/list-rows.js';
import { writeBranchWorkbook, type BranchWorkbookReport } from './xlsx-branch-workbook.js';

/**
 * Gathers, customer by customer, what each branch's workbook shows, and writes one .xlsx per
 * branch (the local stand-in for the branch's Google Sheet): 客户名单 computed cells, the
 * ranked 升级名单 and 降级预警, 待办 and 考核. Held per branch in memory: one row of short
 * texts per customer.
 */
export class BranchWorkbooks {
  private readonly branches = new Map<string, { computed: Map<string, ComputedCells>; initial: Map<string, Partial<Record<EditableHeader, string>>>; candidates: PromotionCandidate[]; watch: WatchEntry[]; tasks: MomentTask[]; coverage: BranchCoverageTally }>();

  constructor(
    private readonly scheme: Scheme,
    private readonly standards: ServiceStandards,
    private readonly updatedAt: string,
  ) {}

  add(facts: CustomerFacts, view: DailyView, due: ContactDue, coverage: CustomerCoverage, candidate: PromotionCandidate | null, watch: WatchEntry | null, tasks: readonly MomentTask[]): void {
    const branchId = facts.branchId ?? '(none)';
    let branch = this.branches.get(branchId);
    if (!branch) {
      branch = { computed: new Map(), initial: new Map(), candidates: [], watch: [], tasks: [], coverage: new BranchCoverageTally(this.standards) };
      this.branches.set(branchId, branch);
    }
    branch.computed.set(facts.customerId, computeCustomerCells({ scheme: this.scheme, view, due: due.band ? due : null, coverage, updatedAt: this.updatedAt }));
    const archive = facts.profile?.archive ?? {};
    const initial: Partial<Record<EditableHeader, string>> = {};
    for (const field of ARCHIVE_FIELDS) if (archive[field]) initial[ARCHIVE_FIELD_ZH[field] as EditableHeader] = archive[field] as string;
    branch.initial.set(facts.customerId, initial);
    if (candidate) branch.candidates.push(candidate);
    if (watch) branch.watch.push(watch);
    branch.tasks.push(...tasks);
    branch.coverage.add(coverage);
  }

  async write(dir: string): Promise<Map<string, BranchWorkbookReport>> {
    const reports = new Map<string, BranchWorkbookReport>();
    for (const [branchId, b] of [...this.branches].sort(([x], [y]) => (x < y ? -1 : 1))) {
      const figures = b.coverage.result()[0]?.figures ?? [];
      reports.set(
        branchId,
        await writeBranchWorkbook(join(dir, `${branchId}.xlsx`), {
          customers: { computed: b.computed, initial: b.initial },
          lists: { 升级名单: promotionRows(this.scheme, rankCandidates(b.candidates)), 降级预警: watchRows(this.scheme, rankWatch(b.watch)), 待办: taskRows(b.tasks), 考核: kpiRows(figures) },
        }),
      );
    }
    return reports;
  }
}
