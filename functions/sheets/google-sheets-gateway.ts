import type { sheets_v4 } from 'googleapis';
import type { SpreadsheetSnapshot, StructureChange } from '../../shared/sheets/sheet-snapshot.js';
import type { RequestPacer } from './request-pacer.js';
import { AttemptTimeoutError, DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_BACKOFF, isConnectionLost, statusOf, withAttemptTimeout, withBackoff, type BackoffPolicy } from './backoff.js';
import { chunkRequests, splitRows } from './request-chunks.js';
import { changesStillMissing } from './structure-applied.js';
import { requestsOf } from './google-sheets-requests.js';
import { READ_FIELDS, snapshotOf } from './google-sheets-snapshot.js';
import { addressedByDataFilter, dataFilterWrites } from './google-sheets-writes.js';

/**
 * The Google Sheets side of a branch spreadsheet, over the real googleapis client: one
 * spreadsheets.get reads everything (values, developer metadata, protected ranges, conditional
 * formats), one spreadsheets.batchUpdate sends the structure that is missing (only when
 * something is), and the changed cells go with valueInputOption RAW (so a value starting with
 * `=` stays text; only when something changed) in values writes of at most MAX_REQUEST_BYTES of
 * JSON each (request-chunks.ts): one for a branch of a few thousand customers, about ⌈bytes /
 * 2 MB⌉ for a larger first night. Every call backs off on 429/5xx within a bounded budget, and
 * each attempt is aborted when it gets no answer within `policy.attemptTimeoutMs` (then retried
 * like a 5xx), so a request that hangs fails the branch instead of holding it for ever. A values
 * write is resent as it is; a structure batch is not (see updateStructure).
 *
 * The structure batch stays far under the size limit whatever the branch's size: it holds a
 * fixed number of requests per layout tab and column (add, grow, tag, protect, colour, format),
 * a few kilobytes in all, so it is never cut (cutting it would also lose its atomicity).
 */

export interface CellWrite {
  tab: string;
  /** 1-based row, as the sheet numbers it */
  row: number;
  /** 1-based column (A = 1), as the layout plan gives it */
  column: number;
  value: string | number;
  /** the tab's sheet id: when given, the cell is written on that tab whatever its title is by then (google-sheets-writes.ts) */
  sheetId?: number;
  /** the layout header of the cell's column: when given (with sheetId), the column is found by its tag at write time, not by `column` */
  header?: string;
}

export interface SheetsGateway {
  /** the whole spreadsheet as one read sees it (one spreadsheets.get) */
  read(spreadsheetId: string): Promise<SpreadsheetSnapshot>;
  /** one spreadsheets.batchUpdate (atomic) with every change; nothing is sent when there is none; returns the number of requests sent */
  updateStructure(spreadsheetId: string, changes: readonly StructureChange[]): Promise<number>;
  /** the changed cells, in values writes of at most MAX_REQUEST_BYTES each (request-chunks.ts); nothing is sent when there is nothing to change; returns the cells written */
  writeCells(spreadsheetId: string, writes: readonly CellWrite[]): Promise<number>;
  /** HTTP requests sent for this spreadsheet so far (retries not counted; a re-read after an ambiguous failure counted); absent for a gateway that sends none */
  requestsSent?(spreadsheetId: string): number;
}

/**
 * The client retries a GET on its own (without jitter, outside any budget); turned off so that
 * the policy below is the one and only retry, for reads and writes alike.
 */
const NO_CLIENT_RETRY = { retry: false } as const;

/**
 * `pacer` (optional) is shared by everything a process sends to the same project: each attempt,
 * retries included, waits for a slot of the per-minute quota before it goes out (that wait is
 * not part of the attempt's time).
 */
