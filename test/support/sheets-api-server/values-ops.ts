import { columnLetters, formatA1Range, parseA1Range, type GridBounds } from './a1-range.js';
import { badRequest } from './google-error.js';
import { isTextFormatted } from './number-formats.js';
import { gridLimitError, resolveRange, type Cell, type CellValue, type SpreadsheetModel } from './spreadsheet-model.js';

/**
 * Reading and writing cell values as the values.* methods do: ranges in A1, trailing empty
 * rows and cells left out of a read, `null` skipping a cell and `''` clearing it on a write.
 */

export type ValueRenderOption = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';
export type ValueInputOption = 'RAW' | 'USER_ENTERED';
export type MajorDimension = 'ROWS' | 'COLUMNS';

export interface ValueRange {
  range: string;
  majorDimension: MajorDimension;
  values?: CellValue[][];
}

export interface UpdateValuesResponse {
  spreadsheetId: string;
  updatedRange: string;
  updatedRows?: number;
  updatedColumns?: number;
  updatedCells?: number;
}

const MAX_CELL_CHARACTERS = 50_000;

function parseOrFail(model: SpreadsheetModel, text: string) {
  const parsed = parseA1Range(text);
  if (!parsed.ok) throw badRequest(parsed.message);
  return resolveRange(model, parsed.range, text);
}

function shownCells(bounds: GridBounds, fallback: Required<GridBounds>): string {
  const startColumn = columnLetters(bounds.startColumnIndex ?? fallback.startColumnIndex);
  const startRow = bounds.startRowIndex === undefined ? '' : String(bounds.startRowIndex + 1);
  const endColumn = bounds.endColumnIndex === undefined ? '' : columnLetters(bounds.endColumnIndex - 1);
  const endRow = bounds.endRowIndex === undefined ? '' : String(bounds.endRowIndex);
  return `${startColumn}${startRow}:${endColumn}${endRow}`;
}

/** values.get / one range of values.batchGet */
export function readValues(model: SpreadsheetModel, text: string, render: ValueRenderOption, major: MajorDimension = 'ROWS'): ValueRange {
  const { sheet, bounds } = parseOrFail(model, text);
  const grid = sheet.properties.gridProperties;
  const concrete: Required<GridBounds> = {
    startRowIndex: bounds.startRowIndex ?? 0,
    endRowIndex: bounds.endRowIndex ?? grid.rowCount,
    startColumnIndex: bounds.startColumnIndex ?? 0,
    endColumnIndex: bounds.endColumnIndex ?? grid.columnCount,
  };
  if (concrete.endRowIndex > grid.rowCount || concrete.endColumnIndex > grid.columnCount || concrete.startRowIndex >= grid.rowCount || concrete.startColumnIndex >= grid.columnCount) {
    throw gridLimitError(sheet, shownCells(bounds, concrete));
  }
  let rows: CellValue[][] = [];
  for (let r = concrete.startRowIndex; r < concrete.endRowIndex; r += 1) {
    const stored = sheet.cells[r] ?? [];
    const row: CellValue[] = [];
    for (let c = concrete.startColumnIndex; c < concrete.endColumnIndex; c += 1) row.push(renderCell(stored[c], render));
    rows.push(row);
  }
  if (major === 'COLUMNS') rows = transpose(rows);
  rows = rows.map(trimTrailingEmpty);
  while (rows.length > 0 && (rows[rows.length - 1] as CellValue[]).length === 0) rows.pop();
  const result: ValueRange = { range: formatA1Range(sheet.properties.title, concrete), majorDimension: major };
  if (rows.length > 0) result.values = rows;
  return result;
}

function renderCell(cell: Cell | undefined, render: ValueRenderOption): CellValue {
  if (cell === undefined) return '';
  // the server computes no formulas: every render option shows a formula as it was typed
  if (render !== 'FORMATTED_VALUE' || cell.formula) return cell.value;
  if (typeof cell.value === 'boolean') return cell.value ? 'TRUE' : 'FALSE';
  return String(cell.value);
}

function trimTrailingEmpty(row: CellValue[]): CellValue[] {
  let end = row.length;
  while (end > 0 && row[end - 1] === '') end -= 1;
  return row.slice(0, end);
}

function transpose(rows: CellValue[][]): CellValue[][] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, c) => rows.map((r) => r[c] ?? ''));
}

