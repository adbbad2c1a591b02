import { z } from 'zod';
import { defineRequest, type AddedRequest } from './added-request.js';
import { badRequest } from './google-error.js';
import { gridRangeSchema, type GridRange } from './request-schemas.js';
import { requireSheetId, type MergedRange, type SheetModel } from './spreadsheet-model.js';

/**
 * MergeCellsRequest and UnmergeCellsRequest (v4 reference), and the merged blocks they leave,
 * which spreadsheets.get lists as `Sheet.merges` (handlers.ts):
 * - a merge may not cut through another one: merging or unmerging a range that holds part of a
 *   merged block is refused with the message Google gives ("You must select all cells in a
 *   merged range to merge or unmerge them."); the blocks wholly inside the range are replaced by
 *   the new merge (mergeCells) or undone (unmergeCells), which is what the UnmergeCellsRequest
 *   reference says for unmerging ("If the range spans multiple merges, all will be unmerged. The
 *   range must not partially span any merge.");
 * - mergeType MERGE_ALL (the default, as proto3 reads an absent enum: its first value) makes one
 *   block, MERGE_COLUMNS one per column, MERGE_ROWS one per row; a block of one cell is no merge;
 * - a new block keeps its top-left cell and empties the others, as Google's own merge warns it
 *   does ("only the top-left value is kept"; the API's silence on it is read the same way);
 * - an open side of the range runs to the edge of the grid; a range beyond it is refused.
 * Blocks move with insertDimension / deleteDimension and sortRange (dimension-shift.ts,
 * sort-range.ts).
 */

export const PARTIAL_MERGE_MESSAGE = 'You must select all cells in a merged range to merge or unmerge them.';

/** the range with its open sides at the grid's edges; refused beyond the grid, as other requests are */
export function concreteRange(sheet: SheetModel, range: GridRange): MergedRange {
  const grid = sheet.properties.gridProperties;
  const out: MergedRange = {
    sheetId: sheet.properties.sheetId,
    startRowIndex: range.startRowIndex ?? 0,
    endRowIndex: range.endRowIndex ?? grid.rowCount,
    startColumnIndex: range.startColumnIndex ?? 0,
    endColumnIndex: range.endColumnIndex ?? grid.columnCount,
  };
  if (out.endRowIndex > grid.rowCount || out.endColumnIndex > grid.columnCount) throw badRequest(`The range is beyond the grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`);
  if (out.startRowIndex > out.endRowIndex || out.startColumnIndex > out.endColumnIndex) throw badRequest('The start index of a range must be less than or equal to its end index.');
  return out;
}

export function intersects(a: MergedRange, b: MergedRange): boolean {
  return a.startRowIndex < b.endRowIndex && b.startRowIndex < a.endRowIndex && a.startColumnIndex < b.endColumnIndex && b.startColumnIndex < a.endColumnIndex;
}

export function contains(outer: MergedRange, inner: MergedRange): boolean {
  return outer.startRowIndex <= inner.startRowIndex && inner.endRowIndex <= outer.endRowIndex && outer.startColumnIndex <= inner.startColumnIndex && inner.endColumnIndex <= outer.endColumnIndex;
}

export function cellCount(m: MergedRange): number {
  return Math.max(0, m.endRowIndex - m.startRowIndex) * Math.max(0, m.endColumnIndex - m.startColumnIndex);
}

/** the merged blocks `range` holds part of without holding all of */
export function mergesCutBy(sheet: SheetModel, range: MergedRange): MergedRange[] {
  return sheet.merges.filter((m) => intersects(range, m) && !contains(range, m));
}

function blocksOf(range: MergedRange, mergeType: 'MERGE_ALL' | 'MERGE_COLUMNS' | 'MERGE_ROWS'): MergedRange[] {
  if (mergeType === 'MERGE_ALL') return [range];
  if (mergeType === 'MERGE_COLUMNS') {
    return Array.from({ length: range.endColumnIndex - range.startColumnIndex }, (_, k) => ({ ...range, startColumnIndex: range.startColumnIndex + k, endColumnIndex: range.startColumnIndex + k + 1 }));
  }
  return Array.from({ length: range.endRowIndex - range.startRowIndex }, (_, k) => ({ ...range, startRowIndex: range.startRowIndex + k, endRowIndex: range.startRowIndex + k + 1 }));
}

const mergeCells = defineRequest(
  z.object({ range: gridRangeSchema, mergeType: z.enum(['MERGE_ALL', 'MERGE_COLUMNS', 'MERGE_ROWS']).default('MERGE_ALL') }),
  (model, { range, mergeType }) => {
    const sheet = requireSheetId(model, range.sheetId);
    const target = concreteRange(sheet, range);
    if (mergesCutBy(sheet, target).length > 0) throw badRequest(PARTIAL_MERGE_MESSAGE);
    sheet.merges = sheet.merges.filter((m) => !contains(target, m));
    for (const block of blocksOf(target, mergeType)) {
      if (cellCount(block) < 2) continue;
      for (let r = block.startRowIndex; r < block.endRowIndex; r++) {
        const row = sheet.cells[r];
        if (row === undefined) continue;
        for (let c = block.startColumnIndex; c < block.endColumnIndex; c++) if (r !== block.startRowIndex || c !== block.startColumnIndex) row[c] = undefined;
      }
      sheet.merges.push(block);
    }
    return {};
  },
);

const unmergeCells = defineRequest(z.object({ range: gridRangeSchema }), (model, { range }) => {
  const sheet = requireSheetId(model, range.sheetId);
  const target = concreteRange(sheet, range);
  if (mergesCutBy(sheet, target).length > 0) throw badRequest(PARTIAL_MERGE_MESSAGE);
  sheet.merges = sheet.merges.filter((m) => !contains(target, m));
  return {};
});

export const MERGE_REQUESTS: Readonly<Record<string, AddedRequest>> = { mergeCells, unmergeCells };

/**
 * A merge as spreadsheets.get answers it: a GridRange in proto3 JSON, where a field holding its
 * default (a start index of 0, sheet id 0) is left out — the project reads an absent start as 0.
 */
export function mergeResource(m: MergedRange): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['sheetId', 'startRowIndex', 'endRowIndex', 'startColumnIndex', 'endColumnIndex'] as const) if (m[key] !== 0) out[key] = m[key];
  return out;
}
