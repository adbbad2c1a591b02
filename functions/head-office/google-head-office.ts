import type { sheets_v4 } from 'googleapis';
import type { HeadOfficeContent } from '../../shared/head-office/consolidation.js';
import type { HeadOfficeWriter } from '../nightly/nightly-steps.js';
import { DEFAULT_BACKOFF, withBackoff, type BackoffPolicy } from '../sheets/backoff.js';
import type { RequestPacer } from '../sheets/request-pacer.js';
import type { ChartKey } from './head-office-charts.js';
import { DEFAULT_MAX_CELLS_PER_REQUEST, MAX_CELLS_PER_SPREADSHEET, planHeadOfficeSheet, READ_FIELDS } from './google-head-office-plan.js';

/**
 * The head-office spreadsheet on Google Sheets (its id given by the deployment), over the real
 * googleapis client. One run is, in order:
 *   1. one spreadsheets.get (tabs, grid sizes, frozen rows, charts, the chart metadata);
 *   2. one spreadsheets.batchUpdate (atomic): missing tabs, grid growth, frozen header, charts
 *      added or re-ranged, formats (google-head-office-plan.ts);
 *   3. the values, RAW: one values.batchUpdate, or about ⌈cells / maxCellsPerRequest⌉ (cut
 *      between rows) for a bank too big for one (250,000 cells by default, about 2 MB).
 * So 3 requests a night for any bank under 250,000 cells (about 200 branches of 10 managers),
 * more for larger ones. A content too big for one spreadsheet (10,000,000 cells, all tabs together) is
 * refused after the read, before anything is written (HeadOfficeTooLargeError). Each attempt, retries included, first takes a slot from the shared per-minute
 * pacer (when one is given) and then backs off on 429 / 5xx within the policy's budget.
 */

export interface GoogleHeadOfficeOptions {
  spreadsheetId: string;
  backoff?: BackoffPolicy;
  /** shared with the branch writes of the same project, so together they stay under the quota */
  pacer?: RequestPacer;
  maxCellsPerRequest?: number;
  /** Google's 10,000,000; lower only in tests */
  maxCellsPerSpreadsheet?: number;
}

export interface GoogleHeadOfficeReport {
  spreadsheetId: string;
  url: string;
  /** HTTP requests sent (retries not counted) */
  requests: number;
  cellsWritten: number;
  addedTabs: string[];
  addedCharts: ChartKey[];
  updatedCharts: ChartKey[];
  problems: string[];
}

/** The client retries a GET on its own, outside any budget: off, so the backoff is the only retry. */
const NO_CLIENT_RETRY = { retry: false } as const;

export async function writeHeadOfficeSpreadsheet(sheets: sheets_v4.Sheets, content: HeadOfficeContent, options: GoogleHeadOfficeOptions): Promise<GoogleHeadOfficeReport> {
  const { spreadsheetId } = options;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const send = <T>(what: string, call: () => Promise<T>) =>
    withBackoff(
      what,
      async () => {
        await options.pacer?.acquire();
        return call();
      },
      policy,
    );

  const read = await send('spreadsheets.get', () => sheets.spreadsheets.get({ spreadsheetId, fields: READ_FIELDS }, NO_CLIENT_RETRY));
  const plan = planHeadOfficeSheet(read.data, content, { maxCellsPerRequest: options.maxCellsPerRequest ?? DEFAULT_MAX_CELLS_PER_REQUEST, maxCellsPerSpreadsheet: options.maxCellsPerSpreadsheet ?? MAX_CELLS_PER_SPREADSHEET });
  let requests = 1;
  if (plan.structure.length > 0) {
    await send('spreadsheets.batchUpdate', () => sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: plan.structure } }, NO_CLIENT_RETRY));
    requests++;
  }
  for (const data of plan.writes) {
    await send('values.batchUpdate', () => sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data } }, NO_CLIENT_RETRY));
    requests++;
  }
  return {
    spreadsheetId,
    url: read.data.spreadsheetUrl ?? `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`,
    requests,
    cellsWritten: plan.cells,
    addedTabs: plan.addedTabs,
    addedCharts: plan.addedCharts,
    updatedCharts: plan.updatedCharts,
    problems: plan.problems,
  };
}

/** The nightly run's HeadOfficeWriter for Google: answers the spreadsheet's URL; charts not drawn go to `log`. */
export function googleHeadOfficeWriter(sheets: sheets_v4.Sheets, options: GoogleHeadOfficeOptions, log: (message: string) => void = () => {}): HeadOfficeWriter {
  return async (content) => {
    const report = await writeHeadOfficeSpreadsheet(sheets, content, options);
    for (const problem of report.problems) log(`head-office spreadsheet ${report.spreadsheetId}: ${problem}`);
    return report.url;
  };
}
