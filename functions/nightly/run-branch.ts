import type { Firestore } from '@google-cloud/firestore';
import { formatCivilDay, ymdOf, type CivilDay } from '../../shared/calendar/civil-date.js';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import { formatMonth } from '../../shared/month.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import type { ContactEntry } from '../../shared/service/contact-log.schema.js';
import { customerServiceView } from '../../shared/service/customer-service-view.js';
import type { ServiceStandards } from '../../shared/service/standards.schema.js';
import { COMPUTED_HEADERS } from '../../shared/sheets/branch-layout.js';
import { BranchSummaryTally, type BranchSummary } from '../../shared/head-office/branch-summary.js';
import { BranchSheetCollector } from '../../shared/sheets/branch-sheet-content.js';
import { planBranchSheet, type BranchSheetPlan } from '../../shared/sheets/branch-sheet-sync.js';
import type { SheetProblem } from '../../shared/sheets/customer-sheet-plan.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import type { CellWrite, SheetsGateway } from '../sheets/google-sheets-gateway.js';
import { COLLECTIONS } from '../store/collections.js';
import { customersByIds } from '../store/firestore-facts-reader.js';
import { emptyCounts, readBranchResuming, saveEngineStates, type ResumingReadCounts } from '../store/firestore-engine-state.js';
import { engineStateOf, type EngineState } from '../../shared/engine-state.js';
import { monthOfDay } from '../../shared/calendar/civil-date.js';
import { appendTierEvents, readContacts, type TierEvent } from '../store/firestore-service-log.js';
import { acceptedEditsSince } from './edits-since.js';
import { reconcileSheet, type ReconcileReport } from './reconcile-sheet.js';

/**
 * The nightly run of one branch (the body of the `nightlyBranch` function): read the branch's
 * customers and this year's contacts from Firestore, evaluate every customer, append the tier
 * changes to the audit trail (never twice), and bring the branch's Google Sheet up to date in
 * at most three Sheets requests: one read, the missing structure (only when something is
 * missing), the changed cells (only when something changed). Re-running the same day writes
 * nothing new.
 *
 * A manager may edit while the run is going (the sheet-edit function stores the edit with an
 * edit-log entry and writes that row's fresh computed cells into the sheet). Before it plans
 * its write, the run evaluates again every customer with an accepted edit stored since it
 * began, so it never puts stale computed cells back over fresh ones; after the write it looks
 * once more, and rewrites the computed cells of a customer whose edit was stored during the
 * write (one more request, only then). Editable cells of existing rows are never written, so
 * a manager typing between our read and our write loses nothing.
 *
 * An edit the sheet's trigger never sent (off, over its quota, failing) is found here: right
 * after the read, the editable cells that differ from what the system last saw are sent
 * through the sheet-edit path (reconcile-sheet.ts), so the catch-up below evaluates those
 * customers again and tonight's write carries their fresh computed cells. A local workbook is
 * left to `ladder watch`, whose snapshot is its last-seen record (docs/nightly.md).
 */

export interface NightlyBranchDeps {
  db: Firestore;
  scheme: Scheme;
  standards: ServiceStandards;
  sheets: SheetsGateway;
  now: () => Date;
  /** the branch field naming the sheet `sheets` writes: `spreadsheetId` (Google Sheets, the default) or `workbookId` (local .xlsx workbooks) */
  sheetField?: 'spreadsheetId' | 'workbookId';
}

export interface NightlyBranchReport {
  branchId: string;
  businessDate: string;
  customers: number;
  /** customers whose facts could not be evaluated (e.g. an override naming an unknown tier), with why */
  skipped: { customerId: string; reason: string }[];
  tierEventsCreated: number;
  spreadsheetId: string | null;
  tabsAdded: string[];
  cellsWritten: number;
  /** Sheets API requests made (retries not counted): read, structure when missing, values when changed (one per ≤ 2 MB chunk), a correction when an edit landed during the write, a re-read after a structure batch's ambiguous failure */
  sheetRequests: number;
  /** structural requests sent (tabs, metadata, protection, colours, grid growth); 0 once the sheet is set up */
  structureChanges: number;
  /** customers evaluated again because a manager's edit was stored during the run */
  reevaluated: string[];
  /** what is wrong with 客户名单, in words for the branch (duplicate headers, no 客户号 column, …) */
  sheetProblems: SheetProblem[];
  /** the editable cells found changed in the sheet and never sent by its trigger; null when not reconciled (a local workbook, no sheet, 客户名单 unreadable) */
  reconcile: ReconcileReport | null;
  /** the branch's figures for head office (tiers, rises and losses, watch, AUM, coverage, contacts), by manager too */
  summary: BranchSummary;
  /** how the customers were read: resumed from their saved engine state, or read whole and replayed (by reason), and the documents read */
  engine: ResumingReadCounts & { statesSaved: number };
}

