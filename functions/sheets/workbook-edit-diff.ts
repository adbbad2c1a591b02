import type { EditedRow } from '../../shared/sheets/customer-sheet-plan.js';

/**
 * Which cells of a saved local workbook are edits: the editable cells of each row, found by
 * 客户号, whose text differs from what the system last knew (workbook-snapshot.ts). Row order,
 * column order and the branch's own columns play no part, so sorting, moving columns and adding
 * columns are never edits. Pure.
 */

/** 客户号 → editable header → text */
export type KnownCells = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface EditedCells {
  row: number;
  customerId: string;
  /** header → the cell's text now */
  cells: Record<string, string>;
}

export interface WorkbookEditDiff {
  rows: EditedCells[];
  /** rows whose 客户号 is already on an earlier row and that hold changed cells: not sent */
  duplicates: { row: number; customerId: string; firstRow: number }[];
}

/** The override is judged as a whole (tier, reason and end month together), so its cells travel together. */
const OVERRIDE_HEADERS: readonly string[] = ['指定等级', '指定原因', '指定截止月'];

export function diffEditedRows(edited: readonly EditedRow[], known: KnownCells): WorkbookEditDiff {
  const rows: EditedCells[] = [];
  const duplicates: WorkbookEditDiff['duplicates'] = [];
  const firstRow = new Map<string, number>();
  for (const row of edited) {
    const before = known[row.customerId] ?? {};
    const fields = row.fields as Readonly<Record<string, string>>;
    const changed = Object.keys(fields).filter((header) => fields[header] !== (before[header] ?? ''));
    const first = firstRow.get(row.customerId);
    if (first !== undefined) {
      if (changed.length > 0) duplicates.push({ row: row.row, customerId: row.customerId, firstRow: first });
      continue;
    }
    firstRow.set(row.customerId, row.row);
    if (changed.length === 0) continue;
    const sent = new Set(changed);
    if (changed.some((h) => OVERRIDE_HEADERS.includes(h))) for (const h of OVERRIDE_HEADERS) if (h in fields) sent.add(h);
    const cells: Record<string, string> = {};
    for (const header of Object.keys(fields)) if (sent.has(header)) cells[header] = fields[header] as string;
    rows.push({ row: row.row, customerId: row.customerId, cells });
  }
  return { rows, duplicates };
}
