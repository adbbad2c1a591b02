import type { GridBounds } from './a1-range.js';
import type { Cell, SheetModel, SpreadsheetModel } from './spreadsheet-model.js';

/**
 * The `data` of a sheet in spreadsheets.get (GridData), for a whole sheet or one requested
 * range: `rowData` one entry per row from `startRow` up to the last row holding a value
 * (an empty row is `{}`), each row's `values` up to its last value (an empty cell is `{}`);
 * `rowMetadata` / `columnMetadata` one entry per row / column of the range, with the developer
 * metadata located there. Zero `startRow` / `startColumn` are left out, as proto3 JSON does.
 * Formulas are not computed: a formula's formattedValue is the formula as typed.
 */

const ROW_PIXELS = 21;
const COLUMN_PIXELS = 100;

export function gridDataOf(model: SpreadsheetModel, sheet: SheetModel, bounds: GridBounds): Record<string, unknown> {
  const grid = sheet.properties.gridProperties;
  const startRow = bounds.startRowIndex ?? 0;
  const endRow = Math.min(bounds.endRowIndex ?? grid.rowCount, grid.rowCount);
  const startColumn = bounds.startColumnIndex ?? 0;
  const endColumn = Math.min(bounds.endColumnIndex ?? grid.columnCount, grid.columnCount);

  const rowData: Record<string, unknown>[] = [];
  for (let r = startRow; r < endRow; r++) {
    const stored = sheet.cells[r] ?? [];
    const values: Record<string, unknown>[] = [];
    for (let c = startColumn; c < endColumn; c++) values.push(cellData(stored[c]));
    while (values.length > 0 && Object.keys(values[values.length - 1] as object).length === 0) values.pop();
    rowData.push(values.length === 0 ? {} : { values });
  }
  while (rowData.length > 0 && Object.keys(rowData[rowData.length - 1] as object).length === 0) rowData.pop();

  const metadataAt = (dimension: 'ROWS' | 'COLUMNS', index: number) =>
    model.developerMetadata.filter((m) => m.location.dimensionRange?.sheetId === sheet.properties.sheetId && m.location.dimensionRange.dimension === dimension && m.location.dimensionRange.startIndex === index);
  const dimensionProperties = (dimension: 'ROWS' | 'COLUMNS', from: number, to: number, pixelSize: number) =>
    Array.from({ length: Math.max(0, to - from) }, (_, k) => {
      const metadata = metadataAt(dimension, from + k);
      return metadata.length === 0 ? { pixelSize } : { pixelSize, developerMetadata: structuredClone(metadata) };
    });

  const data: Record<string, unknown> = {};
  if (startRow !== 0) data['startRow'] = startRow;
  if (startColumn !== 0) data['startColumn'] = startColumn;
  if (rowData.length > 0) data['rowData'] = rowData;
  data['rowMetadata'] = dimensionProperties('ROWS', startRow, endRow, ROW_PIXELS);
  data['columnMetadata'] = dimensionProperties('COLUMNS', startColumn, endColumn, COLUMN_PIXELS);
  return data;
}

function cellData(cell: Cell | undefined): Record<string, unknown> {
  if (cell === undefined) return {};
  const v = cell.value;
  if (cell.formula) return { userEnteredValue: { formulaValue: v }, formattedValue: String(v) };
  if (typeof v === 'number') return { userEnteredValue: { numberValue: v }, effectiveValue: { numberValue: v }, formattedValue: String(v) };
  if (typeof v === 'boolean') return { userEnteredValue: { boolValue: v }, effectiveValue: { boolValue: v }, formattedValue: v ? 'TRUE' : 'FALSE' };
  return { userEnteredValue: { stringValue: v }, effectiveValue: { stringValue: v }, formattedValue: v };
}
