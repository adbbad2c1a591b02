import { normalizeLedgerHeader } from './ledger-synonyms.js';

/**
 * Where a branch ledger's table of customers ends, below its header: before the first totals row
 * (合计, 小计, 总计 …, whose formulas sum the rows above) or before the notes that follow the last
 * customer (注：…, 制表：…). Rows from there down are the branch's and are never read as customers
 * nor written. New rows may be added only where nothing of the branch's is below them: a row
 * inserted above a totals row would shift the ranges of the branch's formulas. Pure.
 */

export interface LedgerTable {
  /** the first data row (the row below the header) */
  firstRow: number;
  /** the last row of the table (firstRow − 1 when it has none) */
  lastRow: number;
  /** the totals row that ends the table, if any */
  totalsRow: number | null;
  /** the first row below the table holding anything (the totals row, or the first note), if any */
  trailingFrom: number | null;
  /** where a new row may go: one past the last row holding anything, null when the branch keeps rows below the table */
  appendAt: number | null;
}

const TOTAL_WORDS = new Set(['合计', '小计', '总计', '共计', '累计', '总合计', '合计数', '本页合计']);
const NOTE_START = /^(注|说明|备注[:：]|制表|审核|填表|复核|数据来源|数据截至|统计时间|单位[:：])/u;

/** Whether a row is a totals row: a cell says 合计 (or 小计, 总计 …) and the key cell holds no customer number. */
export function isTotalsRow(cells: readonly string[], keyColumn: number): boolean {
  const key = normalizeLedgerHeader(cells[keyColumn - 1] ?? '');
  if (key !== '' && !TOTAL_WORDS.has(key)) return false;
  return cells.some((c) => TOTAL_WORDS.has(normalizeLedgerHeader(c)));
}

/** Whether a row is a note under the table: the key cell is empty and the first filled cell starts like 注：, 制表：, 说明 … */
export function isNoteRow(cells: readonly string[], keyColumn: number): boolean {
  if ((cells[keyColumn - 1] ?? '').trim() !== '') return false;
  const first = cells.find((c) => c.trim() !== '');
  return first !== undefined && NOTE_START.test(first.trim().normalize('NFKC'));
}

/** `values`: the tab's cells as text, row 1 first; `headerRow`: the header's last row. */
export function ledgerTable(values: readonly (readonly string[])[], headerRow: number, keyColumn: number): LedgerTable {
  const firstRow = headerRow + 1;
  const rowOf = (row: number) => values[row - 1] ?? [];
  const filled = (row: number) => rowOf(row).some((c) => c.trim() !== '');
  let totalsRow: number | null = null;
  let end = values.length;
  for (let row = firstRow; row <= values.length; row++) {
    if (isTotalsRow(rowOf(row), keyColumn)) {
      totalsRow = row;
      end = row - 1;
      break;
    }
  }
  // notes start after the last row with a customer number
  let lastKeyed = firstRow - 1;
  for (let row = firstRow; row <= end; row++) if ((rowOf(row)[keyColumn - 1] ?? '').trim() !== '') lastKeyed = row;
  let noteFrom: number | null = null;
  for (let row = lastKeyed + 1; row <= end; row++) {
    if (isNoteRow(rowOf(row), keyColumn)) {
      noteFrom = row;
      end = row - 1;
      break;
    }
  }
  let lastRow = end;
  while (lastRow >= firstRow && !filled(lastRow)) lastRow--;
  let trailingFrom = noteFrom ?? totalsRow;
  if (trailingFrom === null) {
    for (let row = end + 1; row <= values.length; row++) if (filled(row)) trailingFrom ??= row;
  }
  return { firstRow, lastRow, totalsRow, trailingFrom, appendAt: trailingFrom === null ? Math.max(lastRow, headerRow) + 1 : null };
}
