import type { Firestore } from '@google-cloud/firestore';
import { readFile, rm } from 'node:fs/promises';
import { columnRole, CUSTOMER_TAB, LAYOUT_TAB_NAMES } from '../../shared/sheets/branch-layout.js';
import { COLLECTIONS } from '../store/collections.js';
import { hashOf, snapshotPath } from './workbook-snapshot.js';
import { removeTextRulesOn } from './xlsx-conditional-rules.js';
import { readTags, removeAllTags } from './xlsx-defined-tags.js';
import { replaceIfUnchanged } from './xlsx-sheets-gateway.js';
import { customerSheetOf } from './xlsx-spreadsheet-snapshot.js';
import { IDENTITY_TAB, readIdentity } from './xlsx-workbook-identity.js';
import { loadWorkbook } from './xlsx-workbook-file.js';

/**
 * Undoing an adoption of a local ledger (`ladder unbind FILE.xlsx`): the workbook goes back to
 * being only the branch's. What the system added is taken out — the computed columns' cells
 * emptied (the columns themselves stay, so no formula of the branch's shifts) with their colour
 * rules, the list tabs it owns, its tags (defined names), the binding and the identity tab — and
 * the workbook is no longer the branch's registered workbook, so no nightly run writes it again.
 * The branch's own cells, tabs and formulas are not touched. The archive already read into
 * Firestore stays there (it is the bank's record now; the edit log says where it came from).
 */

export interface UnbindReport {
  branchId: string;
  workbookId: string;
  computedColumnsCleared: number;
  tabsRemoved: string[];
  tagsRemoved: number;
  /** the branch's registered workbook was this one and is none now */
  unregistered: boolean;
}

export class UnbindError extends Error {
  override readonly name = 'UnbindError';
}

export async function unbindWorkbook(db: Firestore, path: string): Promise<UnbindReport> {
  const bytes = await readFile(path);
  const workbook = await loadWorkbook(bytes);
  const identity = readIdentity(workbook);
  if (identity === null) throw new UnbindError(`${path} is not bound (it has no ${IDENTITY_TAB} tab)`);
  const customer = customerSheetOf(workbook);
  if (customer === null || customer.binding === null) throw new UnbindError(`${path} is not an adopted ledger (no binding in its ${IDENTITY_TAB} tab); a workbook the system laid out is simply deleted or kept as it is`);
  let cleared = 0;
  for (const [column, header] of customer.tags) {
    if (columnRole(header) !== 'computed') continue;
    customer.sheet.getColumn(column).eachCell({ includeEmpty: false }, (cell) => {
      cell.value = null;
    });
    removeTextRulesOn(customer.sheet, column);
    cleared++;
  }
  const tabTags = readTags(workbook).tabs;
  const removed: string[] = [];
  for (const sheet of [...workbook.worksheets]) {
    const tag = tabTags.get(sheet.name);
    if (sheet.name === IDENTITY_TAB || (tag !== undefined && tag !== CUSTOMER_TAB && LAYOUT_TAB_NAMES.includes(tag))) {
      removed.push(sheet.name);
      workbook.removeWorksheet(sheet.id);
    }
  }
  const tagsRemoved = removeAllTags(workbook);
  const out = Buffer.from(await workbook.xlsx.writeBuffer());
  if (!(await replaceIfUnchanged(path, hashOf(bytes), out))) throw new UnbindError(`${path} was saved while it was being unbound; nothing was written, try again`);
  const ref = db.collection(COLLECTIONS.branches).doc(identity.branchId);
  const unregistered = await db.runTransaction(async (tx) => {
    const branch = await tx.get(ref);
    if (!branch.exists || branch.get('workbookId') !== identity.workbookId) return false;
    tx.update(ref, { workbookId: null });
    return true;
  });
  await rm(snapshotPath(path), { force: true });
  return { branchId: identity.branchId, workbookId: identity.workbookId, computedColumnsCleared: cleared, tabsRemoved: removed.filter((n) => n !== IDENTITY_TAB), tagsRemoved, unregistered };
}
