import { join } from 'node:path';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import type { CustomerServiceView } from '../../shared/service/customer-service-view.js';
import type { ServiceStandards } from '../../shared/service/standards.schema.js';
import { BranchSheetCollector } from '../../shared/sheets/branch-sheet-content.js';
import { writeBranchWorkbook, type BranchWorkbookReport } from './xlsx-branch-workbook.js';
import { WorkbookIdentityError } from './xlsx-workbook-identity.js';

/**
 * `ladder lists --workbooks DIR`: one .xlsx per branch (the local stand-in for the branch's
 * Google Sheet), gathered customer by customer from a facts file and written at the end through
 * the local workbook gateway and the shared plan, as the nightly run writes it
 * (writeBranchWorkbook). Held per branch in memory: one row of short texts per customer.
 */
export class BranchWorkbooks {
  private readonly branches = new Map<string, BranchSheetCollector>();

  constructor(
    private readonly scheme: Scheme,
    private readonly standards: ServiceStandards,
    private readonly updatedAt: string,
  ) {}

  add(facts: CustomerFacts, service: CustomerServiceView): void {
    const branchId = facts.branchId ?? '(none)';
    let branch = this.branches.get(branchId);
    if (!branch) {
      branch = new BranchSheetCollector(this.scheme, this.standards, this.updatedAt);
      this.branches.set(branchId, branch);
    }
    branch.add(facts, service);
  }

  async write(dir: string): Promise<Map<string, BranchWorkbookReport>> {
    const reports = new Map<string, BranchWorkbookReport>();
    for (const [branchId, collector] of [...this.branches].sort(([x], [y]) => (x < y ? -1 : 1))) {
      const content = collector.content();
      const path = join(dir, `${branchId}.xlsx`);
      try {
        reports.set(branchId, await writeBranchWorkbook(path, { branchId, customers: { computed: content.computed, initial: content.initial }, lists: content.lists }));
      } catch (error) {
        if (error instanceof WorkbookIdentityError) throw new WorkbookIdentityError(`${path}: ${error.message}`);
        throw error;
      }
    }
    return reports;
  }
}
