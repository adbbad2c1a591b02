import type ExcelJS from 'exceljs';
import type { SheetGrid } from '../../shared/sheets/column-map.js';
import type { LedgerBinding } from '../../shared/sheets/ledger-binding.js';
import { customerGridOf } from '../../shared/sheets/ledger-grid.js';
import type { CellSpan } from '../../shared/sheets/sheet-snapshot.js';

/**
 * Cell-level helpers shared by the local-workbook gateway (xlsx-sheets-gateway.ts) and the
 * edit write-back (xlsx-edit-writeback.ts): a cell as text, a sheet as the grid the pure
 * planners read, and the system's notes on refused cells.
 */

/**
 * The sheet as text, with its column tags (xlsx-defined-tags.ts) when given: what the pure plan
 * compares against. An adopted ledger (a binding given) reads as the planner reads it
 * (shared/sheets/ledger-grid.ts): its header row, its table's rows, its tagged columns only.
 */
export function readGrid(sheet: ExcelJS.Worksheet, tags?: ReadonlyMap<number, string>, binding?: LedgerBinding | null, merges?: readonly CellSpan[]): SheetGrid {
  if (binding !== undefined && binding !== null) return customerGridOf({ values: sheetTexts(sheet), columnTags: tags ?? new Map(), merges: merges ?? [], binding }).grid;
  const width = sheet.columnCount;
  const textsOf = (row: ExcelJS.Row) => {
    const cells: string[] = [];
    // findCell: reading makes no cells
    for (let column = 1; column <= width; column++) cells.push(cellText(row.findCell(column)?.value ?? null));
    return cells;
  };
  const header = textsOf(sheet.getRow(1));
  const rows: SheetGrid['rows'][number][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber > 1) rows.push({ row: rowNumber, cells: textsOf(row) });
  });
  return tags === undefined || tags.size === 0 ? { header, rows } : { header, rows, tags };
}

/** Every row's cells as text up to the sheet's width (row 1 first; a merged block's other cells read empty, as Google gives them). */
function sheetTexts(sheet: ExcelJS.Worksheet): string[][] {
  const width = sheet.columnCount;
  const out: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= width; column++) {
      const cell = row.findCell(column);
      cells.push(cell === undefined || (cell.isMerged && cell.master.address !== cell.address) ? '' : cellText(cell.value));
    }
    out[rowNumber - 1] = cells;
  });
  return Array.from(out, (r) => r ?? []);
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

/** Every line of the system's note starts with this, so it can be told from a manager's own note. */
export const SYSTEM_NOTE_MARK = '【未保存】';

/** A cell's note as plain text ('' when it has none). */
export function noteText(cell: ExcelJS.Cell): string {
  const note = cell.note as ExcelJS.Comment | string | undefined;
  if (note === undefined || note === null) return '';
  if (typeof note === 'string') return note;
  return (note.texts ?? []).map((t) => t.text).join('');
}

/**
 * A note with the system's line replaced: the manager's own lines are kept as they are, the
 * system's line (SYSTEM_NOTE_MARK + reason) is put after them, or removed when `reason` is null.
 * Pure, so the rule is tested without a workbook.
 */
export function mergeSystemNote(existing: string, reason: string | null): string {
  const own = existing.split('\n').filter((line) => !line.startsWith(SYSTEM_NOTE_MARK));
  while (own.length > 0 && own[own.length - 1]!.trim() === '') own.pop();
  if (reason !== null) own.push(`${SYSTEM_NOTE_MARK}${reason}`);
  return own.join('\n');
}

/** Sets or clears the system's note on a cell; true when the cell changed. */
export function setSystemNote(cell: ExcelJS.Cell, reason: string | null): boolean {
  const before = noteText(cell);
  const after = mergeSystemNote(before, reason);
  if (after === before) return false;
  if (after === '') {
    // exceljs 4.4 has no call that removes a note: assigning undefined leaves an empty comment
    // box behind. A cell keeps its note in a private field, and a cell read from a file also in
    // its value's model (lib/doc/cell.js): both go.
    const internals = cell as unknown as { _comment?: unknown; _value?: { model?: { comment?: unknown } } };
    internals._comment = undefined;
    if (internals._value?.model) delete internals._value.model.comment;
  } else {
    cell.note = after;
  }
  return true;
}
