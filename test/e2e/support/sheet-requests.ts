import { CUSTOMER_TAB } from '../../../shared/sheets/branch-layout.js';
import { columnIndex, type RecordedRequest, type SheetsApiServer } from '../../support/sheets-api-server/index.js';

/**
 * What was sent to the Sheets API test server, read back from its request log: the requests
 * for one spreadsheet since a mark, and the 客户名单 cells that values.batchUpdate requests
 * really set (a range is anchored at its first cell; a null inside it is skipped by the API,
 * so it is not a write).
 */

export function requestsSince(server: SheetsApiServer, spreadsheetId: string, from: number): RecordedRequest[] {
  return server.requests.slice(from).filter((r) => r.spreadsheetId === spreadsheetId);
}

export interface WrittenCell {
  /** 1-based row, as the sheet numbers it */
  row: number;
  /** 0-based column (A = 0) */
  column: number;
  value: unknown;
}

const ANCHOR = new RegExp(`^'${CUSTOMER_TAB}'!([A-Z]+)(\\d+)(?::[A-Z]+\\d+)?$`);

export function customerCellsWritten(server: SheetsApiServer, spreadsheetId: string, from: number): WrittenCell[] {
  const cells: WrittenCell[] = [];
  for (const request of requestsSince(server, spreadsheetId, from)) {
    if (request.operation !== 'values.batchUpdate') continue;
    for (const entry of (request.body as { data: { range: string; values: unknown[][] }[] }).data) {
      if (!entry.range.startsWith(`'${CUSTOMER_TAB}'!`)) continue;
      const anchor = ANCHOR.exec(entry.range);
      if (anchor === null) throw new Error(`a 客户名单 range this helper does not read: ${entry.range}`);
      const [column, row] = [columnIndex(anchor[1]!), Number(anchor[2])];
      entry.values.forEach((values, i) => values.forEach((value, j) => value !== null && cells.push({ row: row + i, column: column + j, value })));
    }
  }
  return cells;
}
