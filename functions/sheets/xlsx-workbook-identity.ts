import { randomUUID } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { LOCAL_WORKBOOK_ID_PREFIX } from '../store/firestore-sheet-edits.js';
import { bindingFromText, bindingToText, type LedgerBinding } from '../../shared/sheets/ledger-binding.js';
import { cellText } from './xlsx-cells.js';

/**
 * Which branch a local workbook is, and which workbook: a very hidden tab `_ladder` written
 * with the workbook, holding its id (`xlsx:<uuid>`, made once, never changed) and its branch.
 * The id travels with the file (a copy or a rename keeps it) and is registered on the branch
 * document as `workbookId`, which is what the sheet-edit path checks an edit's sheet against,
 * as it checks a Google Sheet's id against `spreadsheetId`. Excel and WPS keep the tab very
 * hidden; LibreOffice keeps it hidden. Rows are found by their label, not by position.
 */

export const IDENTITY_TAB = '_ladder';
const NOTICE = '本页由系统维护，请勿修改或删除（工作簿编号用于确认此表格属于哪个支行）';
const ID_LABEL = '工作簿编号';
const BRANCH_LABEL = '支行';
/** an adopted ledger's binding (shared/sheets/ledger-binding.ts), as JSON; the tab it binds is the one tagged 客户名单 */
const BINDING_LABEL = '台账绑定';

export interface WorkbookIdentity {
  workbookId: string;
  branchId: string;
}

export class WorkbookIdentityError extends Error {
  override readonly name = 'WorkbookIdentityError';
}

/** The identity the workbook carries, or null when it has no `_ladder` tab (a workbook made before, or not by, the system). */
export function readIdentity(workbook: ExcelJS.Workbook): WorkbookIdentity | null {
  const tab = workbook.getWorksheet(IDENTITY_TAB);
  if (tab === undefined) return null;
  const values = new Map<string, string>();
  tab.eachRow((row) => {
    values.set(cellText(row.getCell(1).value).trim(), cellText(row.getCell(2).value).trim());
  });
  const workbookId = values.get(ID_LABEL) ?? '';
  const branchId = values.get(BRANCH_LABEL) ?? '';
  if (!workbookId.startsWith(LOCAL_WORKBOOK_ID_PREFIX) || workbookId.length <= LOCAL_WORKBOOK_ID_PREFIX.length || branchId === '') {
    throw new WorkbookIdentityError(`the ${IDENTITY_TAB} tab does not hold a workbook id (${ID_LABEL}: "${workbookId}") and a branch (${BRANCH_LABEL}: "${branchId}")`);
  }
  return { workbookId, branchId };
}

/**
 * The workbook's identity, given to it now if it has none. A workbook that already belongs to
 * another branch is refused: writing branch A's customers into branch B's file would mix them.
 */
export async function ensureIdentity(workbook: ExcelJS.Workbook, branchId: string): Promise<{ identity: WorkbookIdentity; created: boolean }> {
  const existing = readIdentity(workbook);
  if (existing !== null) {
    if (existing.branchId !== branchId) throw new WorkbookIdentityError(`the workbook belongs to branch ${existing.branchId} (its ${IDENTITY_TAB} tab), not ${branchId}`);
    return { identity: existing, created: false };
  }
  const identity = { workbookId: `${LOCAL_WORKBOOK_ID_PREFIX}${randomUUID()}`, branchId };
  const tab = workbook.addWorksheet(IDENTITY_TAB, { state: 'veryHidden' });
  tab.addRow([NOTICE]);
  tab.addRow([ID_LABEL, identity.workbookId]);
  tab.addRow([BRANCH_LABEL, identity.branchId]);
  tab.getColumn(1).width = 14;
  tab.getColumn(2).width = 48;
  await tab.protect('', { selectLockedCells: true, selectUnlockedCells: true });
  return { identity, created: true };
}

/** The ledger binding the identity tab holds, or null (none, or not one this version reads). */
export function readBinding(workbook: ExcelJS.Workbook): LedgerBinding | null {
  const tab = workbook.getWorksheet(IDENTITY_TAB);
  if (tab === undefined) return null;
  let text: string | null = null;
  tab.eachRow((row) => {
    if (cellText(row.getCell(1).value).trim() === BINDING_LABEL) text = cellText(row.getCell(2).value);
  });
  return bindingFromText(text);
}

/** Stores (or replaces) the binding in the identity tab, which must exist; null removes it. */
export function writeBinding(workbook: ExcelJS.Workbook, binding: LedgerBinding | null): void {
  const tab = workbook.getWorksheet(IDENTITY_TAB);
  if (tab === undefined) throw new WorkbookIdentityError(`the workbook has no ${IDENTITY_TAB} tab to keep the ledger binding in`);
  let at: number | null = null;
  tab.eachRow((row, rowNumber) => {
    if (cellText(row.getCell(1).value).trim() === BINDING_LABEL) at ??= rowNumber;
  });
  if (binding === null) {
    if (at !== null) tab.spliceRows(at, 1);
    return;
  }
  const row = tab.getRow(at ?? tab.rowCount + 1);
  row.getCell(1).value = BINDING_LABEL;
  row.getCell(2).value = bindingToText(binding);
}