export interface ValuesWrite {
  range: string;
  majorDimension?: MajorDimension | undefined;
  values: (CellValue | null)[][];
}

/** one entry of values.batchUpdate; throws before touching anything when the entry is invalid */
export function writeValues(model: SpreadsheetModel, write: ValuesWrite, input: ValueInputOption): UpdateValuesResponse {
  const { sheet, bounds } = parseOrFail(model, write.range);
  const grid = sheet.properties.gridProperties;
  const rows: (CellValue | null)[][] = write.majorDimension === 'COLUMNS' ? transposeInput(write.values) : write.values;
  const startRow = bounds.startRowIndex ?? 0;
  const startColumn = bounds.startColumnIndex ?? 0;
  // a one-cell range is an anchor the data grows from; a wider range is a limit
  const anchor = bounds.endRowIndex === startRow + 1 && bounds.endColumnIndex === startColumn + 1;
  const height = rows.length;
  const width = Math.max(0, ...rows.map((r) => r.length));
  const requested = formatA1Range(sheet.properties.title, {
    startRowIndex: startRow,
    endRowIndex: bounds.endRowIndex ?? grid.rowCount,
    startColumnIndex: startColumn,
    endColumnIndex: bounds.endColumnIndex ?? grid.columnCount,
  });
  if (!anchor && bounds.endRowIndex !== undefined && startRow + height > bounds.endRowIndex) {
    throw badRequest(`Requested writing within range [${requested}], but tried writing to row [${bounds.endRowIndex + 1}]`);
  }
  if (!anchor && bounds.endColumnIndex !== undefined && startColumn + width > bounds.endColumnIndex) {
    throw badRequest(`Requested writing within range [${requested}], but tried writing to column [${columnLetters(bounds.endColumnIndex)}]`);
  }
  if (startRow + Math.max(height, 1) > grid.rowCount || startColumn + Math.max(width, 1) > grid.columnCount) {
    throw gridLimitError(sheet, `${columnLetters(startColumn)}${startRow + 1}`);
  }
  if (height === 0) return { spreadsheetId: model.spreadsheetId, updatedRange: requested };

  let cells = 0;
  const touchedColumns = new Set<number>();
  let touchedRows = 0;
  rows.forEach((row, i) => {
    let touched = false;
    row.forEach((value, j) => {
      if (value === null) return;
      if (typeof value === 'string' && value.length > MAX_CELL_CHARACTERS) {
        throw badRequest(`Your input contains more than the maximum of ${MAX_CELL_CHARACTERS} characters in a single cell.`);
      }
      const r = startRow + i;
      const c = startColumn + j;
      const target = (sheet.cells[r] ??= []);
      target[c] = value === '' ? undefined : toCell(value, input, isTextFormatted(model, sheet.properties.sheetId, r, c));
      cells += 1;
      touched = true;
      touchedColumns.add(c);
    });
    if (touched) touchedRows += 1;
  });
  return {
    spreadsheetId: model.spreadsheetId,
    updatedRange: formatA1Range(sheet.properties.title, { startRowIndex: startRow, endRowIndex: startRow + height, startColumnIndex: startColumn, endColumnIndex: startColumn + Math.max(width, 1) }),
    updatedRows: touchedRows,
    updatedColumns: touchedColumns.size,
    updatedCells: cells,
  };
}

function transposeInput(columns: (CellValue | null)[][]): (CellValue | null)[][] {
  const height = Math.max(0, ...columns.map((c) => c.length));
  return Array.from({ length: height }, (_, r) => columns.map((c) => (r < c.length ? (c[r] as CellValue | null) : null)));
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** RAW stores exactly what was sent; USER_ENTERED reads text as if typed into the UI, where a cell formatted as plain text keeps what was typed */
export function toCell(value: CellValue, input: ValueInputOption, plainText = false): Cell {
  if (input === 'RAW' || typeof value !== 'string' || plainText) return { value, formula: false };
  if (value.startsWith('=')) return { value, formula: true };
  if (value.startsWith("'")) return { value: value.slice(1), formula: false };
  if (NUMBER.test(value.trim())) return { value: Number(value), formula: false };
  if (/^(true|false)$/i.test(value.trim())) return { value: value.trim().toLowerCase() === 'true', formula: false };
  return { value, formula: false };
}
