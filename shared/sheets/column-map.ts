import { columnRole, KEY_HEADER, normalizeHeader, type ColumnRole } from './branch-layout.js';

/**
 * A sheet as read, before anything is written: header texts and row texts by column
 * (index 0 = column A). Row numbers are the sheet's own (1-based; the header is row 1), so
 * rows are found wherever a sort or filter has put them.
 */
export interface SheetGrid {
  header: readonly string[];
  rows: readonly GridRow[];
  /**
   * Developer metadata (Google Sheets): 1-based column → the layout header the system tagged
   * it with. A tagged column is that layout column whatever its header now says. Absent for a
   * local workbook, whose columns are found by header only.
   */
  tags?: ReadonlyMap<number, string>;
  /** the row holding the header (1 for the system's own layout; an adopted ledger's header may be lower) */
  headerRow?: number;
  /**
   * Columns are layout columns by their tags only: an adopted ledger's own header words (客户编号,
   * or a 当前等级 of the branch's) never make a column the system's.
   */
  tagsOnly?: boolean;
  /** the tab's used width when rows beyond `rows` (titles, a totals row) reach further */
  width?: number;
  /** the layout columns to append when missing (all of them when absent; an adopted ledger gets only the computed ones) */
  appendHeaders?: readonly string[];
  /** where new customers' rows go: undefined for after the last used row, null for nowhere (they are listed instead) */
  appendAt?: number | null;
}

export interface GridRow {
  row: number;
  cells: readonly string[];
}

/** Where the layout's columns are now (1-based column numbers), whatever order the branch chose. */
export interface ColumnMap {
  /** the 客户号 column, or null when the sheet has none */
  key: number | null;
  /** layout header → its column (a tagged column first, else the first one with the header) */
  columns: ReadonlyMap<string, number>;
  /** layout headers found by their metadata tag; the others were found by header text (or are missing) */
  tagged: ReadonlySet<string>;
  /** columns whose header is not in the layout: the branch's own, never written */
  own: readonly number[];
  /** layout headers found in more than one column (by tag or by text): only `columns` is used */
  duplicates: readonly { header: string; columns: number[] }[];
  /** tagged columns whose header text now says something else (the branch renamed it); still that layout column */
  renamed: readonly { header: string; column: number; text: string }[];
  /** one past the last column holding anything (or tagged): where missing columns are appended */
  nextColumn: number;
}

/**
 * Reads the header row (and the column tags, when there are any) into a column map.
 * Metadata first, header second: a column tagged 当前等级 is 当前等级 even when the manager
 * renamed its header to 等级; a header cell naming a layout column that a tag has placed
 * elsewhere is a duplicate, not used. A header cell the layout does not know is the branch's.
 */
export function mapColumns(grid: SheetGrid): ColumnMap {
  const columns = new Map<string, number>();
  const tagged = new Set<string>();
  const seen = new Map<string, number[]>();
  const own: number[] = [];
  const renamed: { header: string; column: number; text: string }[] = [];
  const claimed = new Set<number>();
  const note = (header: string, column: number) => {
    const at = seen.get(header) ?? [];
    at.push(column);
    seen.set(header, at);
  };
  for (const [column, header] of [...(grid.tags ?? [])].sort(([a], [b]) => a - b)) {
    if (columnRole(header) === null || claimed.has(column)) continue;
    claimed.add(column);
    note(header, column);
    if (columns.has(header)) continue;
    columns.set(header, column);
    tagged.add(header);
    const text = normalizeHeader(grid.header[column - 1] ?? '');
    if (text !== header) renamed.push({ header, column, text });
  }
  grid.header.forEach((text, index) => {
    const column = index + 1;
    const header = normalizeHeader(text);
    if (header === '' || claimed.has(column)) return;
    if (grid.tagsOnly === true || columnRole(header) === null) {
      own.push(column);
      return;
    }
    note(header, column);
    if (!columns.has(header)) columns.set(header, column);
  });
  const duplicates = [...seen.entries()].filter(([, at]) => at.length > 1).map(([header, at]) => ({ header, columns: [...at].sort((a, b) => a - b) }));
  const lastTagged = Math.max(0, ...claimed);
  return { key: columns.get(KEY_HEADER) ?? null, columns, tagged, own, duplicates, renamed, nextColumn: Math.max(usedWidth(grid), grid.width ?? 0, lastTagged) + 1 };
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
export function gridFromValues(values: readonly (readonly string[])[], tags?: ReadonlyMap<number, string>): SheetGrid {
  const [header = [], ...rest] = values;
  const grid: SheetGrid = { header, rows: rest.map((cells, i) => ({ row: i + 2, cells })) };
  return tags === undefined ? grid : { ...grid, tags };
}
