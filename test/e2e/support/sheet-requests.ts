import { CUSTOMER_TAB } from '../../../shared/sheets/branch-layout.js';
import { columnIndex, type RecordedRequest, type SheetsApiServer } from '../../support/sheets-api-server/index.js';

/**
 * What was sent to the Sheets API test server, read back from its request log: the requests
 * for one spreadsheet since a mark, and the 客户名单 cells that values.batchUpdate and
 * values.batchUpdateByDataFilter requests really set (a range is anchored at its first cell, a
 * data filter at the range the server resolved it to; a null inside it is skipped by the API,
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
  const put = (range: string, values: unknown[][], majorDimension: string | undefined) => {
    if (!range.startsWith(`'${CUSTOMER_TAB}'!`)) return;
    const anchor = ANCHOR.exec(range);
    if (anchor === null) throw new Error(`a 客户名单 range this helper does not read: ${range}`);
    const [column, row] = [columnIndex(anchor[1]!), Number(anchor[2])];
    values.forEach((line, i) =>
      line.forEach((value, j) => {
        if (value === null) return;
        cells.push(majorDimension === 'COLUMNS' ? { row: row + j, column: column + i, value } : { row: row + i, column: column + j, value });
      }),
    );
  };
  for (const request of requestsSince(server, spreadsheetId, from)) {
    if (request.answer === undefined) continue; // refused or faulted before it was applied
    if (request.operation === 'values.batchUpdate') {
      for (const entry of (request.body as { data: { range: string; values: unknown[][]; majorDimension?: string }[] }).data) put(entry.range, entry.values, entry.majorDimension);
    } else if (request.operation === 'values.batchUpdateByDataFilter') {
      // a data filter is resolved by the server: each range it matched is in the answer, with the filter
      const data = (request.body as { data: { dataFilter: unknown; values: unknown[][]; majorDimension?: string }[] }).data;
      const responses = ((request.answer as { responses?: { updatedRange: string; dataFilter: unknown }[] } | undefined)?.responses ?? []);
      for (const response of responses) {
        const entry = data.find((d) => JSON.stringify(d.dataFilter) === JSON.stringify(response.dataFilter));
        if (entry === undefined) throw new Error(`an answer whose data filter was not sent: ${JSON.stringify(response.dataFilter)}`);
        put(response.updatedRange, entry.values, entry.majorDimension);
      }
    }
  }
  return cells;
}
