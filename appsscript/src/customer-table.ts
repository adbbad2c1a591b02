/**
 * 客户名单 as the trigger reads it: its columns, its header row and the rows that are customers'
 * rows, whether the system laid it out (header in row 1, columns by tag then header, every row
 * below the header) or it is a branch's own ledger the system adopted (a `wealth-ladder.binding`
 * on the tab: header where the binding says or found again, columns by tag only, rows only
 * between the header and the table's end). The same rules as the server's
 * shared/sheets/ledger-grid.ts, so the sheet sends and receives exactly the cells the nightly
 * run reads and writes.
 */

interface CustomerTable {
  columns: SheetColumns;
  /** the header's last row (1 in the system's layout) */
  headerRow: number;
  /** every row that may be a customer's → the text in its key cell ('' for none) */
  keys: Map<number, string>;
  /** customer number → the first row holding it (only the first row is the customer's) */
  firstRowOf: Map<string, number>;
  /** what the key column is called on this sheet: 客户号, or the ledger's own word (客户编号) */
  keyLabel: string;
  bound: boolean;
  /** why nothing on the tab can be sent (no key column, a ledger's header row lost), in Chinese; null when it can */
  problem: string | null;
}

function readCustomerTable(sheet: GoogleAppsScript.Spreadsheet.Sheet): CustomerTable {
  const binding = readLedgerBinding(sheet);
  return binding === null ? readLayoutTable(sheet) : readLedgerTable(sheet, binding);
}

/** The tab's binding: the first `wealth-ladder.binding` on the tab itself that this version reads (as the server's snapshot picks it). */
function readLedgerBinding(sheet: GoogleAppsScript.Spreadsheet.Sheet): LedgerBinding | null {
  const found = sheet.createDeveloperMetadataFinder().withKey(BINDING_METADATA_KEY).withLocationType(SpreadsheetApp.DeveloperMetadataLocationType.SHEET).find();
  for (const md of found) {
    const binding = ledgerBindingFromText(md.getValue());
    if (binding !== null) return binding;
  }
  return null;
}

/** The system's layout: every row below row 1, its 客户号 as the cell's value (one read of the column). */
function readLayoutTable(sheet: GoogleAppsScript.Spreadsheet.Sheet): CustomerTable {
  const columns = readColumns(sheet, false);
  const keys = new Map<number, string>();
  const lastRow = sheet.getLastRow();
  const values = columns.key !== null && lastRow >= 2 ? sheet.getRange(2, columns.key, lastRow - 1, 1).getValues() : [];
  for (let row = 2; row <= lastRow; row++) keys.set(row, keyText(values[row - 2]?.[0]));
  const problem = columns.key === null ? `找不到「${KEY_HEADER}」列，无法确定每行是哪位客户，修改未发送` : null;
  return { columns, headerRow: 1, keys, firstRowOf: problem === null ? firstRows(keys) : new Map(), keyLabel: KEY_HEADER, bound: false, problem };
}

/**
 * An adopted ledger: one read of the tab's cells as displayed (the server reads formatted text
 * too, so a 客户编号 formatted 000123 is 000123 on both sides) and of its merges (a header whose
 * cells are merged down or across); the key column is the one tagged 客户号.
 */
function readLedgerTable(sheet: GoogleAppsScript.Spreadsheet.Sheet, binding: LedgerBinding): CustomerTable {
  const columns = readColumns(sheet, true);
  const table: CustomerTable = { columns, headerRow: binding.headerRow, keys: new Map(), firstRowOf: new Map(), keyLabel: binding.keyHeader, bound: true, problem: null };
  const key = columns.key;
  if (key === null) {
    table.problem = `台账的客户号列（“${binding.keyHeader}”）已不在表中（被删除了？），无法确定每行是哪位客户，修改未发送；请恢复该列，或重新连接表格`;
    return table;
  }
  const lastRow = sheet.getLastRow();
  const lastColumn = sheet.getLastColumn();
  const used = lastRow > 0 && lastColumn > 0 ? sheet.getRange(1, 1, lastRow, lastColumn) : null;
  const values: string[][] = used !== null ? used.getDisplayValues() : [];
  // Range.getMergedRanges: "merged cells that either are fully within the current range, or
  // contain at least one cell in the current range"; a merged block's value is its top-left
  // cell's (https://developers.google.com/apps-script/reference/spreadsheet/range#getmergedranges).
  const merges: LedgerSpan[] = used !== null ? used.getMergedRanges().map((m) => ({ fromRow: m.getRow(), toRow: m.getLastRow(), fromColumn: m.getColumn(), toColumn: m.getLastColumn() })) : [];
  const found = ledgerCustomerRows(values, merges, binding, key);
  if (found === null) {
    table.problem = `找不到台账的表头行：客户号列的表头“${binding.keyHeader}”不在第${binding.headerRow}行，前${HEADER_RESEARCH_ROWS}行也没有，修改未发送；请把表头改回，或重新连接表格`;
    return table;
  }
  table.headerRow = found.headerRow;
  table.keyLabel = found.keyHeader;
  for (const row of found.rows) table.keys.set(row, (values[row - 1]?.[key - 1] ?? '').trim());
  table.firstRowOf = firstRows(table.keys);
  return table;
}

function firstRows(keys: ReadonlyMap<number, string>): Map<string, number> {
  const first = new Map<string, number>();
  for (const [row, id] of keys) if (id !== '' && !first.has(id)) first.set(id, row);
  return first;
}
