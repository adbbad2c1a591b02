import type { AddedRequest } from './added-request.js';
import { CHART_REQUESTS } from './chart-requests.js';
import { SHEET_REQUESTS } from './delete-sheet-request.js';
import { MERGE_REQUESTS } from './merge-requests.js';
import { METADATA_REQUESTS } from './metadata-requests.js';
import { appendDimension, deleteDimension, insertDimension, moveDimension } from './dimension-shift.js';
import { SHEET_PROPERTY_REQUESTS } from './sheet-properties-request.js';
import { sortRange } from './sort-range.js';
import { badRequest, SheetsApiError } from './google-error.js';
import { z } from 'zod';
import { describeIssue, REQUEST_BODY_SCHEMAS, type DimensionRangeInput, type GridRange, type RequestKind, type StructuralRequest } from './request-schemas.js';
import { addSheet, allocateId, checkGridLimits, requireSheetId, type ConditionalFormatRule, type DeveloperMetadata, type DimensionRange, type MetadataLocation, type ProtectedRange, type SpreadsheetModel } from './spreadsheet-model.js';

/**
 * The requests of spreadsheets.batchUpdate, applied one after another to a model. The caller
 * passes a copy and commits it only if every request succeeded (the API's atomic batch); an
 * error names the request as Google does: `Invalid requests[1].addSheet: ...`.
 */

export type Reply = Record<string, unknown>;

export function applyRequests(model: SpreadsheetModel, requests: readonly Record<string, unknown>[]): Reply[] {
  return requests.map((raw, i) => {
    const kinds = Object.keys(raw);
    const kind = kinds[0] ?? '';
    const added = Object.hasOwn(ADDED_REQUESTS, kind) ? ADDED_REQUESTS[kind] : undefined;
    if (kinds.length !== 1 || !(kind in REQUEST_BODY_SCHEMAS || added)) throw badRequest(`Invalid requests[${i}]: the test server does not support "${kinds.join('+')}" (or the request names more than one kind).`);
    const parsed = z.object({ [kind]: added?.schema ?? REQUEST_BODY_SCHEMAS[kind as RequestKind] }).safeParse(raw);
    if (!parsed.success) throw badRequest(describeIssue(parsed.error, `requests[${i}].`));
    try {
      const reply = added ? added.apply(model, (parsed.data as Record<string, unknown>)[kind]) : applyOne(model, parsed.data as StructuralRequest);
      checkGridLimits(model);
      return reply;
    } catch (error) {
      if (error instanceof SheetsApiError) throw new SheetsApiError(error.code, `Invalid requests[${i}].${kind}: ${error.message}`);
      throw error;
    }
  });
}

/** kinds kept in files of their own: charts, sheet properties, sheet deletion, merges, metadata deletion */
const ADDED_REQUESTS: Readonly<Record<string, AddedRequest>> = { ...CHART_REQUESTS, ...SHEET_PROPERTY_REQUESTS, ...SHEET_REQUESTS, ...MERGE_REQUESTS, ...METADATA_REQUESTS };

type Parsed = StructuralRequest;

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
    refuseWarningOnlyEditors(input);
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
  if ('updateProtectedRange' in request) return updateProtectedRange(model, request.updateProtectedRange.protectedRange, request.updateProtectedRange.fields);
  if ('deleteProtectedRange' in request) {
    const at = model.protectedRanges.findIndex((p) => p.protectedRangeId === request.deleteProtectedRange.protectedRangeId);
    if (at < 0) throw badRequest(`No protected range with id: ${request.deleteProtectedRange.protectedRangeId}`);
    model.protectedRanges.splice(at, 1);
    return {};
  }
  if ('addConditionalFormatRule' in request) {
    const { rule, index } = request.addConditionalFormatRule;
    const sheetId = rule.ranges[0]?.sheetId as number;
    rule.ranges.forEach((r) => checkGridRange(model, r));
    const sheet = requireSheetId(model, sheetId);
    if (index > sheet.conditionalFormats.length) throw badRequest(`Invalid index ${index}: the sheet has ${sheet.conditionalFormats.length} conditional format rules.`);
    sheet.conditionalFormats.splice(index, 0, structuredClone(rule) as ConditionalFormatRule);
    return {};
  }
  if ('deleteConditionalFormatRule' in request) {
    const { sheetId, index } = request.deleteConditionalFormatRule;
    const sheet = requireSheetId(model, sheetId);
    const [removed] = sheet.conditionalFormats.splice(index, 1);
    if (removed === undefined) throw badRequest(`No conditional format on sheet ${sheetId} at index ${index}`);
    return { deleteConditionalFormatRule: { rule: removed } };
  }
  if ('moveDimension' in request) {
    moveDimension(model, concreteDimension(request.moveDimension.source), request.moveDimension.destinationIndex);
    return {};
  }
  if ('appendDimension' in request) {
    appendDimension(model, request.appendDimension.sheetId, request.appendDimension.dimension, request.appendDimension.length);
    return {};
  }
  if ('sortRange' in request) {
    sortRange(model, request.sortRange.range, request.sortRange.sortSpecs);
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

/** updateProtectedRange with its field mask: `range`, `description`, `warningOnly`, `unprotectedRanges`, `editors`, or `*` */
function updateProtectedRange(model: SpreadsheetModel, input: Partial<ProtectedRange> & { protectedRangeId: number }, fields: string): Reply {
  const target = model.protectedRanges.find((p) => p.protectedRangeId === input.protectedRangeId);
  if (target === undefined) throw badRequest(`No protected range with id: ${input.protectedRangeId}`);
  const names = fields.trim() === '*' ? ['range', 'description', 'warningOnly', 'unprotectedRanges', 'editors'] : fields.split(',').map((f) => f.trim());
  for (const name of names) {
    if (name === 'range') {
      if (input.range === undefined) throw badRequest('range is in the field mask but not given.');
      checkGridRange(model, input.range);
      target.range = structuredClone(input.range);
    } else if (name === 'description' || name === 'warningOnly' || name === 'unprotectedRanges' || name === 'editors') {
      const value = input[name];
      if (value === undefined) delete target[name as 'description'];
      else Object.assign(target, { [name]: structuredClone(value) });
    } else {
      throw badRequest(`Invalid field mask: "${name}" is not a field of ProtectedRange that can be updated.`);
    }
  }
  if (target.warningOnly === undefined) target.warningOnly = false;
  if (names.includes('editors')) refuseWarningOnlyEditors(target);
  return {};
}

/**
 * Google refuses editors on a warning-only range in these words (burnash/gspread#1437:
 * `ProtectedRange is warningOnly. Editors cannot be set on it.`; the discovery document: "Editors
 * are not supported with warning_only protection").
 */
function refuseWarningOnlyEditors(range: { warningOnly?: boolean | undefined; editors?: unknown }): void {
  if (range.warningOnly === true && range.editors !== undefined) throw badRequest('ProtectedRange is warningOnly. Editors cannot be set on it.');
}
