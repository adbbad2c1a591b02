/**
 * Which rows of an adopted ledger are customers' rows, the way the server decides it (a copy of
 * shared/sheets/ledger-table.ts and of the row choice of ledger-grid.ts customerGridOf; Apps
 * Script cannot import shared/, test/appsscript/ledger-rules-drift.test.ts runs both on the same
 * grids). The table starts below the header and ends at the first totals row (合计, 小计, 总计 …)
 * or note (注：, 制表：…) after the last customer; subtotals, the header printed again and notes
 * between customers are inside it but are no customer's. Nothing from the end down is ever sent
 * or written. Pure.
 */

const LEDGER_TOTAL_WORDS: readonly string[] = ['合计', '小计', '总计', '共计', '累计', '总合计', '合计数', '本页合计'];
/** 王芳小计, 城东支行合计: a totals word closing a short label */
const LEDGER_TOTAL_SUFFIX = /^.{1,10}(合计|小计|总计)$/u;
const LEDGER_NOTE_START = /^(注|说明|备注[:：]|制表|审核|填表|复核|数据来源|数据截至|统计时间|单位[:：])/u;

function isLedgerTotalWord(text: string): boolean {
  const n = normalizeLedgerHeader(text);
  return LEDGER_TOTAL_WORDS.indexOf(n) >= 0 || LEDGER_TOTAL_SUFFIX.test(n);
}

/** A totals row: a cell says 合计 (小计, 王芳小计 …) and the key cell is empty, or the 合计 is in the key column or before it. */
function isLedgerTotalsRow(cells: readonly string[], keyColumn: number): boolean {
  const key = (cells[keyColumn - 1] ?? '').trim();
  return cells.some((c, i) => (key === '' || i < keyColumn) && isLedgerTotalWord(c));
}

function isLedgerNoteText(text: string): boolean {
  return LEDGER_NOTE_START.test(text.trim().normalize('NFKC'));
}

/** A note row: its first filled cell starts like 注：, 制表：, 说明 …, and the key cell is empty or is that note. */
function isLedgerNoteRow(cells: readonly string[], keyColumn: number): boolean {
  const key = (cells[keyColumn - 1] ?? '').trim();
  if (key !== '' && !isLedgerNoteText(key)) return false;
  for (const c of cells) if (c.trim() !== '') return isLedgerNoteText(c);
  return false;
}

/** The rows of the table below `headerRow` that may hold a customer, in order (the totals, notes and repeated headers inside it left out). */
function ledgerTableRows(values: readonly (readonly string[])[], headerRow: number, keyColumn: number, keyHeader: string): number[] {
  const firstRow = headerRow + 1;
  const rowOf = (row: number) => values[row - 1] ?? [];
  const filled = (row: number) => rowOf(row).some((c) => c.trim() !== '');
  const header = normalizeLedgerHeader(keyHeader);
  const kindOf = (row: number): string => {
    const cells = rowOf(row);
    if (isLedgerTotalsRow(cells, keyColumn)) return 'totals';
    if (isLedgerNoteRow(cells, keyColumn)) return 'note';
    const key = normalizeLedgerHeader(cells[keyColumn - 1] ?? '');
    if (key === '') return 'other';
    return header !== '' && key === header ? 'header' : 'customer';
  };
  const kinds: string[] = [];
  for (let row = firstRow; row <= values.length; row++) kinds[row] = kindOf(row);
  let lastCustomer = firstRow - 1;
  for (let row = firstRow; row <= values.length; row++) if (kinds[row] === 'customer') lastCustomer = row;
  let trailingFrom: number | null = null;
  for (let row = lastCustomer + 1; row <= values.length; row++) {
    if (kinds[row] === 'totals' || kinds[row] === 'note') {
      trailingFrom = row;
      break;
    }
  }
  let lastRow = (trailingFrom ?? values.length + 1) - 1;
  while (lastRow >= firstRow && !filled(lastRow)) lastRow--;
  const rows: number[] = [];
  for (let row = firstRow; row <= lastRow; row++) {
    const kind = kinds[row];
    if (kind !== 'totals' && kind !== 'header' && kind !== 'note') rows.push(row);
  }
  return rows;
}

/** A bound ledger's header row now and the rows of its table, or null when its header row cannot be found. */
function ledgerCustomerRows(values: readonly (readonly string[])[], merges: readonly LedgerSpan[], binding: LedgerBinding, keyColumn: number): { headerRow: number; keyHeader: string; rows: number[] } | null {
  const found = findLedgerHeaderRow(values, merges, binding, keyColumn);
  if (found === null) return null;
  return { headerRow: found.headerRow, keyHeader: found.keyHeader, rows: ledgerTableRows(values, found.headerRow, keyColumn, found.keyHeader) };
}
