import { FieldValue, type DocumentSnapshot, type Firestore } from '@google-cloud/firestore';
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
 * every edit — accepted or refused — is appended to the edit log, all in one atomic batch.
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
  // written depends on what was read except the branch checks, and the writes below are one
  // atomic batch: the accepted cells and every edit-log entry land together or not at all.
  // A branch id or customer number that cannot name a document is simply not the branch's.
  const branch = customerIdProblem(request.branchId) === null ? await db.collection(COLLECTIONS.branches).doc(request.branchId).get() : null;
  const sheetIsBranchs = branch !== null && sheetBelongsToBranch(branch, request.spreadsheetId);
  const customerRefs = request.rows.map((r) => (customerIdProblem(r.customerId) === null ? db.collection(COLLECTIONS.customers).doc(r.customerId) : null));
  const lookUp = customerRefs.filter((ref) => ref !== null);
  const found = sheetIsBranchs && lookUp.length > 0 ? await db.getAll(...lookUp, { fieldMask: ['branchId'] }) : [];
  const ownerOf = new Map(found.map((doc) => [doc.id, doc.exists ? (doc.get('branchId') as unknown) : undefined]));
  const batch = db.batch();
  const results: RowResult[] = [];
  const logs: Record<string, unknown>[] = [];
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
    if (ref !== null && Object.keys(update).length > 0) batch.update(ref, { ...update, editedBy: request.editor, editedAt: now() });
    for (const v of verdicts) {
      logs.push({
        branchId: request.branchId,
        spreadsheetId: request.spreadsheetId,
        editor: request.editor,
        customerId: edit.customerId,
        row: edit.row,
        column: v.column,
        value: edit.cells[v.column] ?? null,
        accepted: v.ok,
        reason: v.ok ? null : v.en,
        at: now(),
      });
    }
    results.push({ row: edit.row, customerId: edit.customerId, accepted: verdicts.filter((v) => v.ok).map((v) => v.column), refused: verdicts.flatMap((v) => (v.ok ? [] : [{ column: v.column, zh: v.zh }])) });
  });
  // Append-only: every entry is created under a fresh id, never set over an existing one.
  for (const entry of logs) batch.create(db.collection(COLLECTIONS.editLog).doc(), entry);
  await batch.commit();
  return results;
}
