import { access, rename } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import {
  CONTACT_STATUS_HEADER,
  CUSTOMER_TAB,
  LIST_TABS,
  columnRole,
  type ListTabName,
} from '../../shared/sheets/branch-layout.js';
import type { SheetGrid } from '../../shared/sheets/column-map.js';
import { allWrites, planCustomerSheet, readEditedRows, type CustomerSheetInput, type EditedRow, type SheetProblem } from '../../shared/sheets/customer-sheet-plan.js';

/**
 * The local-workbook gateway: a branch spreadsheet as an .xlsx file (what `npm start`
 * writes, and what LibreOffice, WPS or Excel open). 客户名单 is updated in place through the
 * pure plan (columns by header, rows by 客户号, only changed computed cells); the list tabs
 * belong to the system and are rewritten whole.
 */

export interface BranchWorkbookContent {
  customers: CustomerSheetInput;
  /** rows of each list tab, in the tab's header order (shared/sheets/list-rows.ts) */
  lists: Readonly<Record<ListTabName, readonly (readonly string[])[]>>;
}

export interface BranchWorkbookReport {
  created: boolean;
  appendedColumns: string[];
  cellsWritten: number;
  rowsAdded: number;
  unknownCustomers: string[];
  problems: SheetProblem[];
}

type Fill = ExcelJS.Fill;
const STATUS_FILLS: Readonly<Record<string, Fill>> = {
  逾期: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } },
  今日: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } },
  本周: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } },
};

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
  const report = await updateCustomerSheet(customers, content.customers);
  for (const tab of LIST_TABS) {
    const sheet = workbook.getWorksheet(tab.name) ?? workbook.addWorksheet(tab.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    rewriteList(sheet, tab.headers, content.lists[tab.name]);
  }

  const temporary = `${path}.${process.pid}.tmp`;
  await workbook.xlsx.writeFile(temporary);
  await rename(temporary, path);
  return { created, ...report };
}

/** The editable columns of 客户名单 as the branch left them, row by row (rows without a 客户号 are skipped). */
export async function readBranchEdits(path: string): Promise<EditedRow[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.getWorksheet(CUSTOMER_TAB);
  return sheet === undefined ? [] : readEditedRows(readGrid(sheet));
}

async function updateCustomerSheet(sheet: ExcelJS.Worksheet, input: CustomerSheetInput): Promise<Omit<BranchWorkbookReport, 'created'>> {
  const plan = planCustomerSheet(readGrid(sheet), input);
  const writes = allWrites(plan);
  for (const w of writes) sheet.getCell(w.row, w.column).value = w.value;
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
  if (sheet.views.length === 0) sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 1 }];
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
    for (let row = 2; row <= height; row++) {
      const cell = sheet.getCell(row, statusColumn);
      const fill = STATUS_FILLS[cellText(cell.value)];
      const { fill: _old, ...rest } = cell.style;
      cell.style = fill === undefined ? rest : { ...rest, fill };
    }
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

/** The sheet as text: what the pure plan compares against. */
export function readGrid(sheet: ExcelJS.Worksheet): SheetGrid {
  const width = sheet.columnCount;
  const textsOf = (row: ExcelJS.Row) => {
    const cells: string[] = [];
    for (let column = 1; column <= width; column++) cells.push(cellText(row.getCell(column).value));
    return cells;
  };
  const header = textsOf(sheet.getRow(1));
  const rows: SheetGrid['rows'][number][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber > 1) rows.push({ row: rowNumber, cells: textsOf(row) });
  });
  return { header, rows };
}

/** A cell's value as the text a manager sees; a date typed into a cell reads as YYYY-MM-DD. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('hyperlink' in value) return String(value.text);
    if ('error' in value) return String(value.error);
  }
  return '';
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
