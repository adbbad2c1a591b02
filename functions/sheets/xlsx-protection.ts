import type ExcelJS from 'exceljs';
import { columnRole, normalizeHeader } from '../../shared/sheets/branch-layout.js';
import { protectionDescription } from '../../shared/sheets/sheet-contract.js';
import type { ProtectionSnapshot } from '../../shared/sheets/sheet-snapshot.js';

/**
 * Protection of a local workbook, as the port sees it. An .xlsx sheet has one protection
 * switch and a "locked" flag per cell (and per column, for cells not yet made), so a Google
 * protected range maps to: the sheet protected, and the range's cells locked while the other
 * cells are unlocked. Read back, the protected ranges are what the workbook really is — a
 * protected 客户名单's key or computed column whose every cell is locked, a protected list tab
 * whose every cell is locked — so a manager who unprotects a sheet or unlocks a column sees
 * it protected again the next night, as a deleted protected range is re-created in Google.
 * The description is the one the Google range would carry (sheet-contract.ts).
 *
 * No password: like Google's warning-only protection it stops accidents, not people (Review ▸
 * Unprotect Sheet lifts it), and every value a manager may change is validated by the
 * sheet-edit path anyway.
 */

export const SHEET_PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
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

/** Ids of protected ranges: sheet id and column (0 for the whole tab), so that a change can name it. */
const PER_SHEET = 100_000;
export function protectionId(sheetId: number, column: number): number {
  return sheetId * PER_SHEET + column;
}
export function protectionTarget(id: number): { sheetId: number; column: number } {
  return { sheetId: Math.floor(id / PER_SHEET), column: id % PER_SHEET };
}

/** exceljs keeps the protection it read (or set) in `sheetProtection`, which its typings leave out. */
export function isProtected(sheet: ExcelJS.Worksheet): boolean {
  return (sheet as unknown as { sheetProtection?: { sheet?: boolean } | null }).sheetProtection?.sheet === true;
}

/** A cell is locked unless its style (or, for a cell not yet made, its column's) says otherwise: the xlsx default. */
function columnStyleLocked(sheet: ExcelJS.Worksheet, column: number): boolean {
  return sheet.columns?.[column - 1]?.style?.protection?.locked !== false;
}

export function columnLocked(sheet: ExcelJS.Worksheet, column: number): boolean {
  if (!columnStyleLocked(sheet, column)) return false;
  for (let row = 1; row <= sheet.rowCount; row++) {
    const cell = sheet.findCell(row, column);
    if (cell !== undefined && cell.protection?.locked === false) return false;
  }
  return true;
}

/** Every cell of the column from `fromRow` down open to typing, rows to come included. */
function columnOpen(sheet: ExcelJS.Worksheet, column: number, fromRow: number): boolean {
  if (columnStyleLocked(sheet, column)) return false;
  for (let row = fromRow; row <= sheet.rowCount; row++) {
    const cell = sheet.findCell(row, column);
    if (cell !== undefined && cell.protection?.locked !== false) return false;
  }
  return true;
}

export interface LayoutTab {
  /** the layout tab this tab is (by its tag, else its title), or null for a tab of the branch's own */
  name: string | null;
  isCustomerTab: boolean;
}

/**
 * The protected ranges a tab holds: for 客户名单, each key or computed column (by its tag, else
 * its header) all of whose cells are locked; for a list tab, the whole tab when all its cells
 * are locked. Nothing when the sheet is not protected.
 *
 * On 客户名单 the protection is the whole arrangement: the protected columns locked and every
 * other column open (the editable ones below their header, the branch's own ones whole). When
 * another column has locked cells — Excel and LibreOffice format an inserted column like its
 * neighbour, so a column a manager inserts beside a computed one comes locked — the
 * arrangement is not the system's, none of it is reported, and the next run sets it again:
 * their column opens. (A Google protected range covers its own column only, so there an
 * inserted column is open from the start.)
 */
export function protectionsOf(sheet: ExcelJS.Worksheet, layout: LayoutTab, header: readonly string[], columnTags: ReadonlyMap<number, string>): ProtectionSnapshot[] {
  if (!isProtected(sheet) || layout.name === null) return [];
  if (!layout.isCustomerTab) {
    const width = Math.max(sheet.columnCount, sheet.columns?.length ?? 0);
    for (let column = 1; column <= width; column++) if (!columnLocked(sheet, column)) return [];
    // spans as the Google gateway reads them back: open ends left out, starts always given
    return [{ id: protectionId(sheet.id, 0), description: protectionDescription({ kind: 'tab', name: layout.name }), span: { fromRow: 1, fromColumn: 1 } }];
  }
  const out: ProtectionSnapshot[] = [];
  const width = Math.max(sheet.columnCount, header.length, ...columnTags.keys());
  for (let column = 1; column <= width; column++) {
    const name = columnTags.get(column) ?? normalizeHeader(header[column - 1] ?? '');
    const role = columnRole(name);
    if ((role === 'key' || role === 'computed') && columnLocked(sheet, column)) {
      out.push({ id: protectionId(sheet.id, column), description: protectionDescription({ kind: 'column', name }), span: { fromRow: 1, fromColumn: column, toColumn: column } });
    } else if (!columnOpen(sheet, column, role === null ? 1 : 2)) {
      return [];
    }
  }
  return out;
}

/** columns beyond the last used one whose rows to come are opened on 客户名单 */
const OPEN_BEYOND = 26;

/** What a tab should be protected as after a batch of changes. */
export interface ProtectionState {
  wholeTab: boolean;
  columns: Set<number>;
}

/**
 * Makes the sheet what `state` says: the sheet protected when anything is, the protected
 * columns' cells (and column style, for rows to come) locked, every other cell unlocked — the
 * editable columns and the branch's own — except the header cells of layout columns
 * (`headerLocked`), which stay locked so that a header is not retyped by accident. Styles read
 * from a file are shared between cells, so a cell that changes gets a fresh style object.
 */
export async function renderProtection(sheet: ExcelJS.Worksheet, state: ProtectionState, headerLocked: (column: number) => boolean): Promise<void> {
  if (!state.wholeTab && state.columns.size === 0) {
    sheet.unprotect();
    return;
  }
  // one screen of columns beyond the last used one opens too, for columns the branch adds at the right
  const width = Math.max(sheet.columnCount, sheet.columns?.length ?? 0, ...state.columns) + (state.wholeTab ? 0 : OPEN_BEYOND);
  for (let column = 1; column <= width; column++) {
    const locked = state.wholeTab || state.columns.has(column);
    setColumnLock(sheet, column, locked);
    for (let row = 1; row <= sheet.rowCount; row++) {
      // a cell not made yet follows its column's lock
      const cell = sheet.findCell(row, column);
      if (cell !== undefined) setLock(cell, locked || (row === 1 && headerLocked(column)));
    }
  }
  if (!isProtected(sheet)) await sheet.protect('', SHEET_PROTECTION);
}

/** The lock of cells a column does not hold yet (rows typed or appended later). */
export function setColumnLock(sheet: ExcelJS.Worksheet, column: number, locked: boolean): void {
  const col = sheet.getColumn(column);
  if ((col.style?.protection?.locked !== false) === locked) return;
  col.style = { ...col.style, protection: { locked } };
}

function setLock(cell: ExcelJS.Cell, locked: boolean): void {
  if ((cell.protection?.locked !== false) === locked) return;
  cell.style = { ...cell.style, protection: { locked } };
}
