import { CUSTOMER_TAB, EDITABLE_HEADERS } from './branch-layout.js';
import type { CustomerSheetPlan, EditedRow } from './customer-sheet-plan.js';

/**
 * The nightly reconciliation of a branch sheet's editable cells (docs/branch-sheet.md,
 * "Reconciliation"): which cells hold an edit the sheet's trigger never sent. Pure.
 *
 * A cell is compared with what the system LAST SAW there (read by last night's run, or written
 * by it on a new row), never with what is stored: a mobile number updated by the core-banking
 * master arrives in the store and not in the sheet, and the sheet still showing the old number
 * is no edit. Cells are keyed by 客户号 and layout header, so a sort or a moved column changes
 * nothing.
 *
 * - sheet = last seen → nothing (whatever the store holds: case b, a master update);
 * - sheet ≠ last seen, and the edit log holds this very text for this cell since last night
 *   (the trigger sent it, accepted or refused) → nothing to send (case e);
 * - sheet ≠ last seen, sheet = stored text → the sheet already says what is stored: nothing;
 * - sheet ≠ last seen, stored text = last seen → an edit (case a);
 * - sheet ≠ last seen, stored text ≠ last seen, sheet ≠ stored → both moved: the typed text is
 *   the manager's act and is sent, flagged as a conflict (case c);
 * - no last seen for the sheet at all (its first reconciled night) → nothing is sent, what is
 *   there is recorded (case d).
 * Only a customer's first row counts (the plan updates only that one).
 */

/** 客户号 → editable header → text ('' cells left out) */
export type SeenCells = Record<string, Record<string, string>>;

/** what the edit log says was sent for one cell since the sheet was last seen */
export interface LoggedValue {
  value: string;
  /** set when the log kept only the start of a long refused text */
  valueLength?: number;
}

export interface ReconcileInput {
  /** the editable cells as tonight's read found them (readEditedRows) */
  rows: readonly EditedRow[];
  /** what the system last saw, or null when it has never seen this sheet */
  seen: SeenCells | null;
  /** customers the branch holds (rows of others are not reconciled: the edit path would refuse them) */
  customers: ReadonlySet<string>;
  /** the store's text for a cell, where it has one (the archive); absent = unknown */
  storedText: (customerId: string, header: string) => string | undefined;
  /** texts the edit log holds for a cell since the sheet was last seen */
  logged: (customerId: string, header: string) => readonly LoggedValue[];
}

export interface ReconciledRow {
  row: number;
  customerId: string;
  /** header → the text to send through the sheet-edit path */
  cells: Record<string, string>;
  /** headers whose stored value also changed since last seen (case c) */
  conflicts: string[];
}

export interface ReconcileResult {
  firstNight: boolean;
  /** rows with cells to send through the sheet-edit path */
  send: ReconciledRow[];
  /** cells that differ from last seen but that the trigger already sent */
  alreadySent: number;
  /** what the system sees now: tonight's editable texts, per customer (new rows added by the caller) */
  seen: SeenCells;
}

/** The override is judged as a whole (tier, reason and end month together), so its cells travel together. */
const OVERRIDE_HEADERS: readonly string[] = ['指定等级', '指定原因', '指定截止月'];

export function reconcileEditedRows(input: ReconcileInput): ReconcileResult {
  const seen: SeenCells = {};
  const send: ReconciledRow[] = [];
  let alreadySent = 0;
  for (const row of input.rows) {
    if (Object.prototype.hasOwnProperty.call(seen, row.customerId)) continue;
    const fields = row.fields as Readonly<Record<string, string>>;
    seen[row.customerId] = textsOf(fields);
    if (input.seen === null || !input.customers.has(row.customerId)) continue;
    const before = input.seen[row.customerId] ?? {};
    const changed: string[] = [];
    const conflicts: string[] = [];
    for (const header of Object.keys(fields)) {
      const now = fields[header] as string;
      const last = before[header] ?? '';
      if (now === last) continue;
      if (input.logged(row.customerId, header).some((l) => sameLogged(l, now))) {
        alreadySent++;
        continue;
      }
      const stored = input.storedText(row.customerId, header);
      if (stored !== undefined && stored === now) continue;
      changed.push(header);
      if (stored !== undefined && stored !== last) conflicts.push(header);
    }
    if (changed.length === 0) continue;
    const sent = new Set(changed);
    if (changed.some((h) => OVERRIDE_HEADERS.includes(h))) for (const h of OVERRIDE_HEADERS) if (h in fields) sent.add(h);
    const cells: Record<string, string> = {};
    for (const header of EDITABLE_HEADERS) if (sent.has(header)) cells[header] = fields[header] as string;
    send.push({ row: row.row, customerId: row.customerId, cells, conflicts });
  }
  return { firstNight: input.seen === null, send, alreadySent, seen };
}

/** a row's editable texts as kept in the last-seen record: empty cells left out */
export function textsOf(fields: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const header of EDITABLE_HEADERS) {
    const text = fields[header];
    if (text !== undefined && text !== '') out[header] = text;
  }
  return out;
}

function sameLogged(logged: LoggedValue, text: string): boolean {
  if (logged.valueLength === undefined) return logged.value === text;
  // a long refused text is logged by its start and its length (firestore-sheet-edits.ts)
  return text.length === logged.valueLength && text.startsWith(logged.value.replace(/…$/, ''));
}

/**
 * What the sheet holds once tonight's write lands: the texts read, plus the editable cells the
 * plan writes on new rows (the archive on record). Customers no longer in the sheet are dropped.
 */
export function seenAfterWrite(read: SeenCells, plan: Pick<CustomerSheetPlan, 'newRows' | 'columns'>): SeenCells {
  const headerAt = new Map<number, string>();
  for (const header of EDITABLE_HEADERS) {
    const column = plan.columns.get(header);
    if (column !== undefined) headerAt.set(column, header);
  }
  const seen: SeenCells = { ...read };
  for (const row of plan.newRows) {
    const texts: Record<string, string> = {};
    for (const w of row.writes) {
      const header = headerAt.get(w.column);
      if (header !== undefined) texts[header] = w.value;
    }
    seen[row.customerId] = textsOf(texts);
  }
  return seen;
}

/** 客户名单 in a snapshot, found as the plan finds it: by its tag, else by its title (branch-sheet-sync.ts). */
export function customerTabIn<T extends { title: string; tabTag: string | null }>(tabs: readonly T[], layoutNames: readonly string[]): T | undefined {
  const tagged = tabs.find((t) => t.tabTag === CUSTOMER_TAB);
  if (tagged) return tagged;
  const names = new Set(layoutNames);
  return tabs.find((t) => t.title.trim().toLocaleLowerCase() === CUSTOMER_TAB && (t.tabTag === null || !names.has(t.tabTag)));
}
