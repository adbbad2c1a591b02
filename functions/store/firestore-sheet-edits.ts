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
 * every edit — accepted or refused — is appended to the edit log. A row's cells and its edit-log
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
  const found = sheetIsBranchs && lookUp.length > 0 ? await db.getAll(...lookUp, { fieldMask: ['branchId'] }) : [];
  const ownerOf = new Map(found.map((doc) => [doc.id, doc.exists ? (doc.get('branchId') as unknown) : undefined]));
  const results: RowResult[] = [];
  const writes: RowWrites[] = [];
  request.rows.forEach((edit, i) => {
    const ref = customerRefs[i] ?? null;
    const owned = ref !== null && ownerOf.get(ref.id) === request.branchId;
    const refuseAll = (zh: string, en: string): CellVerdict[] => Object.keys(edit.cells).map((column) => ({ column, ok: false as const, zh, en }));
    const verdict = sheetIsBranchs && owned ? validateRowEdit(edit, scheme, today) : null;
    const verdicts: CellVerdict[] =
      verdict?.cells ??
      (!sheetIsBranchs
        ? refuseAll('此表格不属于该支行，修改未保存', `spreadsheet ${request.spreadsheetId} is not branch ${request.branchId}'s`)
        : refuseAll('客户不属于本支行，修改未保存', `customer ${edit.customerId} does not belong to branch ${request.branchId}`));
    const update: Record<string, unknown> = {};
    for (const v of verdicts) {
      if (!v.ok) continue;
      const field = ARCHIVE_BY_ZH.get(v.column);
      if (field) update[`profile.archive.${field}`] = v.value ?? FieldValue.delete();
      else if (v.column === '最近联系日期') update['lastContact.date'] = v.value ?? FieldValue.delete();
      else if (v.column === '最近联系方式') update['lastContact.channel'] = v.value ?? FieldValue.delete();
      else if (v.column === '联系备注') update['lastContact.note'] = v.value ?? FieldValue.delete();
    }
    if (verdict?.override === 'clear') update['override'] = FieldValue.delete();
    else if (verdict?.override) {
      update['override'] = { tier: verdict.override.tier, from: formatMonth(monthOfDay(today)), until: formatMonth(verdict.override.until), reason: verdict.override.reason, by: request.editor };
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
    results.push({ row: edit.row, customerId: edit.customerId, accepted: verdicts.filter((v) => v.ok).map((v) => v.column), refused: verdicts.flatMap((v) => (v.ok ? [] : [{ column: v.column, zh: v.zh }])) });
  });
  await commitRows(db, writes);
  return results;
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
  let batch = db.batch();
  let writes = 0;
  let bytes = 0;
  for (const row of rows) {
    const rowWrites = row.logs.length + (row.update ? 1 : 0);
    const rowBytes = Buffer.byteLength(JSON.stringify([row.update?.[1] ?? null, row.logs])) + 100 * rowWrites;
    if (writes > 0 && (writes + rowWrites > BATCH_WRITES || bytes + rowBytes > BATCH_BYTES)) {
      await batch.commit();
      batch = db.batch();
      writes = 0;
      bytes = 0;
    }
    if (row.update) batch.update(row.update[0], row.update[1]);
    // Append-only: every entry is created under a fresh id, never set over an existing one.
    for (const entry of row.logs) batch.create(db.collection(COLLECTIONS.editLog).doc(), entry);
    writes += rowWrites;
    bytes += rowBytes;
  }
  if (writes > 0) await batch.commit();
}