export function googleSheetsGateway(sheets: sheets_v4.Sheets, policy: BackoffPolicy = DEFAULT_BACKOFF, pacer?: RequestPacer, log: (message: string) => void = (m) => console.warn(m)): SheetsGateway {
  const timeoutMs = policy.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const paced = <T>(what: string, call: (options: { retry: false; signal: AbortSignal }) => Promise<T>) => async () => {
    await pacer?.acquire(what);
    return withAttemptTimeout(what, timeoutMs, (signal) => call({ ...NO_CLIENT_RETRY, signal }), policy.timers);
  };
  const sent = new Map<string, number>();
  const count = (spreadsheetId: string) => sent.set(spreadsheetId, (sent.get(spreadsheetId) ?? 0) + 1);
  // grid sizes as last read, so that a re-read after an ambiguous failure can tell a grid grown by the batch
  const grids = new Map<string, Map<number, { rows: number; columns: number }>>();
  const readOnce = async (spreadsheetId: string) => {
    const response = await paced('spreadsheets.get', (options) => sheets.spreadsheets.get({ spreadsheetId, fields: READ_FIELDS }, options))();
    const snapshot = snapshotOf(response.data);
    grids.set(spreadsheetId, new Map(snapshot.tabs.map((t) => [t.sheetId, { rows: t.rowCount, columns: t.columnCount }])));
    return snapshot;
  };
  /** every chunk of a values write, in order, each retried on its own (a values write is idempotent: resent as it is) */
  const sendChunks = async <E>(spreadsheetId: string, what: string, entries: readonly E[], split: ((entry: E) => E[] | null) | undefined, call: (data: E[], options: { retry: false; signal: AbortSignal }) => Promise<unknown>) => {
    const { chunks, oversize } = chunkRequests(entries, { body: (data) => ({ valueInputOption: 'RAW', data }), ...(split === undefined ? {} : { split }) });
    if (oversize.length > 0) log(`spreadsheet ${spreadsheetId}: ${oversize.length} value range(s) over the recommended request size could not be cut and were sent alone`);
    for (const data of chunks) {
      await withBackoff(what, paced(what, (options) => call(data, options)), policy);
      count(spreadsheetId);
    }
  };
  return {
    async read(spreadsheetId) {
      const snapshot = await withBackoff('spreadsheets.get', () => readOnce(spreadsheetId), policy);
      count(spreadsheetId);
      return snapshot;
    },
    async updateStructure(spreadsheetId, changes) {
      if (changes.length === 0) return 0;
      // The batch is not idempotent (tabs with chosen ids, metadata, protections, rules): after a
      // failure that leaves open whether Google applied it, the next attempt reads the spreadsheet
      // again and sends only what is still missing (structure-applied.ts), or nothing.
      let pending: readonly StructureChange[] = changes;
      let ambiguous = false;
      // a resend of the same batch is a retry (not counted); a smaller one after a re-read is a new request
      let lastSent = 0;
      const attempt = async () => {
        if (ambiguous) {
          const before = grids.get(spreadsheetId);
          const now = await readOnce(spreadsheetId);
          count(spreadsheetId);
          pending = changesStillMissing(pending, now, before);
          ambiguous = false;
        }
        if (pending.length === 0) return;
        const requests = requestsOf(pending);
        if (lastSent !== pending.length) count(spreadsheetId);
        lastSent = pending.length;
        try {
          await paced('spreadsheets.batchUpdate', (options) => sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, options))();
        } catch (error) {
          ambiguous = mayHaveBeenApplied(error);
          throw error;
        }
      };
      await withBackoff('spreadsheets.batchUpdate', attempt, policy);
      return requestsOf(changes).length;
    },
    async writeCells(spreadsheetId, writes) {
      if (writes.length === 0) return 0;
      if (addressedByDataFilter(writes)) {
        const call = (data: sheets_v4.Schema$DataFilterValueRange[], options: { retry: false; signal: AbortSignal }) => sheets.spreadsheets.values.batchUpdateByDataFilter({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data } }, options);
        await sendChunks(spreadsheetId, 'values.batchUpdateByDataFilter', dataFilterWrites(writes), undefined, call);
        return writes.length;
      }
      const call = (data: sheets_v4.Schema$ValueRange[], options: { retry: false; signal: AbortSignal }) => sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data } }, options);
      await sendChunks(spreadsheetId, 'values.batchUpdate', rowRuns(writes), splitRows, call);
      return writes.length;
    },
    requestsSent: (spreadsheetId) => sent.get(spreadsheetId) ?? 0,
  };
}

/** Failures after which Google may have applied the request: no answer in time, a 5xx, the connection lost (a 429 or another 4xx is a refusal: nothing was applied). */
export function mayHaveBeenApplied(error: unknown): boolean {
  const status = statusOf(error);
  return error instanceof AttemptTimeoutError || isConnectionLost(error) || (status !== null && status >= 500);
}

/** A tab's cells from a read, by title (compared as Sheets compares titles, without regard to case); [] when there is no such tab. */
export function tabValues(snapshot: SpreadsheetSnapshot, title: string): readonly (readonly string[])[] {
  return snapshot.tabs.find((t) => t.title.toLocaleLowerCase() === title.toLocaleLowerCase())?.values ?? [];
}

/**
 * The writes as one value range per row, anchored at its first cell: cells in between that
 * are not written are sent as null, which the API skips (an empty string would clear them).
 * A first run of a thousand customers is a thousand ranges, not twenty-four thousand.
 */
export function rowRuns(writes: readonly CellWrite[]): sheets_v4.Schema$ValueRange[] {
  return rowSpans(writes, (w) => w.tab).map(({ write, first, values }) => ({ range: `${quoteTab(write.tab)}!${columnLetters(first - 1)}${write.row}`, values: [values] }));
}

/** One row of a tab as written: from its first written column to its last, null where nothing is written; `write` is one of the row's writes (for its tab and row). */
export interface RowSpan {
  write: CellWrite;
  first: number;
  last: number;
  values: (string | number | null)[];
}

/** The writes grouped by tab (as `tabOf` names it) and row, in the order their rows first appear. */
export function rowSpans(writes: readonly CellWrite[], tabOf: (w: CellWrite) => string | number): RowSpan[] {
  const rows = new Map<string, { write: CellWrite; cells: Map<number, string | number> }>();
  for (const w of writes) {
    const key = `${tabOf(w)}\u0000${w.row}`;
    const entry = rows.get(key) ?? { write: w, cells: new Map() };
    entry.cells.set(w.column, w.value);
    rows.set(key, entry);
  }
  return [...rows.values()].map(({ write, cells }) => {
    const columns = [...cells.keys()];
    const first = Math.min(...columns);
    const last = Math.max(...columns);
    return { write, first, last, values: Array.from({ length: last - first + 1 }, (_, i) => cells.get(first + i) ?? null) };
  });
}

/** A tab name in A1 notation: always quoted, quotes doubled (客户名单 → '客户名单'). */
export function quoteTab(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
