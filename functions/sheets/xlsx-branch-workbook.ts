import { access, rename } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import {
  CONTACT_STATUS_HEADER,
  CUSTOMER_TAB,
  EDITABLE_HEADERS,
  LIST_TABS,
  columnRole,
  type ListTabName,
} from '../../shared/sheets/branch-layout.js';
import { allWrites, planCustomerSheet, readEditedRows, type CustomerSheetInput, type EditedRow, type SheetProblem } from '../../shared/sheets/customer-sheet-plan.js';
import { readSnapshot, snapshotOf, snapshotPath, writeSnapshot, type WorkbookSnapshot } from './workbook-snapshot.js';
import { cellText, paintContactStatus, readGrid } from './xlsx-cells.js';
import { ensureIdentity } from './xlsx-workbook-identity.js';

export { cellText, readGrid } from './xlsx-cells.js';

/**
 * The local-workbook gateway: a branch spreadsheet as an .xlsx file (what `npm start`
 * writes, and what LibreOffice, WPS or Excel open). 客户名单 is updated in place through the
 * pure plan (columns by header, rows by 客户号, only changed computed cells); the list tabs
 * belong to the system and are rewritten whole. The workbook carries its identity (a very
 * hidden `_ladder` tab: xlsx-workbook-identity.ts) and the snapshot beside it
 * (workbook-snapshot.ts) learns the editable cells written here, so that `ladder watch`
 * never takes the system's own writing for a manager's edit.
 */

export interface BranchWorkbookContent {
  /** the branch the workbook is for; a workbook already marked for another branch is refused */
  branchId: string;
  customers: CustomerSheetInput;
  /** rows of each list tab, in the tab's header order (shared/sheets/list-rows.ts) */
  lists: Readonly<Record<ListTabName, readonly (readonly string[])[]>>;
}

export interface BranchWorkbookReport {
  created: boolean;
  /** `xlsx:<uuid>`: what the branch document's `workbookId` must be for edits to be accepted */
  workbookId: string;
  branchId: string;
  /** rows of a workbook made before workbooks carried an identity, whose editable cells became the snapshot as they were */
  adoptedRows: number;
  appendedColumns: string[];
  cellsWritten: number;
  rowsAdded: number;
  unknownCustomers: string[];
  problems: SheetProblem[];
}

/** Sheet protection guards against accidents, not people: no password; the server re-validates every edit. */
const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  insertColumns: true,
  insertRows: false,
  deleteColumns: false,
  deleteRows: false,
  sort: true,
  autoFilter: true,
};

