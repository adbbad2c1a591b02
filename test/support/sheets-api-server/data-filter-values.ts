import { z } from 'zod';
import { formatA1Range, type GridBounds } from './a1-range.js';
import { badRequest } from './google-error.js';
import { metadataMatching } from './metadata-search.js';
import { cellInputSchema, dataFilterSchema, type DataFilter } from './request-schemas.js';
import { requireSheetId, type SpreadsheetModel } from './spreadsheet-model.js';
import { writeValues, type UpdateValuesResponse, type ValueInputOption } from './values-ops.js';

/**
 * values.batchUpdateByDataFilter: each DataFilterValueRange's filter selects ranges, and its
 * values are written into every one of them, as the reference says ("If more than one range is
 * matched by the specified DataFilter the specified values are applied to all of those
 * ranges"; "If the provided values exceed any of the ranges matched by the data filter then
 * the request fails"; fewer values leave the rest unaffected; null skips a cell):
 * - a1Range: that range, as values.batchUpdate reads it;
 * - gridRange: that range of the sheet with that id (an unknown id is refused);
 * - developerMetadataLookup: the location of each metadata entry it selects — a column's
 *   metadata the whole column (row 1 to the last row), a row's the whole row, a tab's the
 *   whole tab (Google's metadata guide); spreadsheet-level metadata names no cells and is refused.
 * A lookup that selects nothing writes nothing (the API's answer for it is not documented; the
 * server lists no response for it). A filter must set exactly one of the three.
 */

export const valuesBatchUpdateByDataFilterSchema = z.object({
  valueInputOption: z.enum(['RAW', 'USER_ENTERED']),
  data: z
    .array(
      z.object({
        dataFilter: dataFilterSchema,
        majorDimension: z.enum(['ROWS', 'COLUMNS']).optional(),
        values: z.array(z.array(cellInputSchema)).default([]),
      }),
    )
    .min(1),
  includeValuesInResponse: z.boolean().optional(),
});
export type ValuesBatchUpdateByDataFilter = z.infer<typeof valuesBatchUpdateByDataFilterSchema>;

/** The A1 ranges (whole, bounded) one filter selects now. */
export function rangesOf(model: SpreadsheetModel, filter: DataFilter, at: string): string[] {
  const set = [filter.a1Range, filter.gridRange, filter.developerMetadataLookup].filter((f) => f !== undefined).length;
  if (set !== 1) throw badRequest(`Invalid ${at}: exactly one of developerMetadataLookup, a1Range and gridRange must be set.`);
  if (filter.a1Range !== undefined) return [filter.a1Range];
  if (filter.gridRange !== undefined) {
    const sheet = requireSheetId(model, filter.gridRange.sheetId);
    return [bounded(sheet.properties.title, sheet.properties.gridProperties, filter.gridRange)];
  }
  return metadataMatching(model, filter, at).map((m) => {
    const location = m.location;
    if (location.locationType === 'SPREADSHEET') throw badRequest(`Invalid ${at}: metadata on the spreadsheet selects no cells.`);
    const sheetId = location.locationType === 'SHEET' ? (location.sheetId as number) : (location.dimensionRange?.sheetId as number);
    const sheet = requireSheetId(model, sheetId);
    const range = location.dimensionRange;
    if (range === undefined) return bounded(sheet.properties.title, sheet.properties.gridProperties, {});
    const bounds: GridBounds = range.dimension === 'COLUMNS' ? { startColumnIndex: range.startIndex, endColumnIndex: range.endIndex } : { startRowIndex: range.startIndex, endRowIndex: range.endIndex };
    return bounded(sheet.properties.title, sheet.properties.gridProperties, bounds);
  });
}

function bounded(title: string, grid: { rowCount: number; columnCount: number }, bounds: GridBounds): string {
  return formatA1Range(title, {
    startRowIndex: bounds.startRowIndex ?? 0,
    endRowIndex: bounds.endRowIndex ?? grid.rowCount,
    startColumnIndex: bounds.startColumnIndex ?? 0,
    endColumnIndex: bounds.endColumnIndex ?? grid.columnCount,
  });
}

/** Applies every entry to `model` (a copy the caller commits only if this returns). */
export function writeByDataFilter(model: SpreadsheetModel, body: ValuesBatchUpdateByDataFilter): Record<string, unknown> {
  const responses: (UpdateValuesResponse & { dataFilter: DataFilter })[] = [];
  const input: ValueInputOption = body.valueInputOption;
  body.data.forEach((entry, i) => {
    for (const range of rangesOf(model, entry.dataFilter, `data[${i}].dataFilter`)) {
      const { spreadsheetId: _, ...response } = writeValues(model, { range, majorDimension: entry.majorDimension, values: entry.values }, input);
      responses.push({ spreadsheetId: model.spreadsheetId, ...response, dataFilter: entry.dataFilter });
    }
  });
  const touched = responses.filter((r) => (r.updatedCells ?? 0) > 0);
  const sum = (key: 'updatedRows' | 'updatedColumns' | 'updatedCells') => responses.reduce((n, r) => n + (r[key] ?? 0), 0);
  const result: Record<string, unknown> = { spreadsheetId: model.spreadsheetId };
  if (responses.length > 0) {
    Object.assign(result, {
      totalUpdatedRows: sum('updatedRows'),
      totalUpdatedColumns: sum('updatedColumns'),
      totalUpdatedCells: sum('updatedCells'),
      totalUpdatedSheets: new Set(touched.map((r) => r.updatedRange.slice(0, r.updatedRange.lastIndexOf('!')))).size,
      responses: responses.map(({ spreadsheetId: _, ...r }) => r),
    });
  }
  return result;
}
