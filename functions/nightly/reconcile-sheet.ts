import type { Firestore, QueryDocumentSnapshot } from '@google-cloud/firestore';
import type { CivilDay } from '../../shared/calendar/civil-date.js';
import { ARCHIVE_FIELDS, ARCHIVE_FIELD_ZH, type CustomerProfile } from '../../shared/customer-profile.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import type { ServiceStandards } from '../../shared/service/standards.schema.js';
import { LAYOUT_TAB_NAMES } from '../../shared/sheets/branch-layout.js';
import { mapColumns } from '../../shared/sheets/column-map.js';
import { readEditedRows, type CustomerSheetPlan } from '../../shared/sheets/customer-sheet-plan.js';
import { customerGridOf } from '../../shared/sheets/ledger-grid.js';
import { customerTabIn, reconcileEditedRows, seenAfterWrite, type LoggedValue, type ReconciledRow } from '../../shared/sheets/sheet-reconcile.js';
import type { SpreadsheetSnapshot } from '../../shared/sheets/sheet-snapshot.js';
import type { TierEngine } from '../../shared/tier-engine.js';
import { processSheetEdit } from '../http/sheet-edit-function.js';
import { COLLECTIONS } from '../store/collections.js';
import { readSheetSeen, writeSheetSeen } from '../store/firestore-sheet-seen.js';

/**
 * The nightly run's reconciliation step (docs/nightly.md): the editable cells of 客户名单 that
 * differ from what the system last saw there and that the sheet's trigger never sent (it was
 * off, over its quota, or failing) are sent through the sheet-edit path — validated, stored and
 * logged like any edit, under the editor RECONCILE_EDITOR (the trigger's editor is not known).
 * Run after the sheet is read and before the write is planned: the accepted edits are in the
 * edit log, so the run evaluates those customers again (catchUpEdits) and writes their fresh
 * computed cells that same night. What is seen is stored once the write has landed (remember).
 */

/** the edit log's editor for an edit found by the nightly run */
export const RECONCILE_EDITOR = 'nightly-reconcile (editor unknown)';
/** …and for one whose stored value had also changed since the sheet was last seen */
export const RECONCILE_CONFLICT_EDITOR = 'nightly-reconcile (editor unknown; stored value also changed)';

export interface ReconcileReport {
  /** the sheet had no last-seen record: what it holds was recorded, nothing was sent */
  firstNight: boolean;
  /** edited rows sent through the sheet-edit path */
  rowsSent: number;
  accepted: number;
  /** refused cells, with the Chinese reason (also in the edit log; at most 1,000 listed, each text cut to 200 characters) */
  refused: { customerId: string; row: number; column: string; value: string; zh: string }[];
  /** cells both typed in the sheet and changed in the store since last seen (sent, logged under RECONCILE_CONFLICT_EDITOR) */
  conflicts: { customerId: string; column: string }[];
  /** cells that differ from last seen but that the trigger had already sent */
  alreadySent: number;
}

export interface ReconcileDeps {
  db: Firestore;
  scheme: Scheme;
  standards: ServiceStandards;
  engine: TierEngine;
  now: () => Date;
}

export interface ReconcileStep {
  report: ReconcileReport;
  /** stores what the sheet holds once the planned write has landed */
  remember: (plan: { customers: Pick<CustomerSheetPlan, 'newRows' | 'columns'> }) => Promise<void>;
}

/** Rows per call of the edit path (one Firestore commit each, as `ladder watch` sends them). */
const ROWS_PER_REQUEST = 200;

/**
 * null when 客户名单 cannot be read for its customers tonight (no 客户号 column, a blocked ledger):
 * nothing is sent and the last-seen record is left as it was.
 */
