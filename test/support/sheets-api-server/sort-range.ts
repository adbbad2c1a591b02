import type { GridRange } from './request-schemas.js';
import { requireSheetId, type Cell, type SpreadsheetModel } from './spreadsheet-model.js';

/**
 * sortRange, as a manager's "sort range" does it: the rows of the range are reordered by the
 * sort specs (later specs break ties; the sort is stable); only the cells inside the range
 * move. Empty cells sort last in either order; numbers before text before booleans; text by
 * code point (Google compares text by locale, which the project's tests do not rely on).
 * Row metadata is not moved (the project does not use any).
 */
export function sortRange(model: SpreadsheetModel, range: GridRange, specs: readonly { dimensionIndex: number; sortOrder: 'ASCENDING' | 'DESCENDING' }[]): void {
  const sheet = requireSheetId(model, range.sheetId);
  const grid = sheet.properties.gridProperties;
  const startRow = range.startRowIndex ?? 0;
  const endRow = Math.min(range.endRowIndex ?? grid.rowCount, sheet.cells.length);
  const startColumn = range.startColumnIndex ?? 0;
  const endColumn = range.endColumnIndex ?? grid.columnCount;
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
  order.forEach(({ cells }, k) => {
    const row = (sheet.cells[startRow + k] ??= []);
    cells.forEach((cell, c) => (row[startColumn + c] = cell));
  });
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
