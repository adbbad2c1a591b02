import { badRequest } from './google-error.js';
import { concreteRange, contains, intersects } from './merge-requests.js';
import type { GridRange } from './request-schemas.js';
import { requireSheetId, type Cell, type SpreadsheetModel } from './spreadsheet-model.js';

/**
 * sortRange, as a manager's "sort range" does it: the rows of the range are reordered by the
 * sort specs (later specs break ties; the sort is stable); only the cells inside the range
 * move. Empty cells sort last in either order; numbers before text before booleans; text by
 * code point (Google compares text by locale, which the project's tests do not rely on).
 * Row metadata is not moved (the project does not use any); formulas move as text, their
 * references not rewritten (Google adjusts relative ones).
 *
 * Merged cells: a range that holds part of a merged block is refused, and so are rows that one
 * merged block joins (no order of the rows keeps such a block whole: Google Sheets, Excel and
 * LibreOffice all refuse to sort them). The messages are the test server's own: Google's exact
 * wording is not known here. A block within one row of the range moves with its row (whether
 * Google sorts such rows or refuses them too is not confirmed; the project's tests do not sort
 * merged rows).
 */

export const SORT_CUTS_MERGE_MESSAGE = 'Cannot sort a range that holds part of a merged range: include all of its cells, or unmerge them first.';
export const SORT_JOINED_ROWS_MESSAGE = 'Cannot sort rows that are merged together: unmerge the cells first.';

export function sortRange(model: SpreadsheetModel, range: GridRange, specs: readonly { dimensionIndex: number; sortOrder: 'ASCENDING' | 'DESCENDING' }[]): void {
  const sheet = requireSheetId(model, range.sheetId);
  const target = concreteRange(sheet, range);
  const touched = sheet.merges.filter((m) => intersects(target, m));
  if (touched.some((m) => !contains(target, m))) throw badRequest(SORT_CUTS_MERGE_MESSAGE);
  if (touched.some((m) => m.endRowIndex - m.startRowIndex > 1)) throw badRequest(SORT_JOINED_ROWS_MESSAGE);

  const startRow = target.startRowIndex;
  const endRow = Math.min(target.endRowIndex, sheet.cells.length);
  const { startColumnIndex: startColumn, endColumnIndex: endColumn } = target;
  if (endRow <= startRow) return;
  const slices: (Cell | undefined)[][] = [];
  for (let r = startRow; r < endRow; r++) {
    const row = sheet.cells[r] ?? [];
    slices.push(Array.from({ length: endColumn - startColumn }, (_, c) => row[startColumn + c]));
  }
  const order = slices.map((cells, i) => ({ cells, i }));
  order.sort((a, b) => {
    for (const spec of specs) {
      const x = a.cells[spec.dimensionIndex - startColumn];
      const y = b.cells[spec.dimensionIndex - startColumn];
      const c = compare(x, y, spec.sortOrder === 'DESCENDING');
      if (c !== 0) return c;
    }
    return a.i - b.i;
  });
  const newRow = new Map<number, number>();
  order.forEach(({ cells, i }, k) => {
    newRow.set(startRow + i, startRow + k);
    const row = (sheet.cells[startRow + k] ??= []);
    cells.forEach((cell, c) => (row[startColumn + c] = cell));
  });
  for (const m of touched) {
    const to = newRow.get(m.startRowIndex);
    if (to !== undefined) [m.startRowIndex, m.endRowIndex] = [to, to + 1];
  }
}

function rank(cell: Cell): number {
  return typeof cell.value === 'number' ? 0 : typeof cell.value === 'string' ? 1 : 2;
}

function compare(x: Cell | undefined, y: Cell | undefined, descending: boolean): number {
  const empty = (c: Cell | undefined) => c === undefined || c.value === '';
  if (empty(x) || empty(y)) return Number(empty(x)) - Number(empty(y));
  const [a, b] = [x as Cell, y as Cell];
  const byKind = rank(a) - rank(b);
  const plain = byKind !== 0 ? byKind : a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  return descending ? -plain : plain;
}