/** Creates or updates the branch workbook at `path` (written to a temporary file, then renamed into place). */
export async function writeBranchWorkbook(path: string, content: BranchWorkbookContent): Promise<BranchWorkbookReport> {
  const workbook = new ExcelJS.Workbook();
  const created = !(await exists(path));
  if (!created) await workbook.xlsx.readFile(path);

  const customers = workbook.getWorksheet(CUSTOMER_TAB) ?? workbook.addWorksheet(CUSTOMER_TAB, { views: [{ state: 'frozen', ySplit: 1 }] });
  for (const tab of LIST_TABS) if (workbook.getWorksheet(tab.name) === undefined) workbook.addWorksheet(tab.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const { identity, created: newIdentity } = await ensureIdentity(workbook, content.branchId);
  const sidecar = snapshotPath(path);
  const snapshot = snapshotOf(await readSnapshot(sidecar), identity);
  // A workbook from before workbooks had an identity: its editable cells are the starting point as they are.
  const adopted = !created && newIdentity ? readEditedRows(readGrid(customers)) : [];
  for (const row of adopted) snapshot.cells[row.customerId] ??= knownTexts(row.fields);

  const report = await updateCustomerSheet(customers, content.customers, snapshot);
  for (const tab of LIST_TABS) rewriteList(workbook.getWorksheet(tab.name)!, tab.headers, content.lists[tab.name]);

  const temporary = `${path}.${process.pid}.tmp`;
  await workbook.xlsx.writeFile(temporary);
  await rename(temporary, path);
  // Every computed cell is this run's now; an unsent edit may be in the file, so its bytes are not marked as seen.
  snapshot.answered = {};
  snapshot.fileHash = null;
  await writeSnapshot(sidecar, snapshot);
  return { created, workbookId: identity.workbookId, branchId: identity.branchId, adoptedRows: adopted.length, ...report };
}

function knownTexts(fields: EditedRow['fields']): Record<string, string> {
  const known: Record<string, string> = {};
  for (const [header, text] of Object.entries(fields)) if (text !== undefined && text !== '') known[header] = text;
  return known;
}

/** The editable columns of 客户名单 as the branch left them, row by row (rows without a 客户号 are skipped). */
export async function readBranchEdits(path: string): Promise<EditedRow[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.getWorksheet(CUSTOMER_TAB);
  return sheet === undefined ? [] : readEditedRows(readGrid(sheet));
}

type SheetReport = Omit<BranchWorkbookReport, 'created' | 'workbookId' | 'branchId' | 'adoptedRows'>;

async function updateCustomerSheet(sheet: ExcelJS.Worksheet, input: CustomerSheetInput, snapshot: WorkbookSnapshot): Promise<SheetReport> {
  const plan = planCustomerSheet(readGrid(sheet), input);
  const writes = allWrites(plan);
  for (const w of writes) sheet.getCell(w.row, w.column).value = w.value;
  // A new row's editable cells (the archive on record) are the system's writing, not an edit.
  const editable = new Set<string>(EDITABLE_HEADERS);
  const headerOf = new Map([...plan.columns].map(([header, column]) => [column, header]));
  for (const row of plan.newRows) {
    const known: Record<string, string> = {};
    for (const w of row.writes) {
      const header = headerOf.get(w.column);
      if (header !== undefined && editable.has(header) && w.value.trim() !== '') known[header] = w.value.trim();
    }
    snapshot.cells[row.customerId] = known;
  }
  if (plan.map.key !== null || plan.appendColumns.length > 0) await protectCustomerSheet(sheet, plan.columns.get(CONTACT_STATUS_HEADER) ?? null);
  return {
    appendedColumns: plan.appendColumns.map((w) => w.value),
    cellsWritten: writes.length,
    rowsAdded: plan.newRows.length,
    unknownCustomers: plan.unknownCustomers,
    problems: plan.problems,
  };
}

/**
 * Locks the key and computed columns and unlocks everything else (editable columns and the
 * branch's own), then colours the contact status. Styles read from a file are shared between
 * cells, so each cell gets a fresh style object rather than a mutated one.
 */
async function protectCustomerSheet(sheet: ExcelJS.Worksheet, statusColumn: number | null): Promise<void> {
  const header = sheet.getRow(1);
  const width = sheet.columnCount;
  const height = sheet.rowCount;
  // Printing (and PDF export) fits every column on the page width, header row repeated; the
  // header stays in view while scrolling. Neither touches a manager's cells.
  sheet.pageSetup = { ...sheet.pageSetup, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' };
  // A workbook saved without views reads back with none at all (null), not an empty list.
  if ((sheet.views ?? []).length === 0) sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 1 }];
  // Layout columns get a readable width once; a width the manager set is theirs and is kept.
  for (let column = 1; column <= width; column++) {
    const role = columnRole(cellText(header.getCell(column).value));
    const col = sheet.getColumn(column);
    if (role !== null && col.width === undefined) col.width = role === 'computed' ? 16 : 13;
  }
  for (let column = 1; column <= width; column++) {
    const text = cellText(header.getCell(column).value);
    const role = columnRole(text);
    const locked = role === 'key' || role === 'computed';
    for (let row = 1; row <= height; row++) {
      // Header cells of layout columns stay locked: renaming one would lose the column.
      const lockCell = locked || (row === 1 && role !== null);
      restyle(sheet.getCell(row, column), { protection: { locked: lockCell } });
    }
  }
  if (statusColumn !== null) {
    for (let row = 2; row <= height; row++) paintContactStatus(sheet.getCell(row, statusColumn));
  }
  await sheet.protect('', PROTECTION);
}

function restyle(cell: ExcelJS.Cell, patch: Partial<ExcelJS.Style>): void {
  cell.style = { ...cell.style, ...patch };
}

/** A system-owned list: header and rows written, anything below the new last row removed. */
function rewriteList(sheet: ExcelJS.Worksheet, headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const oldHeight = sheet.rowCount;
  const all = [headers, ...rows];
  all.forEach((values, index) => {
    const row = sheet.getRow(index + 1);
    row.values = [...values];
  });
  if (oldHeight > all.length) sheet.spliceRows(all.length + 1, oldHeight - all.length);
  sheet.getRow(1).font = { bold: true };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
