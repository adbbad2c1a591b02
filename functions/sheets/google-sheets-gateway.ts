import type { sheets_v4 } from 'googleapis';
import type { SpreadsheetSnapshot, StructureChange } from '../../shared/sheets/sheet-snapshot.js';
import type { RequestPacer } from './request-pacer.js';
import { DEFAULT_ATTEMPT_TIMEOUT_MS, DEFAULT_BACKOFF, withAttemptTimeout, withBackoff, type BackoffPolicy } from './backoff.js';
import { requestsOf } from './google-sheets-requests.js';
import { READ_FIELDS, snapshotOf } from './google-sheets-snapshot.js';

/**
 * The Google Sheets side of a branch spreadsheet, over the real googleapis client, in at most
 * three requests per run: one spreadsheets.get reads everything (values, developer metadata,
 * protected ranges, conditional formats), one spreadsheets.batchUpdate sends the structure
 * that is missing (only when something is), and one values.batchUpdate writes the changed
 * cells with valueInputOption RAW (so a value starting with `=` stays text; only when
 * something changed). Every call backs off on 429/5xx within a bounded budget, and each
 * attempt is aborted when it gets no answer within `policy.attemptTimeoutMs` (then retried
 * like a 5xx), so a request that hangs fails the branch instead of holding it for ever.
 */

export interface CellWrite {
  tab: string;
  /** 1-based row, as the sheet numbers it */
  row: number;
  /** 1-based column (A = 1), as the layout plan gives it */
  column: number;
  value: string | number;
}

export interface SheetsGateway {
  /** the whole spreadsheet as one read sees it (one spreadsheets.get) */
  read(spreadsheetId: string): Promise<SpreadsheetSnapshot>;
  /** one spreadsheets.batchUpdate (atomic) with every change; nothing is sent when there is none; returns the number of requests sent */
  updateStructure(spreadsheetId: string, changes: readonly StructureChange[]): Promise<number>;
  /** one values.batchUpdate with every changed cell; nothing is sent when there is nothing to change; returns the cells written */
  writeCells(spreadsheetId: string, writes: readonly CellWrite[]): Promise<number>;
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
export function googleSheetsGateway(sheets: sheets_v4.Sheets, policy: BackoffPolicy = DEFAULT_BACKOFF, pacer?: RequestPacer): SheetsGateway {
  const timeoutMs = policy.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const paced = <T>(what: string, call: (options: { retry: false; signal: AbortSignal }) => Promise<T>) => async () => {
    await pacer?.acquire();
    return withAttemptTimeout(what, timeoutMs, (signal) => call({ ...NO_CLIENT_RETRY, signal }));
  };
  return {
    async read(spreadsheetId) {
      const response = await withBackoff('spreadsheets.get', paced('spreadsheets.get', (options) => sheets.spreadsheets.get({ spreadsheetId, fields: READ_FIELDS }, options)), policy);
      return snapshotOf(response.data);
    },
    async updateStructure(spreadsheetId, changes) {
      if (changes.length === 0) return 0;
      const requests = requestsOf(changes);
      await withBackoff('spreadsheets.batchUpdate', paced('spreadsheets.batchUpdate', (options) => sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, options)), policy);
      return requests.length;
    },
    async writeCells(spreadsheetId, writes) {
      if (writes.length === 0) return 0;
      const data = rowRuns(writes);
      await withBackoff('values.batchUpdate', paced('values.batchUpdate', (options) => sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data } }, options)), policy);
      return writes.length;
    },
  };
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
  const rows = new Map<string, { tab: string; row: number; cells: Map<number, string | number> }>();
  for (const w of writes) {
    const key = `${w.tab}\u0000${w.row}`;
    const entry = rows.get(key) ?? { tab: w.tab, row: w.row, cells: new Map() };
    entry.cells.set(w.column, w.value);
    rows.set(key, entry);
  }
  return [...rows.values()].map(({ tab, row, cells }) => {
    const columns = [...cells.keys()];
    const first = Math.min(...columns);
    const last = Math.max(...columns);
    const values = Array.from({ length: last - first + 1 }, (_, i) => cells.get(first + i) ?? null);
    return { range: `${quoteTab(tab)}!${columnLetters(first - 1)}${row}`, values: [values] };
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
