import type { CustomerFacts } from '../customer-facts.js';
import { ARCHIVE_FIELDS, ARCHIVE_FIELD_ZH } from '../customer-profile.js';
import type { Scheme } from '../scheme.schema.js';
import { BranchCoverageTally, type CustomerCoverage } from '../service/archive-coverage.js';
import type { CustomerServiceView } from '../service/customer-service-view.js';
import type { MomentTask } from '../service/moment-tasks.js';
import { rankCandidates, type PromotionCandidate } from '../service/promotion-candidates.js';
import type { ServiceStandards } from '../service/standards.schema.js';
import { rankWatch, type WatchEntry } from '../service/watch-list.js';
import type { EditableHeader, ListTabName } from './branch-layout.js';
import { computeCustomerCells, type ComputedCells } from './customer-cells.js';
import { kpiRows, promotionRows, taskRows, watchRows } from './list-rows.js';

/**
 * What one branch's sheet shows, gathered customer by customer: 客户名单's computed cells (and
 * the archive to put on a new row), and the rows of the four list tabs. The local workbook
 * and the Google Sheet are written from the same content.
 */
export interface BranchSheetContent {
  computed: Map<string, ComputedCells>;
  initial: Map<string, Partial<Record<EditableHeader, string>>>;
  lists: Record<ListTabName, string[][]>;
}

export class BranchSheetCollector {
  private readonly computed = new Map<string, ComputedCells>();
  private readonly initial = new Map<string, Partial<Record<EditableHeader, string>>>();
  /** by customer, so that adding a customer again (re-evaluated after an edit) replaces what they contributed */
  private readonly contributions = new Map<string, { candidate: PromotionCandidate | null; watch: WatchEntry | null; tasks: readonly MomentTask[]; coverage: CustomerCoverage }>();

  constructor(
    private readonly scheme: Scheme,
    private readonly standards: ServiceStandards,
    /** the 更新时间 text, e.g. the business date (the core reads no clock) */
    private readonly updatedAt: string,
  ) {}

  add(facts: CustomerFacts, s: CustomerServiceView): void {
    this.computed.set(facts.customerId, computeCustomerCells({ scheme: this.scheme, view: s.view, due: s.due.band ? s.due : null, coverage: s.coverage, updatedAt: this.updatedAt }));
    const archive = facts.profile?.archive ?? {};
    this.initial.set(facts.customerId, Object.fromEntries(ARCHIVE_FIELDS.filter((f) => archive[f]).map((f) => [ARCHIVE_FIELD_ZH[f], archive[f] as string])));
    this.contributions.set(facts.customerId, { candidate: s.candidate, watch: s.watch, tasks: s.tasks, coverage: s.coverage });
  }

  content(): BranchSheetContent {
    const candidates: PromotionCandidate[] = [];
    const watch: WatchEntry[] = [];
    const tasks: MomentTask[] = [];
    const coverage = new BranchCoverageTally(this.standards);
    for (const c of this.contributions.values()) {
      if (c.candidate) candidates.push(c.candidate);
      if (c.watch) watch.push(c.watch);
      tasks.push(...c.tasks);
      coverage.add(c.coverage);
    }
    return {
      computed: this.computed,
      initial: this.initial,
      lists: {
        升级名单: promotionRows(this.scheme, rankCandidates(candidates)),
        降级预警: watchRows(this.scheme, rankWatch(watch)),
        待办: taskRows(tasks),
        考核: kpiRows(coverage.result()[0]?.figures ?? []),
      },
    };
  }
}
