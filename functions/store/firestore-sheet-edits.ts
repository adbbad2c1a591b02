import { FieldValue, type DocumentReference, type DocumentSnapshot, type Firestore } from '@google-cloud/firestore';
import { monthOfDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import { ARCHIVE_FIELDS, ARCHIVE_FIELD_ZH } from '../../shared/customer-profile.js';
import { formatMonth } from '../../shared/month.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { validateRowEdit, type CellVerdict, type RowEdit } from '../../shared/sheets/sheet-edit-validation.js';
import { customerIdProblem } from '../../shared/customer-id.js';
import { COLLECTIONS } from './collections.js';

/**
 * Applies the cells a manager edited in a branch sheet to Firestore (the store half of the
 * sheet-edit function): the spreadsheet must be the branch's own and each customer must
 * belong to the branch; each cell is validated on its own; the accepted ones are written and
 * every edit — accepted or refused — is appended to the edit log. A cell that passes but holds
 * what is already stored is no edit: it is answered as accepted, and neither written nor logged.
 * The sheet re-sends unchanged cells often — a sort, a paste of the same values, a move, a
 * resend — and Google says nothing of which cells really changed (docs/apps-script.md, "What
 * Google delivers"). A row's cells and its edit-log
 * entries are always committed together (never half a row); the rows go in as few batches as
 * Firestore's request size allows (one, for any ordinary edit).
 */

export interface SheetEditRequest {
  branchId: string;
  spreadsheetId: string;
  /** the person who edited (from the sheet, not the account that installed the trigger) */
  editor: string;
  rows: readonly (RowEdit & { row: number })[];
}

export interface RowResult {
  row: number;
  customerId: string;
  accepted: string[];
  /** refused cells with the reason for the sheet's note (Chinese) */
  refused: { column: string; zh: string }[];
}

const ARCHIVE_BY_ZH = new Map(ARCHIVE_FIELDS.map((f) => [ARCHIVE_FIELD_ZH[f] as string, f]));

/** A local .xlsx workbook names itself `xlsx:<uuid>` (functions/sheets/xlsx-workbook-identity.ts). */
export const LOCAL_WORKBOOK_ID_PREFIX = 'xlsx:';

/**
 * Whether the sheet is the branch's own: a Google spreadsheet id must be the branch's
 * `spreadsheetId`; a local workbook id (`xlsx:…`) must be its `workbookId`. Google ids never
 * contain a colon, so the two kinds can never stand in for each other.
 */
function sheetBelongsToBranch(branch: DocumentSnapshot, sheetId: string): boolean {
  if (!branch.exists) return false;
  const registered = branch.get(sheetId.startsWith(LOCAL_WORKBOOK_ID_PREFIX) ? 'workbookId' : 'spreadsheetId');
  return typeof registered === 'string' && registered === sheetId;
}

export async function applySheetEdits(db: Firestore, scheme: Scheme, request: SheetEditRequest, today: CivilDay, now: () => Date): Promise<RowResult[]> {
  // Reads first, outside any transaction: a transaction would lock each edited customer until
  // it commits, and managers editing the same customer at once then wait on each other until
  // Firestore gives up ("ABORTED: Transaction lock timeout", seen with 50 editors). Nothing
  // written depends on what was read except the branch checks; each row's cells and edit-log
  // entries land together or not at all (commitRows).
  // A branch id or customer number that cannot name a document is simply not the branch's.
  const branch = customerIdProblem(request.branchId) === null ? await db.collection(COLLECTIONS.branches).doc(request.branchId).get() : null;
  const sheetIsBranchs = branch !== null && sheetBelongsToBranch(branch, request.spreadsheetId);
  const customerRefs = request.rows.map((r) => (customerIdProblem(r.customerId) === null ? db.collection(COLLECTIONS.customers).doc(r.customerId) : null));
  const lookUp = customerRefs.filter((ref) => ref !== null);
  // What is stored now, to tell a re-sent unchanged cell from an edit (sameAsStored).
  const found = sheetIsBranchs && lookUp.length > 0 ? await db.getAll(...lookUp, { fieldMask: ['branchId', 'profile.archive', 'lastContact', 'override'] }) : [];
  const ownerOf = new Map(found.map((doc) => [doc.id, doc.exists ? (doc.get('branchId') as unknown) : undefined]));
  const storedOf = new Map(found.map((doc) => [doc.id, doc]));
  const results: RowResult[] = [];
  const writes: RowWrites[] = [];
  request.rows.forEach((edit, i) => {
    const ref = customerRefs[i] ?? null;
    const owned = ref !== null && ownerOf.get(ref.id) === request.branchId;
    const refuseAll = (zh: string, en: string): CellVerdict[] => Object.keys(edit.cells).map((column) => ({ column, ok: false as const, zh, en }));
    const verdict = sheetIsBranchs && owned ? validateRowEdit(edit, scheme, today) : null;
    const stored = ref !== null ? storedOf.get(ref.id) : undefined;
    const verdicts: CellVerdict[] = (
      verdict?.cells ??
      (!sheetIsBranchs
        ? refuseAll('此表格不属于该支行，修改未保存', `spreadsheet ${request.spreadsheetId} is not branch ${request.branchId}'s`)
        : refuseAll('客户不属于本支行，修改未保存', `customer ${edit.customerId} does not belong to branch ${request.branchId}`))
    ).filter((v) => !v.ok || stored === undefined || !sameAsStored(stored, v.column, v.value));
    const update: Record<string, unknown> = {};
    for (const v of verdicts) {
      if (!v.ok) continue;
      const field = ARCHIVE_BY_ZH.get(v.column);
      if (field) update[`profile.archive.${field}`] = v.value ?? FieldValue.delete();
      else if (v.column === '最近联系日期') update['lastContact.date'] = v.value ?? FieldValue.delete();
      else if (v.column === '最近联系方式') update['lastContact.channel'] = v.value ?? FieldValue.delete();
      else if (v.column === '联系备注') update['lastContact.note'] = v.value ?? FieldValue.delete();
    }
    // The override is written (or cleared) only when one of its cells is a change.
    const overrideChanged = verdicts.some((v) => v.ok && OVERRIDE_STORED[v.column] !== undefined);
    const override = overrideChanged ? (verdict?.override ?? null) : null;
    if (override === 'clear') update['override'] = FieldValue.delete();
    else if (override !== null) {
      update['override'] = { tier: override.tier, from: formatMonth(monthOfDay(today)), until: formatMonth(override.until), reason: override.reason, by: request.editor };
    }
    const logs: Record<string, unknown>[] = [];
    for (const v of verdicts) {
      const value = edit.cells[v.column] ?? null;
      logs.push({
        branchId: request.branchId,
        spreadsheetId: request.spreadsheetId,
        editor: request.editor,
        customerId: edit.customerId,
        row: edit.row,
        column: v.column,
        // a refused 50,000-character paste is logged by its start and length, not whole
        value: !v.ok && value !== null && value.length > MAX_LOGGED_VALUE ? `${value.slice(0, MAX_LOGGED_VALUE)}…` : value,
        ...(!v.ok && value !== null && value.length > MAX_LOGGED_VALUE ? { valueLength: value.length } : {}),
        accepted: v.ok,
        reason: v.ok ? null : v.en,
        at: now(),
      });
    }
    writes.push({ update: ref !== null && Object.keys(update).length > 0 ? [ref, { ...update, editedBy: request.editor, editedAt: now() }] : null, logs });
    // Unchanged cells are accepted too: the sheet clears their 【未保存】 note, as for any stored cell.
    const accepted = (verdict?.cells ?? []).filter((v) => v.ok).map((v) => v.column);
    results.push({ row: edit.row, customerId: edit.customerId, accepted, refused: verdicts.flatMap((v) => (v.ok ? [] : [{ column: v.column, zh: v.zh }])) });
  });
  await commitRows(db, writes);
  return results;
}

/** The stored field an override cell is compared with (指定截止月 is stored as YYYY-MM, as validated). */
const OVERRIDE_STORED: Readonly<Record<string, string>> = { 指定等级: 'tier', 指定原因: 'reason', 指定截止月: 'until' };
const CONTACT_STORED: Readonly<Record<string, string>> = { 最近联系日期: 'date', 最近联系方式: 'channel', 联系备注: 'note' };

/**
 * Whether an accepted cell's value is what the customer already has. An empty cell equals a
 * missing field. Only equal strings are equal: a value stored in another type (or any doubt) is
 * a change, and is written and logged as before.
 */
function sameAsStored(customer: DocumentSnapshot, column: string, value: string | null): boolean {
  if (!customer.exists) return false;
  const archiveField = ARCHIVE_BY_ZH.get(column);
  const path = archiveField ? `profile.archive.${archiveField}` : CONTACT_STORED[column] ? `lastContact.${CONTACT_STORED[column]}` : OVERRIDE_STORED[column] ? `override.${OVERRIDE_STORED[column]}` : null;
  if (path === null) return false;
  const stored: unknown = customer.get(path);
  return stored === undefined || stored === null ? value === null : typeof stored === 'string' && stored === value;
}

interface RowWrites {
  update: [DocumentReference, Record<string, unknown>] | null;
  logs: Record<string, unknown>[];
}

/** The most of a refused cell's text the edit log keeps (the longest accepted cell, a note, is 2,000). */
export const MAX_LOGGED_VALUE = 2_000;
/**
 * A batch's budget: Firestore takes at most 10 MiB a request, the emulator 4 MiB a message (its
 * client then retries a larger commit for 10 minutes); 3 MiB of values leaves room for names.
 */
const BATCH_BYTES = 3 * 1024 * 1024;
const BATCH_WRITES = 500;

/** Commits the rows' writes in order, whole rows per batch, each batch within the budget. */
async function commitRows(db: Firestore, rows: readonly RowWrites[]): Promise<void> {
  // Rows are packed into batches (a row never split between two), and the batches committed at
  // once: each is atomic on its own. Only when one customer is updated from two batches (the
  // same 客户号 on two rows of a large paste) do they go one after the other, so the later row wins.
  const batches: FirebaseFirestore.WriteBatch[] = [];
  const batchOf = new Map<string, number>();
  let overlapping = false;
  let batch = db.batch();
  let writes = 0;
  let bytes = 0;
  for (const row of rows) {
    const rowWrites = row.logs.length + (row.update ? 1 : 0);
    const rowBytes = Buffer.byteLength(JSON.stringify([row.update?.[1] ?? null, row.logs])) + 100 * rowWrites;
    if (writes > 0 && (writes + rowWrites > BATCH_WRITES || bytes + rowBytes > BATCH_BYTES)) {
      batches.push(batch);
      batch = db.batch();
      writes = 0;
      bytes = 0;
    }
    if (row.update) {
      batch.update(row.update[0], row.update[1]);
      const earlier = batchOf.get(row.update[0].path);
      if (earlier !== undefined && earlier !== batches.length) overlapping = true;
      batchOf.set(row.update[0].path, batches.length);
    }
    // Append-only: every entry is created under a fresh id, never set over an existing one.
    for (const entry of row.logs) batch.create(db.collection(COLLECTIONS.editLog).doc(), entry);
    writes += rowWrites;
    bytes += rowBytes;
  }
  if (writes > 0) batches.push(batch);
  if (overlapping) for (const b of batches) await b.commit();
  else await Promise.all(batches.map((b) => b.commit()));
}
