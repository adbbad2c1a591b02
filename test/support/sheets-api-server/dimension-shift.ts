import { badRequest } from './google-error.js';
import type { GridRange } from './request-schemas.js';
import { requireSheetId, type DimensionRange, type SpreadsheetModel } from './spreadsheet-model.js';

/**
 * insertDimension / deleteDimension: cells, row/column developer metadata and protected
 * ranges move with the rows (or columns) they sit on; metadata on a deleted row goes with it.
 */

export function insertDimension(model: SpreadsheetModel, range: DimensionRange): void {
  const sheet = requireSheetId(model, range.sheetId);
  const grid = sheet.properties.gridProperties;
  const size = range.dimension === 'ROWS' ? grid.rowCount : grid.columnCount;
  const count = range.endIndex - range.startIndex;
  if (count <= 0) throw badRequest('Invalid dimension range: the end index must be greater than the start index.');
  if (range.startIndex > size) throw badRequest(`Cannot insert at index ${range.startIndex}: the sheet has only ${size} ${range.dimension === 'ROWS' ? 'rows' : 'columns'}.`);
  if (range.dimension === 'ROWS') {
    if (range.startIndex < sheet.cells.length) sheet.cells.splice(range.startIndex, 0, ...Array.from({ length: count }, () => []));
    grid.rowCount += count;
  } else {
    for (const row of sheet.cells) if (row !== undefined && range.startIndex < row.length) row.splice(range.startIndex, 0, ...new Array<undefined>(count));
    grid.columnCount += count;
  }
  const shift = (index: number) => (index >= range.startIndex ? index + count : index);
  shiftLocations(model, range, shift, () => false);
}

export function deleteDimension(model: SpreadsheetModel, range: DimensionRange): void {
  const sheet = requireSheetId(model, range.sheetId);
  const grid = sheet.properties.gridProperties;
  const size = range.dimension === 'ROWS' ? grid.rowCount : grid.columnCount;
  const count = range.endIndex - range.startIndex;
  if (count <= 0) throw badRequest('Invalid dimension range: the end index must be greater than the start index.');
  if (range.endIndex > size) throw badRequest(`Invalid requests: the range ${range.startIndex}-${range.endIndex} is beyond the ${size} ${range.dimension === 'ROWS' ? 'rows' : 'columns'} of the sheet.`);
  if (count === size) throw badRequest('You can\'t remove all the rows on the sheet.');
  if (range.dimension === 'ROWS') {
    sheet.cells.splice(range.startIndex, count);
    grid.rowCount -= count;
  } else {
    for (const row of sheet.cells) if (row !== undefined) row.splice(range.startIndex, count);
    grid.columnCount -= count;
  }
  const shift = (index: number) => (index >= range.endIndex ? index - count : Math.min(index, range.startIndex));
  const deleted = (start: number, end: number) => start >= range.startIndex && end <= range.endIndex;
  shiftLocations(model, range, shift, deleted);
}

function shiftLocations(model: SpreadsheetModel, range: DimensionRange, shift: (i: number) => number, deleted: (start: number, end: number) => boolean): void {
  model.developerMetadata = model.developerMetadata.filter((m) => {
    const d = m.location.dimensionRange;
    if (d === undefined || d.sheetId !== range.sheetId || d.dimension !== range.dimension) return true;
    if (deleted(d.startIndex, d.endIndex)) return false;
    d.startIndex = shift(d.startIndex);
    d.endIndex = d.startIndex + 1;
    return true;
  });
  const moveGrid = (g: GridRange) => {
    if (g.sheetId !== range.sheetId) return;
    const [start, end] = range.dimension === 'ROWS' ? (['startRowIndex', 'endRowIndex'] as const) : (['startColumnIndex', 'endColumnIndex'] as const);
    const s = g[start];
    const e = g[end];
    if (s !== undefined) g[start] = shift(s);
    // an end sitting on the boundary of an insertion stays put: the range does not grow
    if (e !== undefined) g[end] = e === range.startIndex ? e : shift(e);
  };
  model.protectedRanges = model.protectedRanges.filter((p) => {
    const [start, end] = range.dimension === 'ROWS' ? [p.range.startRowIndex, p.range.endRowIndex] : [p.range.startColumnIndex, p.range.endColumnIndex];
    if (p.range.sheetId === range.sheetId && start !== undefined && end !== undefined && deleted(start, end)) return false;
    moveGrid(p.range);
    p.unprotectedRanges?.forEach(moveGrid);
    return true;
  });
}
