import type { sheets_v4 } from 'googleapis';
import { CUSTOMER_TAB, EDITABLE_HEADERS, KEY_HEADER } from '../../../shared/sheets/branch-layout.js';
import { columnLetters } from '../../support/sheets-api-server/index.js';

/**
 * The branch's 客户名单 as a person (or the Apps Script) sees it, through the real googleapis
 * client on the Sheets API test server: read the tab, find a customer's row by 客户号 and a
 * column by its header (never by position), type into cells.
 */

export interface SheetRow {
  /** the sheet's own row number (1 = header) */
  row: number;
  /** header → the cell's text ('' when empty) */
  cells: Record<string, string>;
}

export interface SheetTable {
  header: string[];
  /** every row with a 客户号, in sheet order */
  rows: SheetRow[];
}

export const TAB_RANGE = `'${CUSTOMER_TAB}'`;

export class BranchSheet {
  constructor(
    readonly sheets: sheets_v4.Sheets,
    readonly spreadsheetId: string,
  ) {}

  /** the whole tab as text, header first */
  async values(): Promise<string[][]> {
    const response = await this.sheets.spreadsheets.values.get({ spreadsheetId: this.spreadsheetId, range: TAB_RANGE, valueRenderOption: 'FORMATTED_VALUE' });
    return ((response.data.values ?? []) as unknown[][]).map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : String(cell))));
  }

  async table(): Promise<SheetTable> {
    const [header = [], ...rest] = await this.values();
    const key = header.indexOf(KEY_HEADER);
    if (key < 0) throw new Error(`no ${KEY_HEADER} column in ${header.join(',')}`);
    const rows: SheetRow[] = [];
    rest.forEach((cells, i) => {
      if ((cells[key] ?? '') === '') return;
      rows.push({ row: i + 2, cells: Object.fromEntries(header.map((h, c) => [h, cells[c] ?? ''])) });
    });
    return { header, rows };
  }

  /** the one row of a customer (a duplicate or a missing row is a test failure) */
  async row(customerId: string): Promise<SheetRow> {
    return rowIn(await this.table(), customerId);
  }

  /** A manager types into cells of a customer's row (USER_ENTERED, as the UI reads typing). */
  async type(customerId: string, cells: Readonly<Record<string, string>>): Promise<void> {
    const table = await this.table();
    const row = rowIn(table, customerId).row;
    const data = Object.entries(cells).map(([header, value]) => ({ range: `${TAB_RANGE}!${letterOf(table, header)}${row}`, values: [[value]] }));
    await this.sheets.spreadsheets.values.batchUpdate({ spreadsheetId: this.spreadsheetId, requestBody: { valueInputOption: 'USER_ENTERED', data } });
  }

  async sheetId(): Promise<number> {
    const response = await this.sheets.spreadsheets.get({ spreadsheetId: this.spreadsheetId, fields: 'sheets.properties' });
    const found = (response.data.sheets ?? []).find((s) => s.properties?.title === CUSTOMER_TAB);
    if (found?.properties?.sheetId === undefined || found.properties.sheetId === null) throw new Error(`no tab ${CUSTOMER_TAB}`);
    return found.properties.sheetId;
  }
}

export function rowIn(table: SheetTable, customerId: string): SheetRow {
  const rows = table.rows.filter((r) => r.cells[KEY_HEADER] === customerId);
  if (rows.length !== 1) throw new Error(`${customerId} is on ${rows.length} rows of ${CUSTOMER_TAB}`);
  return rows[0]!;
}

export function letterOf(table: SheetTable, header: string): string {
  const at = table.header.indexOf(header);
  if (at < 0) throw new Error(`no column ${header} in ${table.header.join(',')}`);
  return columnLetters(at);
}

/** the layout's editable columns a sheet has, for the Apps Script's "send only layout columns" */
export function isEditable(header: string): boolean {
  return (EDITABLE_HEADERS as readonly string[]).includes(header);
}
