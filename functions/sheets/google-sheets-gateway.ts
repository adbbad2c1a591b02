import type { sheets_v4 } from 'googleapis';
import { DEFAULT_BACKOFF, withBackoff, type BackoffPolicy } from './backoff.js';

/**
 * The Google Sheets side of a branch spreadsheet, over the real googleapis client: create the
 * tabs that are missing, read tabs in one values.batchGet, and write only the changed cells
 * in one values.batchUpdate with valueInputOption RAW (so a value starting with `=` stays
 * text). Every call backs off on 429/5xx within a bounded budget.
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
  /** adds the tabs that do not exist yet; returns the titles it added */
  ensureTabs(spreadsheetId: string, titles: readonly string[]): Promise<string[]>;
  /** each tab's cells as text, first row = the header row */
  readTabs(spreadsheetId: string, titles: readonly string[]): Promise<Map<string, string[][]>>;
  /** one batchUpdate with every changed cell; nothing is sent when there is nothing to change */
  writeCells(spreadsheetId: string, writes: readonly CellWrite[]): Promise<number>;
}

export function googleSheetsGateway(sheets: sheets_v4.Sheets, policy: BackoffPolicy = DEFAULT_BACKOFF): SheetsGateway {
  return {
    async ensureTabs(spreadsheetId, titles) {
      const current = await withBackoff('spreadsheets.get', () => sheets.spreadsheets.get({ spreadsheetId, includeGridData: false, fields: 'sheets.properties.title' }), policy);
      const existing = new Set((current.data.sheets ?? []).map((s) => s.properties?.title));
      const missing = titles.filter((t) => !existing.has(t));
      if (missing.length > 0) {
        await withBackoff(
          'spreadsheets.batchUpdate addSheet',
          () => sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: missing.map((title) => ({ addSheet: { properties: { title } } })) } }),
          policy,
        );
      }
      return missing;
    },
    async readTabs(spreadsheetId, titles) {
      const response = await withBackoff(
        'values.batchGet',
        () => sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges: titles.map(quoteTab), valueRenderOption: 'FORMATTED_VALUE' }),
        policy,
      );
      const tabs = new Map<string, string[][]>();
      (response.data.valueRanges ?? []).forEach((range, i) => {
        tabs.set(titles[i] as string, (range.values ?? []).map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : String(cell)))));
      });
      return tabs;
    },
    async writeCells(spreadsheetId, writes) {
      if (writes.length === 0) return 0;
      const data = writes.map((w) => ({ range: `${quoteTab(w.tab)}!${columnLetters(w.column - 1)}${w.row}`, values: [[w.value]] }));
      await withBackoff('values.batchUpdate', () => sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data } }), policy);
      return writes.length;
    },
  };
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
