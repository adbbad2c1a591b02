import type { sheets_v4 } from 'googleapis';
import type { HeadOfficeCell, HeadOfficeContent } from '../../shared/head-office/consolidation.js';
import { columnLetters, quoteTab } from '../sheets/google-sheets-gateway.js';
import { chartRequests, chartsFound } from './google-head-office-charts.js';
import { isWanColumn, planHeadOfficeCharts, tabWidth, type ChartKey } from './head-office-charts.js';

/**
 * What one run sends to the head-office spreadsheet, planned from one read (pure: no I/O):
 * - one spreadsheets.batchUpdate: tabs added when missing (header frozen), grids grown when the
 *   content outgrew them, the header frozen where it is not, charts added or their ranges
 *   updated (google-head-office-charts.ts), and the formats (header bold, 万元 columns 0.00);
 * - the values, RAW: one value range per tab, which the writer cuts into requests of at most
 *   MAX_REQUEST_BYTES (request-chunks.ts). Each tab is written whole over its whole grid: cells the content does not fill are sent as '', so rows and
 *   columns left over from a longer earlier run are blanked, never cleared with their formats.
 * The four tabs belong to the system: anything typed into them is overwritten by the next run.
 */

export const READ_FIELDS = 'spreadsheetId,spreadsheetUrl,developerMetadata(metadataId,metadataKey,metadataValue),sheets(properties(sheetId,title,gridProperties(rowCount,columnCount,frozenRowCount)),charts(chartId,spec))';

/** Google's limit of cells per spreadsheet, all tabs together */
export const MAX_CELLS_PER_SPREADSHEET = 10_000_000;

/** The content does not fit in one spreadsheet: said before anything is sent, not as a 400 half-way. */
export class HeadOfficeTooLargeError extends Error {
  override readonly name = 'HeadOfficeTooLargeError';
  readonly code = 'HEAD_OFFICE_TOO_LARGE';
}

export interface PlanLimits {
  maxCellsPerSpreadsheet: number;
}

/** a blank column between a table and its charts */
const CHART_GAP_COLUMNS = 1;
/** new tabs' ids start here (any free id is valid; these are easy to spot) */
const FIRST_SHEET_ID = 7_300;

export interface HeadOfficeSheetPlan {
  structure: sheets_v4.Schema$Request[];
  /** each tab's whole grid, anchored at A1, in tab order (cut into requests by the writer) */
  values: sheets_v4.Schema$ValueRange[];
  cells: number;
  addedTabs: string[];
  addedCharts: ChartKey[];
  updatedCharts: ChartKey[];
  /** charts not drawn and why (English, for the log) */
  problems: string[];
}

interface TabGrid {
  sheetId: number;
  rows: number;
  columns: number;
}

