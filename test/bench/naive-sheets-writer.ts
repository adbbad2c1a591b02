import type { sheets_v4 } from 'googleapis';
import { DEFAULT_BACKOFF, withBackoff, type BackoffPolicy } from '../../functions/sheets/backoff.js';
import { googleSheetsGateway, rowRuns, type SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';

/**
 * The named baseline of the Sheets bench: a naive writer that sends one values request per
 * row, the shape of a row-by-row loop (`sheet.getRange(row, …).setValues(…)` in Apps Script,
 * `values.update` per row on the server). It reads the spreadsheet and sends the missing
 * structure exactly as the project's gateway does (so the nightly run plans the very same
 * cells) and differs only in how it writes: the gateway's one range per row, each range in a
 * request of its own instead of all of them in one values.batchUpdate.
 *
 * Each row goes out as a values.batchUpdate holding that one row's range, not as
 * `values.update`: the Sheets API test server does not serve `values.update` (PUT
 * …/values/{range}), and both are one HTTP request carrying one row.
 */
export function naiveSheetsGateway(sheets: sheets_v4.Sheets, policy: BackoffPolicy = DEFAULT_BACKOFF): SheetsGateway {
  const same = googleSheetsGateway(sheets, policy);
  return {
    read: (spreadsheetId) => same.read(spreadsheetId),
    updateStructure: (spreadsheetId, changes) => same.updateStructure(spreadsheetId, changes),
    async writeCells(spreadsheetId, writes) {
      for (const range of rowRuns(writes)) {
        await withBackoff('values.batchUpdate (one row)', () => sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: [range] } }, { retry: false }), policy);
      }
      return writes.length;
    },
  };
}
