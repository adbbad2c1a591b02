/**
 * Reading 客户名单 the way the server side does (shared/sheets/column-map.ts and
 * branch-sheet-sync.ts): tabs and columns by the system's developer-metadata tag first and
 * by their title / trimmed header second (an adopted ledger's columns by tag only); the first
 * column when a layout header appears twice. Never by position: managers rename, reorder,
 * insert and sort. Rows are found in customer-table.ts.
 */

interface SheetColumns {
  /** layout header → its column (1-based) */
  byHeader: Map<string, number>;
  /** the 客户号 column, or null when the sheet has none */
  key: number | null;
  /** the last column with anything in it (or tagged) */
  width: number;
}

/** Whether `sheet` is 客户名单: the tab tagged so (the first one, if several), else — no tab tagged so — the tab titled so that is not tagged as another layout tab. */
function isCustomerTab(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, sheet: GoogleAppsScript.Spreadsheet.Sheet): boolean {
  const sheetTags = ss
    .createDeveloperMetadataFinder()
    .withKey(TAB_METADATA_KEY)
    .withValue(CUSTOMER_TAB)
    .find()
    .filter((md) => md.getLocation().getLocationType() === SpreadsheetApp.DeveloperMetadataLocationType.SHEET)
    .map((md) => md.getLocation().getSheet())
    .filter((s): s is GoogleAppsScript.Spreadsheet.Sheet => s !== null)
    .sort((a, b) => a.getIndex() - b.getIndex());
  const tagged = sheetTags[0];
  if (tagged !== undefined) return tagged.getSheetId() === sheet.getSheetId();
  if (sheet.getName().trim().toLowerCase() !== CUSTOMER_TAB) return false;
  return !sheet.getDeveloperMetadata().some((md) => md.getKey() === TAB_METADATA_KEY && LAYOUT_TABS.indexOf(md.getValue() || '') >= 0);
}

function isLayoutHeader(text: string): boolean {
  return text === KEY_HEADER || EDITABLE_HEADERS.indexOf(text) >= 0 || COMPUTED_HEADERS.indexOf(text) >= 0;
}

/**
 * Where the layout's columns are now: a tagged column is its tag's column even when renamed; a
 * header naming a column a tag placed elsewhere is not used. `tagsOnly` (an adopted ledger): the
 * tagged columns only, so a header of the branch's own that reads 当前等级 is not the system's.
 */
function readColumns(sheet: GoogleAppsScript.Spreadsheet.Sheet, tagsOnly: boolean): SheetColumns {
  const byHeader = new Map<string, number>();
  const claimed: number[] = [];
  const tags = sheet
    .createDeveloperMetadataFinder()
    .withKey(COLUMN_METADATA_KEY)
    .find()
    .filter((md) => md.getLocation().getLocationType() === SpreadsheetApp.DeveloperMetadataLocationType.COLUMN)
    .map((md): [number, string] => [(md.getLocation().getColumn() as GoogleAppsScript.Spreadsheet.Range).getColumn(), (md.getValue() || '').trim()])
    .sort((a, b) => a[0] - b[0]);
  for (const [column, header] of tags) {
    if (!isLayoutHeader(header) || claimed.indexOf(column) >= 0) continue;
    claimed.push(column);
    if (!byHeader.has(header)) byHeader.set(header, column);
  }
  const lastColumn = sheet.getLastColumn();
  const header = lastColumn > 0 && !tagsOnly ? (sheet.getRange(1, 1, 1, lastColumn).getValues()[0] ?? []) : [];
  header.forEach((value, index) => {
    const column = index + 1;
    const text = String(value === null || value === undefined ? '' : value).trim();
    if (claimed.indexOf(column) >= 0 || !isLayoutHeader(text) || byHeader.has(text)) return;
    byHeader.set(text, column);
  });
  return { byHeader, key: byHeader.get(KEY_HEADER) ?? null, width: Math.max(lastColumn, ...claimed) };
}

/** The header of a layout column, or null for the branch's own (or a blank) column. */
function headerOfColumn(columns: SheetColumns, column: number): string | null {
  for (const [header, at] of columns.byHeader) if (at === column) return header;
  return null;
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
