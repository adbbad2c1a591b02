import { normalizeLedgerHeader } from './ledger-synonyms.js';

/**
 * Where a branch ledger's table of customers ends, below its header: at the first totals row
 * (合计, 小计, 总计 …, whose formulas sum the rows above) or the first note (注：…, 制表：…) after the
 * last customer. Subtotal rows between customers (a ledger grouped by manager, 王芳 小计 after her
 * customers) and the header repeated for printing are inside the table but are not customers:
 * they are skipped, and the customers after them are read. Rows from the end down are the
 * branch's and are never read as customers nor written. New rows may be added only where nothing
 * of the branch's is below them: a row inserted above a totals row would shift the ranges of the
 * branch's formulas. Pure.
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
  /** rows inside the table that are not customers' (subtotals, the header repeated, a note between customers): never read nor written */
  skippedRows: number[];
}

const TOTAL_WORDS = new Set(['合计', '小计', '总计', '共计', '累计', '总合计', '合计数', '本页合计']);
/** 王芳小计, 城东支行合计: a totals word closing a short label */
const TOTAL_SUFFIX = /^.{1,10}(合计|小计|总计)$/u;
const NOTE_START = /^(注|说明|备注[:：]|制表|审核|填表|复核|数据来源|数据截至|统计时间|单位[:：])/u;

function isTotalWord(text: string): boolean {
  const n = normalizeLedgerHeader(text);
  return TOTAL_WORDS.has(n) || TOTAL_SUFFIX.test(n);
}

/**
 * Whether a row is a totals row: a cell says 合计 (or 小计, 总计, 王芳小计 …) and the key cell holds no
 * customer number, or the 合计 is in the key column or before it (the key cell then holds a count
 * of the rows above, not a customer's number; a customer's own cells after the key may say anything).
 */
export function isTotalsRow(cells: readonly string[], keyColumn: number): boolean {
  const key = (cells[keyColumn - 1] ?? '').trim();
  return cells.some((c, i) => (key === '' || i < keyColumn) && isTotalWord(c));
}

function isNoteText(text: string): boolean {
  return NOTE_START.test(text.trim().normalize('NFKC'));
}

/** Whether a row is a note under the table: the first filled cell starts like 注：, 制表：, 说明 …, and the key cell is empty or is that note (a customer number never reads 注：…). */
export function isNoteRow(cells: readonly string[], keyColumn: number): boolean {
  const key = (cells[keyColumn - 1] ?? '').trim();
  if (key !== '' && !isNoteText(key)) return false;
  const first = cells.find((c) => c.trim() !== '');
  return first !== undefined && isNoteText(first);
}

/**
 * `values`: the tab's cells as text, row 1 first; `headerRow`: the header's last row; `keyHeader`:
 * the key column's header text (a row repeating it is the header again, not a customer), by default
 * the key cell of the header row.
 */
export function ledgerTable(values: readonly (readonly string[])[], headerRow: number, keyColumn: number, keyHeader: string = values[headerRow - 1]?.[keyColumn - 1] ?? ''): LedgerTable {
  const firstRow = headerRow + 1;
  const rowOf = (row: number) => values[row - 1] ?? [];
  const filled = (row: number) => rowOf(row).some((c) => c.trim() !== '');
  const header = normalizeLedgerHeader(keyHeader);
  const kindOf = (row: number): 'totals' | 'note' | 'header' | 'customer' | 'other' => {
    const cells = rowOf(row);
    if (isTotalsRow(cells, keyColumn)) return 'totals';
    if (isNoteRow(cells, keyColumn)) return 'note';
    const key = normalizeLedgerHeader(cells[keyColumn - 1] ?? '');
    if (key === '') return 'other';
    return header !== '' && key === header ? 'header' : 'customer';
  };
  const kinds = new Map<number, ReturnType<typeof kindOf>>();
  for (let row = firstRow; row <= values.length; row++) kinds.set(row, kindOf(row));
  // the table runs to its last customer, and then to the first totals row or note after it
  let lastCustomer = firstRow - 1;
  for (const [row, kind] of kinds) if (kind === 'customer') lastCustomer = row;
  let trailingFrom: number | null = null;
  let totalsRow: number | null = null;
  for (let row = lastCustomer + 1; row <= values.length; row++) {
    const kind = kinds.get(row);
    if (kind === 'totals' || kind === 'note') {
      trailingFrom = row;
      if (kind === 'totals') totalsRow = row;
      break;
    }
  }
  let lastRow = (trailingFrom ?? values.length + 1) - 1;
  while (lastRow >= firstRow && !filled(lastRow)) lastRow--;
  const skippedRows: number[] = [];
  for (let row = firstRow; row <= lastRow; row++) {
    const kind = kinds.get(row);
    if (kind === 'totals' || kind === 'header' || kind === 'note') skippedRows.push(row);
  }
  return { firstRow, lastRow, totalsRow, trailingFrom, appendAt: trailingFrom === null ? Math.max(lastRow, headerRow) + 1 : null, skippedRows };
}