/**
 * An edit-log entry's `at` is taken by the sheet-edit function before its batch commits
 * (Firestore gives a request up to 270 s): edits stamped up to this long before the run
 * began are looked at too, so one committed after our read of that customer is not missed.
 */
export const EDIT_MARGIN_MS = 5 * 60_000;

export async function runNightlyBranch(deps: NightlyBranchDeps, branchId: string, today: CivilDay): Promise<NightlyBranchReport> {
  const startedAt = deps.now();
  const engine = createTierEngine(deps.scheme);
  const businessDate = formatCivilDay(today);
  const branch = await deps.db.collection(COLLECTIONS.branches).doc(branchId).get();
  const spreadsheetId = (branch.get(deps.sheetField ?? 'spreadsheetId') as string | null | undefined) ?? null;
  const contacts = await readContacts(deps.db, branchId, `${ymdOf(today).year}-01-01`);

  const sheet = new BranchSheetCollector(deps.scheme, deps.standards, businessDate);
  const summary = new BranchSummaryTally(deps.scheme, deps.standards, branchId, today, businessDate);
  const events = new Map<string, TierEvent>();
  const skipped: NightlyBranchReport['skipped'] = [];
  const evaluate = (facts: CustomerFacts, log: readonly ContactEntry[]) => {
    const problem = engine.problemWith(facts);
    if (problem) {
      skipped.push({ customerId: facts.customerId, reason: problem });
      return null;
    }
    const s = customerServiceView(engine, deps.standards, facts, log, today, null);
    sheet.add(facts, s);
    summary.add(facts, s);
    const event = tierEventOf(deps.scheme, branchId, s.view.assessment);
    if (event) events.set(facts.customerId, { ...event, customerId: facts.customerId });
    else events.delete(facts.customerId);
    return s.view.assessment;
  };
  let customers = 0;
  const archives = new Map<string, NonNullable<CustomerFacts['profile']>['archive']>();
  // The state is saved through the month before today's: its facts are complete, and tonight's assessment is through it.
  const closedMonth = monthOfDay(today) - 1;
  const engineCounts = emptyCounts();
  const states: { customerId: string; branchId: string | null; state: EngineState }[] = [];
  for (const { facts, replayed } of await readBranchResuming(deps.db, branchId, deps.scheme, monthOfDay(today), engineCounts)) {
    customers++;
    archives.set(facts.customerId, facts.profile?.archive ?? {});
    const assessment = evaluate(facts, contacts.get(facts.customerId) ?? []);
    if (assessment === null) continue;
    if (replayed === null && (facts.resumeFrom?.through ?? closedMonth) >= closedMonth) continue;
    const state = engineStateOf(deps.scheme, facts, assessment, closedMonth);
    if (state !== null) states.push({ customerId: facts.customerId, branchId: facts.branchId ?? null, state });
  }
  const statesSaved = await saveEngineStates(deps.db, states);

  // Edits stored since the run began: those customers are evaluated again from what is stored now.
  const seenEdits = new Set<string>();
  const reevaluated: string[] = [];
  const catchUpEdits = async (): Promise<string[]> => {
    const edits = await acceptedEditsSince(deps.db, branchId, new Date(startedAt.getTime() - EDIT_MARGIN_MS));
    const ids = new Set<string>();
    for (const [entry, customerId] of edits) {
      if (seenEdits.has(entry)) continue;
      seenEdits.add(entry);
      ids.add(customerId);
    }
    if (ids.size === 0) return [];
    const again: string[] = [];
    for await (const facts of customersByIds(deps.db, [...ids])) {
      if (facts.branchId !== branchId) continue;
      evaluate(facts, contacts.get(facts.customerId) ?? []);
      again.push(facts.customerId);
    }
    for (const id of again) reevaluated.push(id);
    return again;
  };
  await catchUpEdits();
  const tierEventsCreated = await appendTierEvents(deps.db, [...events.values()], deps.now);

  const report: NightlyBranchReport = { branchId, businessDate, customers, skipped, tierEventsCreated, spreadsheetId, tabsAdded: [], cellsWritten: 0, sheetRequests: 0, structureChanges: 0, reevaluated, sheetProblems: [], reconcile: null, summary: summary.result(), engine: { ...engineCounts, statesSaved } };
  if (spreadsheetId === null) return report;
  // a gateway that counts what it sends (values cut into several requests, a re-read after an ambiguous failure) is taken at its word
  const sentBefore = deps.sheets.requestsSent?.(spreadsheetId);

  const readAt = deps.now();
  const snapshot = await deps.sheets.read(spreadsheetId);
  report.sheetRequests++;
  const reconciled =
    (deps.sheetField ?? 'spreadsheetId') === 'spreadsheetId'
      ? await reconcileSheet({ db: deps.db, scheme: deps.scheme, standards: deps.standards, engine, now: deps.now }, { branchId, spreadsheetId, today, readAt, marginMs: EDIT_MARGIN_MS }, snapshot, archives)
      : null;
  report.reconcile = reconciled?.report ?? null;
  await catchUpEdits();
  const plan = planBranchSheet(snapshot, sheet.content());
  report.tabsAdded = plan.tabsAdded;
  report.sheetProblems = plan.problems;
  report.structureChanges = await deps.sheets.updateStructure(spreadsheetId, plan.structure);
  if (report.structureChanges > 0) report.sheetRequests++;
  report.cellsWritten = await deps.sheets.writeCells(spreadsheetId, plan.writes);
  if (report.cellsWritten > 0) report.sheetRequests++;
  await reconciled?.remember(plan);

  const late = await catchUpEdits();
  if (late.length > 0) {
    const corrections = computedCellsOf(plan, sheet.content().computed, late);
    const written = await deps.sheets.writeCells(spreadsheetId, corrections);
    report.cellsWritten += written;
    if (written > 0) report.sheetRequests++;
    report.summary = summary.result();
  }
  if (sentBefore !== undefined) report.sheetRequests = (deps.sheets.requestsSent?.(spreadsheetId) ?? sentBefore) - sentBefore;
  return report;
}

