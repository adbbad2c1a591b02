import type { sheets_v4 } from 'googleapis';
import type { HeadOfficeContent } from '../../shared/head-office/consolidation.js';
import type { HeadOfficeWriter } from '../nightly/nightly-steps.js';
import { DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_BACKOFF, withAttemptTimeout, withBackoff, type BackoffPolicy } from '../sheets/backoff.js';
import { mayHaveBeenApplied } from '../sheets/google-sheets-gateway.js';
import { chunkRequests, MAX_REQUEST_BYTES, splitRows } from '../sheets/request-chunks.js';
import type { RequestPacer } from '../sheets/request-pacer.js';
import type { ChartKey } from './head-office-charts.js';
import { MAX_CELLS_PER_SPREADSHEET, planHeadOfficeSheet, READ_FIELDS } from './google-head-office-plan.js';

/**
 * The head-office spreadsheet on Google Sheets (its id given by the deployment), over the real
 * googleapis client. One run is, in order:
 *   1. one spreadsheets.get (tabs, grid sizes, frozen rows, charts, the chart metadata);
 *   2. one spreadsheets.batchUpdate (atomic): missing tabs, grid growth, frozen header, charts
 *      added or re-ranged, formats (google-head-office-plan.ts);
 *   3. the values, RAW: one values.batchUpdate, or about ⌈bytes / 2 MB⌉ (cut between rows,
 *      request-chunks.ts) for a bank too big for one.
 * So 3 requests a night for any bank whose four tabs serialize under 2 MB (about 250,000 cells,
 * some 200 branches of 10 managers), more for larger ones. The structure batch holds a fixed
 * number of requests per tab and chart (a few kilobytes), so it is never cut.
 *
 * The structure batch is not idempotent (tabs and charts with chosen ids, chart metadata): after
 * a failure that leaves open whether Google applied it (no answer within the attempt's time, a
 * 5xx, the connection lost — Google may go on for up to 180 s), the spreadsheet is read again and
 * the run planned again from that read, so only what is still missing is sent (the formats,
 * which are the same sent twice, always are); the values follow that plan. A content too big for one spreadsheet (10,000,000 cells, all tabs together) is
 * refused after the read, before anything is written (HeadOfficeTooLargeError). Each attempt, retries included, first takes a slot from the shared per-minute
 * pacer (when one is given) and then backs off on 429 / 5xx within the policy's budget.
 */

export interface GoogleHeadOfficeOptions {
  spreadsheetId: string;
  backoff?: BackoffPolicy;
  /** shared with the branch writes of the same project, so together they stay under the quota */
  pacer?: RequestPacer;
  /** MAX_REQUEST_BYTES; lower only in tests */
  maxRequestBytes?: number;
  /** Google's 10,000,000; lower only in tests */
  maxCellsPerSpreadsheet?: number;
}

export interface GoogleHeadOfficeReport {
  spreadsheetId: string;
  url: string;
  /** HTTP requests sent (a resend of the same body not counted; a re-read after an ambiguous failure, and the smaller batch after it, counted) */
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
  const timeoutMs = policy.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  /** one attempt: a pacer slot, then the call, aborted when it gets no answer in time */
  const attempt =
    <T>(what: string, call: (o: { retry: false; signal: AbortSignal }) => Promise<T>) =>
    async () => {
      await options.pacer?.acquire(what);
      return withAttemptTimeout(what, timeoutMs, (signal) => call({ ...NO_CLIENT_RETRY, signal }), policy.timers);
    };
  const readOnce = attempt('spreadsheets.get', (o) => sheets.spreadsheets.get({ spreadsheetId, fields: READ_FIELDS }, o));
  const limits = { maxCellsPerSpreadsheet: options.maxCellsPerSpreadsheet ?? MAX_CELLS_PER_SPREADSHEET };

  const read = await withBackoff('spreadsheets.get', readOnce, policy);
  let plan = planHeadOfficeSheet(read.data, content, limits);
  let requests = 1;
  if (plan.structure.length > 0) {
    let ambiguous = false;
    let lastSent = '';
    await withBackoff(
      'spreadsheets.batchUpdate',
      async () => {
        if (ambiguous) {
          const again = await readOnce();
          requests++;
          plan = planHeadOfficeSheet(again.data, content, limits);
          ambiguous = false;
        }
        const structure = plan.structure;
        if (structure.length === 0) return;
        const body = JSON.stringify(structure);
        if (body !== lastSent) requests++;
        lastSent = body;
        try {
          await attempt('spreadsheets.batchUpdate', (o) => sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: structure } }, o))();
        } catch (error) {
          ambiguous = mayHaveBeenApplied(error);
          throw error;
        }
      },
      policy,
    );
  }
  const { chunks, oversize } = chunkRequests(plan.values, { body: (data) => ({ valueInputOption: 'RAW', data }), split: splitRows, maxBytes: options.maxRequestBytes ?? MAX_REQUEST_BYTES });
  for (const data of chunks) {
    await withBackoff('values.batchUpdate', attempt('values.batchUpdate', (o) => sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data } }, o)), policy);
    requests++;
  }
  const problems = [...plan.problems, ...oversize.map((r) => `the row ${r.range ?? ''} is over the ${options.maxRequestBytes ?? MAX_REQUEST_BYTES} bytes a request should hold and could not be cut: sent alone`)];
  return {
    spreadsheetId,
    url: read.data.spreadsheetUrl ?? `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`,
    requests,
    cellsWritten: plan.cells,
    addedTabs: plan.addedTabs,
    addedCharts: plan.addedCharts,
    updatedCharts: plan.updatedCharts,
    problems,
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