export async function reconcileSheet(
  deps: ReconcileDeps,
  at: { branchId: string; spreadsheetId: string; today: CivilDay; readAt: Date; marginMs: number },
  snapshot: SpreadsheetSnapshot,
  archives: ReadonlyMap<string, CustomerProfile['archive']>,
): Promise<ReconcileStep | null> {
  const tab = customerTabIn(snapshot.tabs, LAYOUT_TAB_NAMES);
  let rows: ReturnType<typeof readEditedRows> = [];
  if (tab !== undefined) {
    const bound = customerGridOf(tab);
    if (bound.blocked || mapColumns(bound.grid).key === null) {
      if (bound.blocked || tab.values.length > 0) return null;
    } else rows = readEditedRows(bound.grid);
  }
  const before = await readSheetSeen(deps.db, at.spreadsheetId);
  const logged = before.cells === null ? new Map<string, LoggedValue[]>() : await loggedSince(deps.db, at.branchId, at.spreadsheetId, new Date((before.readAt ?? at.readAt).getTime() - at.marginMs));
  const zhToField = new Map(ARCHIVE_FIELDS.map((f) => [ARCHIVE_FIELD_ZH[f] as string, f]));
  const result = reconcileEditedRows({
    rows,
    seen: before.cells,
    customers: new Set(archives.keys()),
    storedText: (customerId, header) => {
      const field = zhToField.get(header);
      if (field === undefined) return undefined;
      return archives.get(customerId)?.[field] ?? '';
    },
    logged: (customerId, header) => logged.get(cellKey(customerId, header)) ?? [],
  });

  const report: ReconcileReport = { firstNight: result.firstNight, rowsSent: result.send.length, accepted: 0, refused: [], conflicts: [], alreadySent: result.alreadySent };
  const plain = result.send.filter((r) => r.conflicts.length === 0);
  const conflicted = result.send.filter((r) => r.conflicts.length > 0);
  for (const r of conflicted) for (const column of r.conflicts) report.conflicts.push({ customerId: r.customerId, column });
  for (const [editor, group] of [[RECONCILE_EDITOR, plain], [RECONCILE_CONFLICT_EDITOR, conflicted]] as const) {
    for (let i = 0; i < group.length; i += ROWS_PER_REQUEST) {
      const part: readonly ReconciledRow[] = group.slice(i, i + ROWS_PER_REQUEST);
      const answers = await processSheetEdit({ db: deps.db, scheme: deps.scheme, standards: deps.standards, now: deps.now, today: () => at.today }, deps.engine, {
        branchId: at.branchId,
        spreadsheetId: at.spreadsheetId,
        editor,
        rows: part.map((r) => ({ row: r.row, customerId: r.customerId, cells: r.cells })),
      });
      answers.forEach((answer, j) => {
        const sent = part[j] as ReconciledRow;
        report.accepted += answer.accepted.length;
        for (const refusal of answer.refused) {
          if (report.refused.length >= MAX_LISTED_REFUSALS) break;
          report.refused.push({ customerId: answer.customerId, row: answer.row, column: refusal.column, value: shortened(sent.cells[refusal.column] ?? ''), zh: refusal.zh });
        }
      });
    }
  }
  return {
    report,
    remember: async (plan) => void (await writeSheetSeen(deps.db, at.branchId, at.spreadsheetId, before, seenAfterWrite(result.seen, plan.customers), at.readAt)),
  };
}

/** The report is stored with the run (runs/{runId}, 1 MiB a document): refusals beyond this many are in the edit log only, and a listed text is cut to its start. */
const MAX_LISTED_REFUSALS = 1_000;
const MAX_LISTED_TEXT = 200;

function shortened(text: string): string {
  return text.length > MAX_LISTED_TEXT ? `${text.slice(0, MAX_LISTED_TEXT)}…` : text;
}

function cellKey(customerId: string, header: string): string {
  return `${customerId}\u0000${header}`;
}

/** The texts the edit log holds for this sheet's cells since a moment (accepted or refused), by cell. One query on editLog(branchId, at). */
async function loggedSince(db: Firestore, branchId: string, spreadsheetId: string, since: Date): Promise<Map<string, LoggedValue[]>> {
  const out = new Map<string, LoggedValue[]>();
  const query = db.collection(COLLECTIONS.editLog).where('branchId', '==', branchId).where('at', '>=', since).select('spreadsheetId', 'customerId', 'column', 'value', 'valueLength');
  for await (const doc of query.stream() as AsyncIterable<QueryDocumentSnapshot>) {
    if (doc.get('spreadsheetId') !== spreadsheetId) continue;
    const key = cellKey(String(doc.get('customerId')), String(doc.get('column')));
    const value = doc.get('value') as unknown;
    const length = doc.get('valueLength') as unknown;
    const entry: LoggedValue = { value: typeof value === 'string' ? value : '', ...(typeof length === 'number' ? { valueLength: length } : {}) };
    out.set(key, [...(out.get(key) ?? []), entry]);
  }
  return out;
}
