import { COMPUTED_HEADERS, KEY_HEADER } from './branch-layout.js';
import { gridFromValues, type GridRow, type SheetGrid } from './column-map.js';
import type { SheetProblem } from './customer-sheet-plan.js';
import { headerBottomFrom, mergeAt, textAt, widthOf, type Grid } from './ledger-header.js';
import type { LedgerBinding } from './ledger-binding.js';
import { normalizeLedgerHeader } from './ledger-synonyms.js';
import { isNoteRow, isTotalsRow, ledgerTable, type LedgerTable } from './ledger-table.js';
import type { CellSpan, TabSnapshot } from './sheet-snapshot.js';

/**
 * 客户名单 as the planners read it, whether the system laid it out (header in row 1, columns by
 * tag then header) or it is the branch's own adopted ledger (ledger-binding.ts): then the header
 * is the bound row, found again by the key's header text when rows were inserted above it; the
 * rows are the table's customers' only (not the titles above, not the subtotals or a repeated
 * header inside it, not the totals row and the notes below); the
 * columns are the tagged ones only; and new rows go where the binding allows, or nowhere.
 */

export interface CustomerGrid {
  grid: SheetGrid;
  binding: LedgerBinding | null;
  /** the binding to store again (its header row moved), or null */
  rebind: LedgerBinding | null;
  table: LedgerTable | null;
  /** the customer tab cannot be written this run (its header row was not found) */
  blocked: boolean;
  problems: SheetProblem[];
}

/** how far down the header row of a bound ledger is looked for when it is not where it was */
export const HEADER_RESEARCH_ROWS = 50;

export function customerGridOf(tab: Pick<TabSnapshot, 'values' | 'columnTags' | 'merges' | 'binding'>): CustomerGrid {
  const binding = tab.binding ?? null;
  if (binding === null) return { grid: gridFromValues(tab.values, tab.columnTags), binding: null, rebind: null, table: null, blocked: false, problems: [] };
  const values = tab.values;
  const width = widthOf(values, tab.merges ?? []);
  const keyColumn = [...tab.columnTags].find(([, header]) => header === KEY_HEADER)?.[0];
  if (keyColumn === undefined) {
    const problems: SheetProblem[] = [{ code: 'KEY_COLUMN_MISSING', message: `台账的客户号列（“${binding.keyHeader}”）已不在表中（被删除了？）：无法确定每行是哪位客户，本次不写入台账；请恢复该列，或重新连接表格` }];
    return { grid: { header: [], rows: [], tags: tab.columnTags, tagsOnly: true, width }, binding, rebind: null, table: null, blocked: true, problems };
  }
  const wanted = normalizeLedgerHeader(binding.keyHeader);
  const merges = tab.merges ?? [];
  // the key's name is written on one row of the header (the top one when merged down over both);
  // the header's last row follows from it as it did at binding (ledger-header.ts headerBottomFrom)
  const namedOn = (row: number) => normalizeLedgerHeader(textAt(values, row, keyColumn)) === wanted;
  const bottomFrom = (row: number) => headerBottomFrom(values, merges, row, keyColumn, binding.headerRows);
  let headerRow = binding.headerRow;
  const problems: SheetProblem[] = [];
  let rebind: LedgerBinding | null = null;
  let inPlace = false;
  for (let row = Math.max(1, headerRow - binding.headerRows + 1); row <= headerRow && !inPlace; row++) inPlace = namedOn(row) && bottomFrom(row) === headerRow;
  if (!inPlace) {
    let found: number | null = null;
    for (let row = 1; row <= Math.min(values.length, HEADER_RESEARCH_ROWS); row++) {
      if (namedOn(row)) {
        found = bottomFrom(row);
        break;
      }
    }
    const renamedTo = found === null ? renamedKeyHeader(values, merges, binding, keyColumn) : null;
    if (renamedTo !== null) {
      problems.push({ code: 'HEADER_RENAMED', message: `台账客户号列的表头由“${binding.keyHeader}”改为“${renamedTo}”，表头仍在第 ${binding.headerRow} 行，系统已按新表头记住并照常写入` });
      rebind = { ...binding, keyHeader: renamedTo };
    } else if (found === null) {
      problems.push({ code: 'HEADER_ROW_LOST', message: `找不到台账的表头行：客户号列的表头“${binding.keyHeader}”不在第 ${binding.headerRow} 行，前 ${HEADER_RESEARCH_ROWS} 行也没有；本次不写入台账，请把表头改回，或重新连接表格` });
      return { grid: { header: [], rows: [], tags: tab.columnTags, tagsOnly: true, width }, binding, rebind: null, table: null, blocked: true, problems };
    } else {
      problems.push({ code: 'HEADER_ROW_MOVED', message: `台账的表头行从第 ${binding.headerRow} 行移到了第 ${found} 行（上方插入或删除了行），系统已按新位置写入` });
      headerRow = found;
      rebind = { ...binding, headerRow: found };
    }
  }
  const table = ledgerTable(values, headerRow, keyColumn, rebind?.keyHeader ?? binding.keyHeader);
  const skipped = new Set(table.skippedRows);
  const rows: GridRow[] = [];
  for (let row = table.firstRow; row <= table.lastRow; row++) if (!skipped.has(row)) rows.push({ row, cells: values[row - 1] ?? [] });
  const grid: SheetGrid = { header: values[headerRow - 1] ?? [], rows, tags: tab.columnTags, headerRow, tagsOnly: true, width, appendHeaders: COMPUTED_HEADERS, appendAt: binding.missing === 'append' ? table.appendAt : null };
  return { grid, binding, rebind, table, blocked: false, problems };
}

/** the longest text taken for a retyped key header: a title or a sentence is longer */
const MAX_HEADER_LENGTH = 20;

/**
 * The key's header retyped where it was (客户编号 → 客户代码), as a manager renames a column of the
 * system's own layout: no row names the bound text any more, but the key cell of the stored header
 * rows holds a short text that reads as a header and ends the header on the stored row. Reads as a
 * header: it has no digit (a customer number has), is no totals word or note (合计, 制表：…) and no
 * title merged across columns. Returns the new text, or null (the header is lost: rows deleted, or
 * moved and renamed at once).
 */
export function renamedKeyHeader(values: Grid, merges: readonly CellSpan[], binding: LedgerBinding, keyColumn: number): string | null {
  for (let row = Math.max(1, binding.headerRow - binding.headerRows + 1); row <= binding.headerRow; row++) {
    const text = textAt(values, row, keyColumn);
    if (text === '') continue;
    const merge = mergeAt(merges, row, keyColumn);
    const acrossColumns = merge !== null && (merge.fromColumn ?? 1) !== (merge.toColumn ?? Infinity);
    const readsAsHeader = !/\d/u.test(text) && [...text].length <= MAX_HEADER_LENGTH && !isTotalsRow([text], 1) && !isNoteRow([text], 1) && !acrossColumns;
    return readsAsHeader && headerBottomFrom(values, merges, row, keyColumn, binding.headerRows) === binding.headerRow ? text : null;
  }
  return null;
}
