import type ExcelJS from 'exceljs';

/**
 * The local workbook's developer metadata: .xlsx has no developer metadata, so the tags that a
 * Google Sheet keeps on its columns and tabs (shared/sheets/sheet-contract.ts) are kept as
 * workbook defined names pointing at one cell:
 * - `wealth_ladder.column.当前等级` → the header cell of the column tagged 当前等级;
 * - `wealth_ladder.tab.待办` → cell A1 of the tab tagged 待办.
 * A name refers to a cell, and Excel, LibreOffice and WPS move the reference when columns are
 * inserted, deleted or moved and rewrite it when the tab is renamed (exceljs does the same for
 * its own spliceColumns), so a tag travels with its column and its tab as developer metadata
 * does. Deleting the column deletes the tag (the reference becomes #REF!, which is not read).
 * Names that are not ours are never touched.
 */

const COLUMN_PREFIX = 'wealth_ladder.column.';
const TAB_PREFIX = 'wealth_ladder.tab.';
/** what Excel allows in a name after its first character; anything else is written as hex */
const PLAIN = /^[\p{L}\p{N}_.]+$/u;
const HEX_MARK = '_x';

/** exceljs's defined names as they behave (its typings name other shapes) */
interface DefinedNamesApi {
  addEx(location: { sheetName: string; address: string; row: number; col: number }, name: string): unknown;
  forEach(callback: (name: string, cell: { sheetName?: string; row?: number; col?: number }) => void): void;
}
const namesOf = (workbook: ExcelJS.Workbook) => workbook.definedNames as unknown as DefinedNamesApi;

interface NamedCell {
  name: string;
  sheetName: string;
  row: number;
  col: number;
}

function namedCells(workbook: ExcelJS.Workbook): NamedCell[] {
  const out: NamedCell[] = [];
  namesOf(workbook).forEach((name, cell) => {
    if (cell.sheetName !== undefined && cell.row !== undefined && cell.col !== undefined) out.push({ name, sheetName: cell.sheetName, row: cell.row, col: cell.col });
  });
  return out;
}

/** `wealth_ladder.column.当前等级`; a value that is not plain letters and digits is written as hex (`…column._x…`). */
export function tagName(kind: 'column' | 'tab', value: string): string {
  const prefix = kind === 'column' ? COLUMN_PREFIX : TAB_PREFIX;
  return PLAIN.test(value) ? prefix + value : prefix + HEX_MARK + Buffer.from(value, 'utf8').toString('hex');
}

/** The value a name of ours carries, or null for any other name. */
export function tagValue(kind: 'column' | 'tab', name: string): string | null {
  const prefix = kind === 'column' ? COLUMN_PREFIX : TAB_PREFIX;
  if (!name.startsWith(prefix)) return null;
  const rest = name.slice(prefix.length);
  if (rest.startsWith(HEX_MARK) && /^[0-9a-f]+$/.test(rest.slice(HEX_MARK.length))) return Buffer.from(rest.slice(HEX_MARK.length), 'hex').toString('utf8');
  return rest === '' ? null : rest;
}

export interface WorkbookTags {
  /** tab title → the layout tab it is tagged as (the first name, by name order, when a tab has several) */
  tabs: Map<string, string>;
  /** tab title → 1-based column → the layout header it is tagged as */
  columns: Map<string, Map<number, string>>;
}

/** Every tag of ours in the workbook, by the tab's current title. */
export function readTags(workbook: ExcelJS.Workbook): WorkbookTags {
  const tabs = new Map<string, string>();
  const columns = new Map<string, Map<number, string>>();
  for (const cell of namedCells(workbook).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const tab = tagValue('tab', cell.name);
    if (tab !== null && !tabs.has(cell.sheetName)) tabs.set(cell.sheetName, tab);
    const column = tagValue('column', cell.name);
    if (column !== null) {
      const byColumn = columns.get(cell.sheetName) ?? new Map<number, string>();
      if (!byColumn.has(cell.col)) byColumn.set(cell.col, column);
      columns.set(cell.sheetName, byColumn);
    }
  }
  return { tabs, columns };
}

/**
 * exceljs writes a tab title inside a reference without doubling its quotes, so a name on a tab
 * whose title holds `'` would not read back: such a tab is not tagged (it is found by title).
 */
export function canTag(sheet: ExcelJS.Worksheet): boolean {
  return !sheet.name.includes("'");
}

export function tagTab(workbook: ExcelJS.Workbook, sheet: ExcelJS.Worksheet, name: string): void {
  if (canTag(sheet)) namesOf(workbook).addEx({ sheetName: sheet.name, address: 'A1', row: 1, col: 1 }, tagName('tab', name));
}

export function tagColumn(workbook: ExcelJS.Workbook, sheet: ExcelJS.Worksheet, column: number, header: string): void {
  if (canTag(sheet)) namesOf(workbook).addEx({ sheetName: sheet.name, address: `${sheet.getColumn(column).letter}1`, row: 1, col: column }, tagName('column', header));
}

/** Removes every tag of ours (names that are not ours are kept); answers how many names went. */
export function removeAllTags(workbook: ExcelJS.Workbook): number {
  // exceljs keeps each defined name as a matrix of cells (lib/doc/defined-names.js); its typings leave it out
  const names = workbook.definedNames as unknown as { matrixMap: Record<string, unknown> };
  let removed = 0;
  for (const name of Object.keys(names.matrixMap)) {
    if (tagValue('column', name) !== null || tagValue('tab', name) !== null) {
      delete names.matrixMap[name];
      removed++;
    }
  }
  return removed;
}
