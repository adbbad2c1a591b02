import { columnRole, KEY_HEADER, normalizeHeader, type ColumnRole } from './branch-layout.js';

/**
 * A sheet as read, before anything is written: header texts and row texts by column
 * (index 0 = column A). Row numbers are the sheet's own (1-based; the header is row 1), so
 * rows are found wherever a sort or filter has put them.
 */
export interface SheetGrid {
  header: readonly string[];
  rows: readonly GridRow[];
}

export interface GridRow {
  row: number;
  cells: readonly string[];
}

/** Where the layout's columns are now (1-based column numbers), whatever order the branch chose. */
export interface ColumnMap {
  /** the 客户号 column, or null when the sheet has none */
  key: number | null;
  /** layout header → its column (the first one, when a header appears twice) */
  columns: ReadonlyMap<string, number>;
  /** columns whose header is not in the layout: the branch's own, never written */
  own: readonly number[];
  /** layout headers found more than once: only the first is used */
  duplicates: readonly { header: string; columns: number[] }[];
  /** one past the last column holding anything: where missing columns are appended */
  nextColumn: number;
}

/** Reads the header row into a column map. A header cell the layout does not know is the branch's. */
export function mapColumns(grid: SheetGrid): ColumnMap {
  const columns = new Map<string, number>();
  const seen = new Map<string, number[]>();
  const own: number[] = [];
  grid.header.forEach((text, index) => {
    const column = index + 1;
    const header = normalizeHeader(text);
    if (header === '') return;
    if (columnRole(header) === null) {
      own.push(column);
      return;
    }
    const at = seen.get(header) ?? [];
    at.push(column);
    seen.set(header, at);
    if (!columns.has(header)) columns.set(header, column);
  });
  const duplicates = [...seen.entries()].filter(([, at]) => at.length > 1).map(([header, at]) => ({ header, columns: at }));
  return { key: columns.get(KEY_HEADER) ?? null, columns, own, duplicates, nextColumn: usedWidth(grid) + 1 };
}

/** The role of a column in a map: key, editable, computed, or null (the branch's own or blank). */
export function roleOfColumn(map: ColumnMap, column: number): ColumnRole | null {
  for (const [header, at] of map.columns) if (at === column) return columnRole(header);
  return null;
}

/** The last column with a header or any value (0 for an empty sheet). */
export function usedWidth(grid: SheetGrid): number {
  let width = lastFilled(grid.header);
  for (const r of grid.rows) width = Math.max(width, lastFilled(r.cells));
  return width;
}

/** The last row with any value (1 when only the header, or nothing, is there). */
export function usedHeight(grid: SheetGrid): number {
  let height = 1;
  for (const r of grid.rows) if (lastFilled(r.cells) > 0) height = Math.max(height, r.row);
  return height;
}

function lastFilled(cells: readonly string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if ((cells[i] ?? '').trim() !== '') return i + 1;
  return 0;
}

/** The text of a cell of a row (empty beyond the row's last cell). */
export function cellAt(row: GridRow, column: number): string {
  return row.cells[column - 1] ?? '';
}

/** A tab's values as an API returns them (first row = header) → the grid the planner reads; rows keep their sheet numbers. */
export function gridFromValues(values: readonly (readonly string[])[]): SheetGrid {
  const [header = [], ...rest] = values;
  return { header, rows: rest.map((cells, i) => ({ row: i + 2, cells })) };
}
