import { shiftFormulas } from './formula-references.js';
import { badRequest } from './google-error.js';
import { cellCount } from './merge-requests.js';
import type { GridRange } from './request-schemas.js';
import { requireSheetId, type Cell, type DimensionRange, type SheetModel, type SpreadsheetModel } from './spreadsheet-model.js';

/**
 * insertDimension / deleteDimension / moveDimension / appendDimension: cells, row and column
 * developer metadata, protected ranges, conditional-format ranges and merged blocks move with
 * the rows (or columns) they sit on; what sat only on deleted rows goes with them (a
 * conditional-format rule left without a range is removed, a merge left with one cell is no
 * merge). Rows or columns inserted inside a range (a merged group header, a protected column
 * span) widen it; inserted at its edge, they do not. Formulas' references follow their cells on
 * insertDimension and deleteDimension (formula-references.ts).
 *
 * Approximations (this server stands in for Google for the project's own tests): a range
 * partly moved by moveDimension becomes the span of where its cells went (a merged block
 * included), a range open on one side is left as it is by a move, and moveDimension does not
 * rewrite formulas.
 */

/** how a dimension's indexes change: a half-open [start, end) range, and one bound of a range open on its other side (null: left as it is) */
interface IndexShift {
  range(start: number, end: number): [number, number] | null;
  bound: ((i: number) => number) | null;
}

export function insertDimension(model: SpreadsheetModel, range: DimensionRange): void {
  const sheet = requireSheetId(model, range.sheetId);
  const size = sizeOf(sheet, range.dimension);
  const count = range.endIndex - range.startIndex;
  if (count <= 0) throw badRequest('Invalid dimension range: the end index must be greater than the start index.');
  if (range.startIndex > size) throw badRequest(`Cannot insert at index ${range.startIndex}: the sheet has only ${size} ${nameOf(range.dimension)}.`);
  if (range.dimension === 'ROWS') {
    if (range.startIndex < sheet.cells.length) sheet.cells.splice(range.startIndex, 0, ...Array.from({ length: count }, () => []));
    sheet.properties.gridProperties.rowCount += count;
  } else {
    for (const row of sheet.cells) if (row !== undefined && range.startIndex < row.length) row.splice(range.startIndex, 0, ...new Array<undefined>(count));
    sheet.properties.gridProperties.columnCount += count;
  }
  const index = (i: number) => (i >= range.startIndex ? i + count : i);
  // an end sitting on the boundary of an insertion stays put: the range does not grow
  shiftLocations(model, range, { bound: index, range: (s, e) => [index(s), e === range.startIndex ? e : index(e)] });
  shiftFormulas(model, { title: sheet.properties.title, dimension: range.dimension, kind: 'insert', start: range.startIndex, count });
}

export function deleteDimension(model: SpreadsheetModel, range: DimensionRange): void {
  const sheet = requireSheetId(model, range.sheetId);
  const size = sizeOf(sheet, range.dimension);
  const count = range.endIndex - range.startIndex;
  if (count <= 0) throw badRequest('Invalid dimension range: the end index must be greater than the start index.');
  if (range.endIndex > size) throw badRequest(`Invalid requests: the range ${range.startIndex}-${range.endIndex} is beyond the ${size} ${nameOf(range.dimension)} of the sheet.`);
  if (count === size) throw badRequest("You can't remove all the rows on the sheet.");
  if (range.dimension === 'ROWS') {
    sheet.cells.splice(range.startIndex, count);
    sheet.properties.gridProperties.rowCount -= count;
  } else {
    for (const row of sheet.cells) if (row !== undefined) row.splice(range.startIndex, count);
    sheet.properties.gridProperties.columnCount -= count;
  }
  const index = (i: number) => (i >= range.endIndex ? i - count : Math.min(i, range.startIndex));
  shiftLocations(model, range, {
    bound: index,
    range: (s, e) => {
      const [start, end] = [index(s), index(e)];
      return start === end ? null : [start, end];
    },
  });
  shiftFormulas(model, { title: sheet.properties.title, dimension: range.dimension, kind: 'delete', start: range.startIndex, count });
}

/**
 * The v4 MoveDimensionRequest: `destinationIndex` is read in the coordinates before the
 * source is taken out, e.g. rows 0..4 holding 0,1,2,3,4 with source [1,3) and destination 4
 * end up as 0,3,1,2,4.
 */