export function planHeadOfficeSheet(spreadsheet: sheets_v4.Schema$Spreadsheet, content: HeadOfficeContent, limits: Partial<PlanLimits> = {}): HeadOfficeSheetPlan {
  const maxCellsPerSpreadsheet = limits.maxCellsPerSpreadsheet ?? MAX_CELLS_PER_SPREADSHEET;
  const charts = planHeadOfficeCharts(content);
  const chartTabs = new Set<string>(charts.charts.map((c) => c.tab));
  const sheets = spreadsheet.sheets ?? [];
  const usedIds = new Set(sheets.map((s) => s.properties?.sheetId ?? 0));
  let nextId = FIRST_SHEET_ID;

  const structure: sheets_v4.Schema$Request[] = [];
  const formats: sheets_v4.Schema$Request[] = [];
  const grids = new Map<string, TabGrid>();
  const addedTabs: string[] = [];
  for (const tab of content.tabs) {
    const width = Math.max(1, tabWidth(tab.rows));
    // frozen header + at least one row below it; charts need a free column to sit in
    const needRows = Math.max(tab.rows.length, 2);
    const needColumns = width + (chartTabs.has(tab.title) ? CHART_GAP_COLUMNS + 1 : 0);
    const existing = sheets.find((s) => (s.properties?.title ?? '').toLocaleLowerCase() === tab.title.toLocaleLowerCase())?.properties;
    let grid: TabGrid;
    if (existing === undefined) {
      while (usedIds.has(nextId)) nextId++;
      usedIds.add(nextId);
      grid = { sheetId: nextId, rows: needRows, columns: needColumns };
      structure.push({ addSheet: { properties: { sheetId: grid.sheetId, title: tab.title, gridProperties: { rowCount: grid.rows, columnCount: grid.columns, frozenRowCount: 1 } } } });
      addedTabs.push(tab.title);
    } else {
      const sheetId = existing.sheetId ?? 0;
      const rowCount = existing.gridProperties?.rowCount ?? 0;
      const columnCount = existing.gridProperties?.columnCount ?? 0;
      grid = { sheetId, rows: Math.max(rowCount, needRows), columns: Math.max(columnCount, needColumns) };
      if (grid.rows > rowCount) structure.push({ appendDimension: { sheetId, dimension: 'ROWS', length: grid.rows - rowCount } });
      if (grid.columns > columnCount) structure.push({ appendDimension: { sheetId, dimension: 'COLUMNS', length: grid.columns - columnCount } });
      if ((existing.gridProperties?.frozenRowCount ?? 0) !== 1) structure.push({ updateSheetProperties: { properties: { sheetId, gridProperties: { frozenRowCount: 1 } }, fields: 'gridProperties.frozenRowCount' } });
    }
    grids.set(tab.title, grid);
    formats.push(...formatRequests(grid, tab.rows));
  }

  const ours = new Set([...grids.values()].map((g) => g.sheetId));
  const others = sheets.filter((s) => !ours.has(s.properties?.sheetId ?? 0)).reduce((n, s) => n + (s.properties?.gridProperties?.rowCount ?? 0) * (s.properties?.gridProperties?.columnCount ?? 0), 0);
  const needed = others + [...grids.values()].reduce((n, g) => n + g.rows * g.columns, 0);
  if (needed > maxCellsPerSpreadsheet) {
    const byTab = content.tabs.map((t) => `${t.title} ${grids.get(t.title)!.rows} × ${grids.get(t.title)!.columns}`).join(', ');
    throw new HeadOfficeTooLargeError(`head-office spreadsheet ${spreadsheet.spreadsheetId ?? ''}: the content needs ${needed} cells (${byTab}; other tabs ${others}), over the ${maxCellsPerSpreadsheet} a spreadsheet may hold; nothing was written`);
  }

  const chartPart = chartRequests(
    charts.charts,
    chartsFound(spreadsheet),
    (tab) => grids.get(tab)!.sheetId,
    (tab) => tabWidth(content.tabs.find((t) => t.title === tab)?.rows ?? []) + CHART_GAP_COLUMNS,
  );
  structure.push(...chartPart.requests, ...formats);

  const { values, cells } = valueWrites(content, grids);
  return { structure, values, cells, addedTabs, addedCharts: chartPart.added, updatedCharts: chartPart.updated, problems: charts.problems };
}

/** header bold; 万元 columns shown with two decimals (the values stay the numbers written) */
function formatRequests(grid: TabGrid, rows: readonly (readonly HeadOfficeCell[])[]): sheets_v4.Schema$Request[] {
  const header = rows[0] ?? [];
  const requests: sheets_v4.Schema$Request[] = [
    { repeatCell: { range: { sheetId: grid.sheetId, startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: Math.max(1, header.length) }, cell: { userEnteredFormat: { textFormat: { bold: true } } }, fields: 'userEnteredFormat.textFormat.bold' } },
  ];
  header.forEach((h, column) => {
    if (!isWanColumn(h)) return;
    requests.push({
      repeatCell: {
        range: { sheetId: grid.sheetId, startRowIndex: 1, endRowIndex: grid.rows, startColumnIndex: column, endColumnIndex: column + 1 },
        cell: { userEnteredFormat: { numberFormat: { type: 'NUMBER', pattern: '0.00' } } },
        fields: 'userEnteredFormat.numberFormat',
      },
    });
  });
  return requests;
}

/** Every tab's whole grid as one value range from A1: cells the content does not fill are ''. */
function valueWrites(content: HeadOfficeContent, grids: ReadonlyMap<string, TabGrid>): { values: sheets_v4.Schema$ValueRange[]; cells: number } {
  const values = content.tabs.map((tab) => {
    const grid = grids.get(tab.title)!;
    return { range: `${quoteTab(tab.title)}!${columnLetters(0)}1`, values: Array.from({ length: grid.rows }, (_, r) => Array.from({ length: grid.columns }, (_, c): HeadOfficeCell => tab.rows[r]?.[c] ?? '')) };
  });
  const cells = content.tabs.reduce((n, tab) => n + grids.get(tab.title)!.rows * grids.get(tab.title)!.columns, 0);
  return { values, cells };
}
