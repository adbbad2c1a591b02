import type { CustomerFacts } from '../customer-facts.js';
import { ARCHIVE_FIELDS, ARCHIVE_FIELD_ZH } from '../customer-profile.js';
import type { Scheme } from '../scheme.schema.js';
import { BranchCoverageTally } from '../service/archive-coverage.js';
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
  private readonly candidates: PromotionCandidate[] = [];
  private readonly watch: WatchEntry[] = [];
  private readonly tasks: MomentTask[] = [];
  private readonly coverage: BranchCoverageTally;

  constructor(
    private readonly scheme: Scheme,
    standards: ServiceStandards,
    /** the 更新时间 text, e.g. the business date (the core reads no clock) */
    private readonly updatedAt: string,
  ) {
    this.coverage = new BranchCoverageTally(standards);
  }

  add(facts: CustomerFacts, s: CustomerServiceView): void {
    this.computed.set(facts.customerId, computeCustomerCells({ scheme: this.scheme, view: s.view, due: s.due.band ? s.due : null, coverage: s.coverage, updatedAt: this.updatedAt }));
    const archive = facts.profile?.archive ?? {};
    this.initial.set(facts.customerId, Object.fromEntries(ARCHIVE_FIELDS.filter((f) => archive[f]).map((f) => [ARCHIVE_FIELD_ZH[f], archive[f] as string])));
    if (s.candidate) this.candidates.push(s.candidate);
    if (s.watch) this.watch.push(s.watch);
    this.tasks.push(...s.tasks);
    this.coverage.add(s.coverage);
  }

  content(): BranchSheetContent {
    return {
      computed: this.computed,
      initial: this.initial,
      lists: {
        升级名单: promotionRows(this.scheme, rankCandidates(this.candidates)),
        降级预警: watchRows(this.scheme, rankWatch(this.watch)),
        待办: taskRows(this.tasks),
        考核: kpiRows(this.coverage.result()[0]?.figures ?? []),
      },
    };
  }
}
