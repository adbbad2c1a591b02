import { deleteDimension, insertDimension } from './dimension-shift.js';
import { badRequest, SheetsApiError } from './google-error.js';
import { describeIssue, structuralRequestSchema, type DimensionRangeInput, type GridRange } from './request-schemas.js';
import { addSheet, allocateId, requireSheetId, type DeveloperMetadata, type DimensionRange, type MetadataLocation, type ProtectedRange, type SpreadsheetModel } from './spreadsheet-model.js';

/**
 * The requests of spreadsheets.batchUpdate, applied one after another to a model. The caller
 * passes a copy and commits it only if every request succeeded (the API's atomic batch); an
 * error names the request as Google does: `Invalid requests[1].addSheet: ...`.
 */

export type Reply = Record<string, unknown>;

export function applyRequests(model: SpreadsheetModel, requests: readonly Record<string, unknown>[]): Reply[] {
  return requests.map((raw, i) => {
    const kind = Object.keys(raw)[0] ?? '';
    const parsed = structuralRequestSchema.safeParse(raw);
    if (!parsed.success || Object.keys(raw).length !== 1) {
      const known = ['addSheet', 'createDeveloperMetadata', 'addProtectedRange', 'repeatCell', 'updateCells', 'insertDimension', 'deleteDimension'];
      if (!known.includes(kind)) throw badRequest(`Invalid requests[${i}]: the test server does not support "${kind}" (or the request names more than one kind).`);
      throw badRequest(parsed.success ? `Invalid requests[${i}]: one kind per request` : describeIssue(parsed.error, `requests[${i}].`));
    }
    try {
      return applyOne(model, parsed.data);
    } catch (error) {
      if (error instanceof SheetsApiError) throw new SheetsApiError(error.code, `Invalid requests[${i}].${kind}: ${error.message}`);
      throw error;
    }
  });
}

type Parsed = ReturnType<typeof structuralRequestSchema.parse>;

function applyOne(model: SpreadsheetModel, request: Parsed): Reply {
  if ('addSheet' in request) return { addSheet: { properties: structuredClone(addSheet(model, request.addSheet.properties)) } };
  if ('createDeveloperMetadata' in request) {
    const input = request.createDeveloperMetadata.developerMetadata;
    const id = input.metadataId ?? nextFreeMetadataId(model);
    if (model.developerMetadata.some((m) => m.metadataId === id)) throw badRequest(`Developer metadata with ID ${id} already exists.`);
    const metadata: DeveloperMetadata = { metadataId: id, metadataKey: input.metadataKey, location: toLocation(model, input.location), visibility: input.visibility };
    if (input.metadataValue !== undefined) metadata.metadataValue = input.metadataValue;
    model.developerMetadata.push(metadata);
    return { createDeveloperMetadata: { developerMetadata: structuredClone(metadata) } };
  }
  if ('addProtectedRange' in request) {
    const input = request.addProtectedRange.protectedRange;
    checkGridRange(model, input.range);
    input.unprotectedRanges?.forEach((r) => checkGridRange(model, r));
    const protectedRange: ProtectedRange = { ...input, protectedRangeId: input.protectedRangeId ?? allocateId(model), warningOnly: input.warningOnly ?? false, requestingUserCanEdit: true };
    if (model.protectedRanges.some((p) => p.protectedRangeId === protectedRange.protectedRangeId && p !== protectedRange)) throw badRequest(`A protected range with ID ${protectedRange.protectedRangeId} already exists.`);
    model.protectedRanges.push(protectedRange);
    return { addProtectedRange: { protectedRange: structuredClone(protectedRange) } };
  }
  if ('repeatCell' in request || 'updateCells' in request) {
    const kind = 'repeatCell' in request ? 'repeatCell' : 'updateCells';
    const body = 'repeatCell' in request ? request.repeatCell : request.updateCells;
    if (body.range !== undefined) checkGridRange(model, body.range);
    else if (body.start !== undefined) requireSheetId(model, body.start.sheetId);
    else throw badRequest('a range or a start is required.');
    model.formats.push({ kind, request: structuredClone(body) as Record<string, unknown> });
    return {};
  }
  if ('insertDimension' in request) {
    insertDimension(model, concreteDimension(request.insertDimension.range));
    return {};
  }
  deleteDimension(model, concreteDimension(request.deleteDimension.range));
  return {};
}

function concreteDimension(range: DimensionRangeInput): DimensionRange {
  if (range.startIndex === undefined || range.endIndex === undefined) throw badRequest('startIndex and endIndex are required.');
  return { sheetId: range.sheetId, dimension: range.dimension, startIndex: range.startIndex, endIndex: range.endIndex };
}

function nextFreeMetadataId(model: SpreadsheetModel): number {
  let id = allocateId(model);
  while (model.developerMetadata.some((m) => m.metadataId === id)) id = allocateId(model);
  return id;
}

function toLocation(model: SpreadsheetModel, input: { spreadsheet?: boolean | undefined; sheetId?: number | undefined; dimensionRange?: DimensionRangeInput | undefined }): MetadataLocation {
  const given = [input.spreadsheet === true, input.sheetId !== undefined, input.dimensionRange !== undefined].filter(Boolean).length;
  if (given !== 1) throw badRequest('A location must name exactly one of spreadsheet, sheetId or dimensionRange.');
  if (input.spreadsheet === true) return { locationType: 'SPREADSHEET', spreadsheet: true };
  if (input.sheetId !== undefined) {
    requireSheetId(model, input.sheetId);
    return { locationType: 'SHEET', sheetId: input.sheetId };
  }
  const range = concreteDimension(input.dimensionRange as DimensionRangeInput);
  const sheet = requireSheetId(model, range.sheetId);
  if (range.endIndex !== range.startIndex + 1) throw badRequest('The specified DimensionRange must represent a single row or column.');
  const size = range.dimension === 'ROWS' ? sheet.properties.gridProperties.rowCount : sheet.properties.gridProperties.columnCount;
  if (range.endIndex > size) throw badRequest(`The dimension range is beyond the grid (${size} ${range.dimension.toLowerCase()}).`);
  return { locationType: range.dimension === 'ROWS' ? 'ROW' : 'COLUMN', dimensionRange: range };
}

function checkGridRange(model: SpreadsheetModel, range: GridRange): void {
  const grid = requireSheetId(model, range.sheetId).properties.gridProperties;
  const rowsOk = (range.endRowIndex ?? 0) <= grid.rowCount && (range.startRowIndex ?? 0) <= (range.endRowIndex ?? grid.rowCount);
  const columnsOk = (range.endColumnIndex ?? 0) <= grid.columnCount && (range.startColumnIndex ?? 0) <= (range.endColumnIndex ?? grid.columnCount);
  if (!rowsOk || !columnsOk) throw badRequest(`The range is beyond the grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`);
}