/** Every computed cell of these customers' rows, as the plan placed them (not compared: the sheet may have changed since it was read). */
function computedCellsOf(plan: BranchSheetPlan, computed: ReturnType<BranchSheetCollector['content']>['computed'], customerIds: readonly string[]): CellWrite[] {
  const writes: CellWrite[] = [];
  for (const id of customerIds) {
    const row = plan.customers.rows.get(id);
    const cells = computed.get(id);
    if (row === undefined || cells === undefined) continue;
    for (const header of COMPUTED_HEADERS) {
      const column = plan.customers.columns.get(header);
      // by the column's tag, as the run's own write: a column moved since the read does not misplace the correction
      if (column !== undefined) writes.push({ tab: plan.customerTab, row, column, value: cells[header], sheetId: plan.customerSheetId, header });
    }
  }
  return writes;
}

/** A tier change decided at the customer's last assessment, as an audit event (customer filled in by the caller). */
function tierEventOf(scheme: Scheme, branchId: string, a: ReturnType<ReturnType<typeof createTierEngine>['assess']>): Omit<TierEvent, 'customerId'> | null {
  const last = a.tiers.length - 1;
  if (last < 0 || a.firstAssessment === null) return null;
  const decision = a.decisions[last];
  const before = last > 0 ? (a.tiers[last - 1] as number) : 0;
  if ((decision !== 'upgrade' && decision !== 'downgrade' && decision !== 'override') || before === a.tier) return null;
  return {
    branchId,
    from: scheme.tiers[before]?.code ?? String(before),
    to: scheme.tiers[a.tier]?.code ?? String(a.tier),
    effectiveMonth: formatMonth(a.firstAssessment + last * a.periodMonths + 1),
    reason: decision,
    schemeId: scheme.id,
    schemeVersion: scheme.version,
  };
}
