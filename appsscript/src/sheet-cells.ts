/**
 * Reading 客户名单 the way the server side does (shared/sheets/column-map.ts): columns by
 * their trimmed header, the first one when a header appears twice; rows by 客户号, the first
 * row when a number appears twice. Never by position: managers reorder, insert and sort.
 */

interface SheetColumns {
  /** layout header → its column (1-based) */
  byHeader: Map<string, number>;
  /** the 客户号 column, or null when the sheet has none */
  key: number | null;
  /** the last column with anything in the header row */
  width: number;
}

function readColumns(sheet: GoogleAppsScript.Spreadsheet.Sheet): SheetColumns {
  const width = sheet.getLastColumn();
  const header = width > 0 ? (sheet.getRange(1, 1, 1, width).getValues()[0] ?? []) : [];
  const byHeader = new Map<string, number>();
  header.forEach((value, index) => {
    const text = String(value === null || value === undefined ? '' : value).trim();
    if (text === '' || byHeader.has(text)) return;
    if (text === KEY_HEADER || EDITABLE_HEADERS.indexOf(text) >= 0 || COMPUTED_HEADERS.indexOf(text) >= 0) byHeader.set(text, index + 1);
  });
  return { byHeader, key: byHeader.get(KEY_HEADER) ?? null, width };
}

/** The header of a layout column, or null for the branch's own (or a blank) column. */
function headerOfColumn(columns: SheetColumns, column: number): string | null {
  for (const [header, at] of columns.byHeader) if (at === column) return header;
  return null;
}

/** Where each customer's row is now: 客户号 → the first row holding it. */
function readKeyRows(sheet: GoogleAppsScript.Spreadsheet.Sheet, keyColumn: number): Map<string, number> {
  const lastRow = sheet.getLastRow();
  const rows = new Map<string, number>();
  if (lastRow < 2) return rows;
  const values = sheet.getRange(2, keyColumn, lastRow - 1, 1).getValues();
  values.forEach((cells, index) => {
    const id = keyText(cells[0]);
    if (id !== '' && !rows.has(id)) rows.set(id, index + 2);
  });
  return rows;
}

function keyText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).trim();
}

/**
 * A cell as the text the function validates. Sheets turns a typed date into a date value: it
 * is written back as YYYY-MM-DD (YYYY-MM in 指定截止月) in the spreadsheet's time zone, which
 * is the zone its date values are midnight in. Checked with Object.prototype.toString, not
 * instanceof, so a date from another realm (the tests' fakes) is recognised too.
 */
function cellText(value: unknown, header: string, timeZone: string): string {
  if (value === null || value === undefined) return '';
  if (Object.prototype.toString.call(value) === '[object Date]') {
    return Utilities.formatDate(value as GoogleAppsScript.Base.Date, timeZone, header === '指定截止月' ? 'yyyy-MM' : 'yyyy-MM-dd');
  }
  return String(value);
}

/**
 * A note with the system's line replaced (the same rule as functions/sheets/xlsx-cells.ts
 * mergeSystemNote): a manager's own lines are kept as they are, the system's line
 * (SYSTEM_NOTE_MARK + reason) goes after them, or is removed when `reason` is null.
 */
function mergeSystemNote(existing: string, reason: string | null): string {
  const own = existing.split('\n').filter((line) => line.indexOf(SYSTEM_NOTE_MARK) !== 0);
  while (own.length > 0 && (own[own.length - 1] as string).trim() === '') own.pop();
  if (reason !== null) own.push(SYSTEM_NOTE_MARK + reason);
  return own.join('\n');
}