export function moveDimension(model: SpreadsheetModel, source: DimensionRange, destinationIndex: number): void {
  const sheet = requireSheetId(model, source.sheetId);
  const size = sizeOf(sheet, source.dimension);
  if (source.endIndex <= source.startIndex) throw badRequest('Invalid dimension range: the end index must be greater than the start index.');
  if (source.endIndex > size || destinationIndex > size) throw badRequest(`The move is beyond the ${size} ${nameOf(source.dimension)} of the sheet.`);
  const order = Array.from({ length: size }, (_, i) => i);
  const moved = order.slice(source.startIndex, source.endIndex);
  const rest = order.filter((i) => i < source.startIndex || i >= source.endIndex);
  const at = rest.filter((i) => i < destinationIndex).length;
  const after = [...rest.slice(0, at), ...moved, ...rest.slice(at)];
  const newIndex = new Array<number>(size);
  after.forEach((old, position) => (newIndex[old] = position));
  const index = (i: number) => (i < size ? (newIndex[i] as number) : i);

  if (source.dimension === 'ROWS') {
    const rows = sheet.cells;
    sheet.cells = [];
    rows.forEach((row, i) => {
      if (row !== undefined) sheet.cells[index(i)] = row;
    });
  } else {
    sheet.cells = sheet.cells.map((row) => {
      if (row === undefined) return row;
      const out: (Cell | undefined)[] = [];
      row.forEach((cell, i) => {
        if (cell !== undefined) out[index(i)] = cell;
      });
      return out;
    });
  }
  shiftLocations(model, source, {
    bound: null,
    range: (s, e) => {
      const spots = Array.from({ length: e - s }, (_, k) => index(s + k));
      return [Math.min(...spots), Math.max(...spots) + 1];
    },
  });
}

/** appendDimension: rows or columns added at the end; nothing moves */
export function appendDimension(model: SpreadsheetModel, sheetId: number, dimension: 'ROWS' | 'COLUMNS', length: number): void {
  const grid = requireSheetId(model, sheetId).properties.gridProperties;
  if (dimension === 'ROWS') grid.rowCount += length;
  else grid.columnCount += length;
}

function sizeOf(sheet: SheetModel, dimension: 'ROWS' | 'COLUMNS'): number {
  const grid = sheet.properties.gridProperties;
  return dimension === 'ROWS' ? grid.rowCount : grid.columnCount;
}

function nameOf(dimension: 'ROWS' | 'COLUMNS'): string {
  return dimension === 'ROWS' ? 'rows' : 'columns';
}

function shiftLocations(model: SpreadsheetModel, range: DimensionRange, shift: IndexShift): void {
  model.developerMetadata = model.developerMetadata.filter((m) => {
    const d = m.location.dimensionRange;
    if (d === undefined || d.sheetId !== range.sheetId || d.dimension !== range.dimension) return true;
    const moved = shift.range(d.startIndex, d.endIndex);
    if (moved === null) return false;
    d.startIndex = moved[0];
    d.endIndex = moved[0] + 1;
    return true;
  });
  const [startKey, endKey] = range.dimension === 'ROWS' ? (['startRowIndex', 'endRowIndex'] as const) : (['startColumnIndex', 'endColumnIndex'] as const);
  /** the range moved in place; false when nothing of it is left */
  const moveGrid = (g: GridRange): boolean => {
    if (g.sheetId !== range.sheetId) return true;
    const s = g[startKey];
    const e = g[endKey];
    if (s !== undefined && e !== undefined) {
      const moved = shift.range(s, e);
      if (moved === null) return false;
      [g[startKey], g[endKey]] = moved;
      return true;
    }
    if (shift.bound === null) return true;
    if (s !== undefined) g[startKey] = shift.bound(s);
    if (e !== undefined) g[endKey] = shift.bound(e);
    return true;
  };
  model.protectedRanges = model.protectedRanges.filter((p) => {
    if (!moveGrid(p.range)) return false;
    p.unprotectedRanges = p.unprotectedRanges?.filter(moveGrid);
    if (p.unprotectedRanges === undefined) delete p.unprotectedRanges;
    return true;
  });
  const sheet = model.sheets.find((s) => s.properties.sheetId === range.sheetId);
  if (sheet !== undefined) {
    sheet.conditionalFormats = sheet.conditionalFormats.filter((rule) => {
      rule.ranges = rule.ranges.filter(moveGrid);
      return rule.ranges.length > 0;
    });
    sheet.merges = sheet.merges.filter((m) => moveGrid(m) && cellCount(m) > 1);
  }
}
