import { columnRole, COMPUTED_HEADERS, CUSTOMER_HEADERS, EDITABLE_HEADERS, KEY_HEADER, type EditableHeader } from './branch-layout.js';
import { cellAt, mapColumns, usedHeight, type ColumnMap, type SheetGrid } from './column-map.js';
import type { ComputedCells } from './customer-cells.js';

/** One cell to set, by the sheet's own row and column numbers (1-based). */
export interface CellWrite {
  row: number;
  column: number;
  value: string;
}

export type SheetProblemCode = 'KEY_COLUMN_MISSING' | 'DUPLICATE_HEADER' | 'HEADER_MISMATCH' | 'DUPLICATE_CUSTOMER' | 'HEADER_ROW_LOST' | 'HEADER_ROW_MOVED' | 'HEADER_RENAMED';

export interface SheetProblem {
  code: SheetProblemCode;
  /** in words a branch manager understands */
  message: string;
}

/**
 * What to write to 客户名单 so that it shows the new figures, and nothing else:
 * - `appendColumns`: layout columns the sheet lacks, placed after the last used column
 *   (never over or between the branch's columns);
 * - `cellWrites`: computed cells of existing rows whose text differs from the new text;
 * - `newRows`: customers not yet in the sheet, after the last used row (an adopted ledger's
 *   grid may say elsewhere, or nowhere: then they are `missing`, listed and not added).
 * Existing rows are found by 客户号, wherever sorting has put them. Editable cells of existing
 * rows, the branch's own columns and rows of customers not given are never written.
 */
export interface CustomerSheetPlan {
  map: ColumnMap;
  appendColumns: CellWrite[];
  /** layout header → column, including appended columns */
  columns: ReadonlyMap<string, number>;
  cellWrites: CellWrite[];
  newRows: { row: number; customerId: string; writes: CellWrite[] }[];
  /** the row each given customer is on now (an existing row, or the new row planned for them) */
  rows: ReadonlyMap<string, number>;
  /** customer numbers in the sheet that were not given (left as they are) */
  unknownCustomers: string[];
  /** given customers the sheet has no row for and gets none (an adopted ledger that takes no new rows) */
  missing: string[];
  problems: SheetProblem[];
}

export interface CustomerSheetInput {
  /** computed cells by customer number */
  computed: ReadonlyMap<string, ComputedCells>;
  /** editable values to put on a customer's row when the row is created (e.g. the archive on record) */
  initial?: ReadonlyMap<string, Partial<Record<EditableHeader, string>>>;
}

export function planCustomerSheet(grid: SheetGrid, input: CustomerSheetInput): CustomerSheetPlan {
  const map = mapColumns(grid);
  const problems: SheetProblem[] = map.duplicates.map((d) => ({
    code: 'DUPLICATE_HEADER' as const,
    message: `“${d.header}”列出现了 ${d.columns.length} 次（第 ${d.columns.join('、')} 列），系统只使用第 ${map.columns.get(d.header)} 列`,
  }));
  for (const r of map.renamed) {
    // A renamed header is the branch's choice; one that names another layout column misleads.
    if (columnRole(r.text) === null) continue;
    problems.push({ code: 'HEADER_MISMATCH', message: `第 ${r.column} 列的表头写着“${r.text}”，但该列是系统的“${r.header}”列（按列标记识别）；请改回表头，以免看错` });
  }
  const empty: CustomerSheetPlan = { map, appendColumns: [], columns: map.columns, cellWrites: [], newRows: [], rows: new Map(), unknownCustomers: [], missing: [], problems };
  const sheetIsBlank = map.nextColumn === 1;
  if (map.key === null && !sheetIsBlank) {
    problems.push({ code: 'KEY_COLUMN_MISSING', message: `找不到“${KEY_HEADER}”列：无法确定每行是哪位客户，本次不写入客户名单` });
    return empty;
  }

  const columns = new Map(map.columns);
  const appendColumns: CellWrite[] = [];
  let next = map.nextColumn;
  for (const header of grid.appendHeaders ?? CUSTOMER_HEADERS) {
    if (columns.has(header)) continue;
    columns.set(header, next);
    appendColumns.push({ row: grid.headerRow ?? 1, column: next, value: header });
    next++;
  }

  const keyColumn = columns.get(KEY_HEADER) as number;
  const cellWrites: CellWrite[] = [];
  const placed = new Map<string, number>();
  const unknown: string[] = [];
  for (const row of grid.rows) {
    const customerId = cellAt(row, keyColumn).trim();
    if (customerId === '') continue;
    const cells = input.computed.get(customerId);
    if (cells === undefined) {
      unknown.push(customerId);
      continue;
    }
    if (placed.has(customerId)) {
      problems.push({ code: 'DUPLICATE_CUSTOMER', message: `客户号 ${customerId} 出现在多行，系统只更新第一行；第 ${row.row} 行未更新` });
      continue;
    }
    placed.set(customerId, row.row);
    for (const header of COMPUTED_HEADERS) {
      const column = columns.get(header) as number;
      const value = cells[header];
      if (cellAt(row, column) !== value) cellWrites.push({ row: row.row, column, value });
    }
  }

  const newRows: CustomerSheetPlan['newRows'] = [];
  const missing: string[] = [];
  let nextRow = grid.appendAt ?? usedHeight(grid) + 1;
  for (const [customerId, cells] of input.computed) {
    if (placed.has(customerId)) continue;
    if (grid.appendAt === null) {
      missing.push(customerId);
      continue;
    }
    const row = nextRow++;
    const writes: CellWrite[] = [{ row, column: keyColumn, value: customerId }];
    const initial = input.initial?.get(customerId) ?? {};
    for (const header of EDITABLE_HEADERS) {
      const value = initial[header];
      const column = columns.get(header);
      if (value !== undefined && value !== '' && column !== undefined) writes.push({ row, column, value });
    }
    for (const header of COMPUTED_HEADERS) {
      if (cells[header] !== '') writes.push({ row, column: columns.get(header) as number, value: cells[header] });
    }
    newRows.push({ row, customerId, writes });
    placed.set(customerId, row);
  }
  return { map, appendColumns, columns, cellWrites, newRows, rows: placed, unknownCustomers: unknown, missing, problems };
}

/** Every write of a plan, in one list: what a single batched update sends. */
export function allWrites(plan: CustomerSheetPlan): CellWrite[] {
  return [...plan.appendColumns, ...plan.cellWrites, ...plan.newRows.flatMap((r) => r.writes)];
}

/** One row's editable fields as the branch left them, found by 客户号. */
export interface EditedRow {
  row: number;
  customerId: string;
  /** every editable column present in the sheet, '' when the cell is empty */
  fields: Partial<Record<EditableHeader, string>>;
}

/** Reads the editable columns of every row that has a 客户号 (for the sheet-edit path and reconciliation). */
export function readEditedRows(grid: SheetGrid): EditedRow[] {
  const map = mapColumns(grid);
  if (map.key === null) return [];
  const key = map.key;
  const present = EDITABLE_HEADERS.filter((h) => map.columns.has(h));
  const out: EditedRow[] = [];
  for (const row of grid.rows) {
    const customerId = cellAt(row, key).trim();
    if (customerId === '') continue;
    const fields: Partial<Record<EditableHeader, string>> = {};
    for (const header of present) fields[header] = cellAt(row, map.columns.get(header) as number).trim();
    out.push({ row: row.row, customerId, fields });
  }
  return out;
}
