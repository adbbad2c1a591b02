import { formatCivilDay } from '../../../shared/calendar/civil-date.js';
import { BranchSummaryTally, emptyFigures, type BranchSummary } from '../../../shared/head-office/branch-summary.js';
import { CUSTOMER_TAB } from '../../../shared/sheets/branch-layout.js';
import type { BranchRunner } from '../../../functions/nightly/nightly-branch-function.js';
import type { NightlyBranchReport } from '../../../functions/nightly/run-branch.js';
import type { CellWrite } from '../../../functions/sheets/google-sheets-gateway.js';
import { emptyCounts } from '../../../functions/store/firestore-engine-state.js';
import { COLLECTIONS } from '../../../functions/store/collections.js';
import { CHUNKS } from '../../../functions/store/firestore-sheet-seen.js';
import type { ModelledFirestore } from './modelled-firestore.js';
import { CHANGED_CELLS_PER_CUSTOMER, type NightCosts } from './night-costs.js';

/**
 * A model of runNightlyBranch on an ordinary night (functions/nightly/run-branch.ts), step by
 * step in its order, for a branch whose sheet is set up and whose customers all resume from a
 * saved state, with no manager edit and no tier change: the Firestore work and the engine are
 * charged at their measured costs (night-costs.ts) instead of being run, and the Sheets work
 * goes through the real gateway the deps carry (pacers, quota budget, backoff). What it
 * charges, per branch:
 * - the branch document (a real get on the modelled Firestore) and this year's contacts (a
 *   query: the model's customers have none, so one read);
 * - `readsPerCustomer` documents a customer (2 when resumed: the customer document and the open
 *   month; 25 was the full history's read), streamed at the measured rate; no state written (an
 *   ordinary night saves none);
 * - the engine, at its measured rate;
 * - the edit log three times (before planning, after reconciling, after the write), one read each;
 * - reconciliation: the last-seen record (one getAll of CHUNKS + 1 documents), the edit log since
 *   the last read, and after the write the record of this read (one write);
 * - the Sheets requests: the read, no structure, and the changed cells (CHANGED_CELLS_PER_CUSTOMER
 *   a customer, as a next day's run writes them: by column tag and sheet id).
 * The run record, the summary and the consolidation claim are not here: the real
 * runAndRecordNightlyBranch and branchStep around this model make them.
 */

export interface BranchModel {
  customers: number;
  readsPerCustomer: number;
  /** managers a branch, for the summaries head office lays out (one row each) */
  managers: number;
}

export function modelledBranchRunner(fs: ModelledFirestore, costs: NightCosts, model: BranchModel, onSheetCurrent: (branchId: string, at: number) => void): BranchRunner {
  const writes = changedCells(model.customers);
  return async (deps, branchId, today) => {
    const businessDate = formatCivilDay(today);
    const branch = await deps.db.collection(COLLECTIONS.branches).doc(branchId).get();
    const spreadsheetId = (branch.get('spreadsheetId') as string | undefined) ?? null;
    await fs.charge({ reads: 1, roundTrips: 1 });
    const docs = model.customers * model.readsPerCustomer;
    await fs.charge({ reads: docs, roundTrips: 1, streamedDocs: docs });
    await fs.clock.sleep((model.customers / costs.engineCustomersPerSecond) * 1000);
    await fs.charge({ reads: 1, roundTrips: 1 });

    const engine = { ...emptyCounts(), customerDocs: model.customers, monthDocsAfterState: docs - model.customers, resumed: model.customers, statesSaved: 0 };
    const report: NightlyBranchReport = { branchId, businessDate, customers: model.customers, skipped: [], tierEventsCreated: 0, spreadsheetId, tabsAdded: [], cellsWritten: 0, sheetRequests: 0, structureChanges: 0, reevaluated: [], sheetProblems: [], reconcile: null, summary: summaryOf(deps, branchId, today, businessDate, model), engine };
    if (spreadsheetId === null) return report;
    const sentBefore = deps.sheets.requestsSent?.(spreadsheetId) ?? 0;
    await deps.sheets.read(spreadsheetId);
    await fs.charge({ reads: CHUNKS + 1, roundTrips: 1 });
    await fs.charge({ reads: 1, roundTrips: 1 });
    report.reconcile = { firstNight: false, rowsSent: 0, accepted: 0, refused: [], conflicts: [], alreadySent: 0 };
    await fs.charge({ reads: 1, roundTrips: 1 });
    report.structureChanges = await deps.sheets.updateStructure(spreadsheetId, []);
    report.cellsWritten = await deps.sheets.writeCells(spreadsheetId, writes);
    onSheetCurrent(branchId, fs.clock.now());
    await fs.charge({ writes: 1, roundTrips: 1 });
    await fs.charge({ reads: 1, roundTrips: 1 });
    report.sheetRequests = (deps.sheets.requestsSent?.(spreadsheetId) ?? sentBefore) - sentBefore;
    return report;
  };
}

/**
 * A next day's changed cells of a branch of `customers`: the update time on every row, the
 * month's daily average on every row, the gap to the next tier on the rest — CHANGED_CELLS_PER_CUSTOMER
 * a customer in all — addressed by column tag and sheet id as the run addresses them.
 */
export function changedCells(customers: number): CellWrite[] {
  const tab = CUSTOMER_TAB;
  const rest = Math.round(customers * (CHANGED_CELLS_PER_CUSTOMER - 2));
  const writes: CellWrite[] = [];
  for (let i = 0; i < customers; i++) {
    const row = i + 2;
    writes.push({ tab, row, column: 30, value: '2026-11-10 02:00', sheetId: 0, header: '更新时间' });
    writes.push({ tab, row, column: 20, value: 1_000_000 + i, sheetId: 0, header: '月日均资产' });
    if (i < rest) writes.push({ tab, row, column: 23, value: 50_000 + i, sheetId: 0, header: '距下一等级差额' });
  }
  return writes;
}

/** The branch's summary for head office: the shape of a real one (every tier, `managers` managers), with the modelled customers split among them and no other figure. */
function summaryOf(deps: Parameters<BranchRunner>[0], branchId: string, today: Parameters<BranchRunner>[2], businessDate: string, model: BranchModel): BranchSummary {
  const empty = new BranchSummaryTally(deps.scheme, deps.standards, branchId, today, businessDate).result();
  const managers = Array.from({ length: model.managers }, (_, i) => ({ managerId: `M${String(i + 1).padStart(2, '0')}`, ...emptyFigures(deps.scheme), coverage: empty.coverage, customers: Math.floor(model.customers / model.managers) }));
  return { ...empty, customers: model.customers, managers };
}
