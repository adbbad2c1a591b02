import { parseA1Range, type GridBounds } from './a1-range.js';
import { chartsOnSheet } from './chart-requests.js';
import { badRequest, SheetsApiError } from './google-error.js';
import { valuesBatchUpdateByDataFilterSchema, writeByDataFilter } from './data-filter-values.js';
import { gridDataOf } from './grid-data.js';
import { mergeResource } from './merge-requests.js';
import { searchMetadata } from './metadata-search.js';
import { createSpreadsheetSchema, describeIssue, metadataSearchSchema, spreadsheetBatchUpdateSchema, valuesBatchUpdateSchema } from './request-schemas.js';
import { resolveRange, type SheetsState, type SpreadsheetModel } from './spreadsheet-model.js';
import { applyRequests } from './structural-requests.js';
import { readValues, writeValues, type MajorDimension, type ValueRenderOption } from './values-ops.js';
import type { z } from 'zod';

/**
 * One function per Sheets v4 method the project calls. Each gets the decoded path parameters,
 * the query and the parsed JSON body, and returns the response body or throws SheetsApiError.
 */

export interface HandlerContext {
  state: SheetsState;
  spreadsheetId: string;
  /** the decoded `{range}` or `{metadataId}` path segment */
  param: string;
  query: URLSearchParams;
  body: unknown;
  baseUrl: string;
}

export type Handler = (ctx: HandlerContext) => unknown;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  operation: string;
  handle: Handler;
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw badRequest(describeIssue(parsed.error));
  return parsed.data;
}

function oneOf<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback: T): T {
  const value = query.get(name);
  if (value === null) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw badRequest(`Invalid value at '${name}' (${value})`);
  return value as T;
}

/** atomic as the API is: the requests run on a copy that replaces the model only if all succeed */
function onCopy<T>(ctx: HandlerContext, apply: (copy: SpreadsheetModel) => T): T {
  const copy = structuredClone(ctx.state.get(ctx.spreadsheetId));
  const result = apply(copy);
  ctx.state.replace(copy);
  return result;
}

/** which tabs to show, and for each the grid ranges whose data to include (none: no grid data) */
type DataSelection = Map<number, GridBounds[]> | 'all' | 'none';

function spreadsheetResource(model: SpreadsheetModel, baseUrl: string, data: DataSelection = 'none'): Record<string, unknown> {
  const shown = data instanceof Map ? model.sheets.filter((s) => data.has(s.properties.sheetId)) : model.sheets;
  const sheets = shown.map((sheet) => {
    const id = sheet.properties.sheetId;
    const out: Record<string, unknown> = { properties: structuredClone(sheet.properties) };
    if (data === 'all') out['data'] = [gridDataOf(model, sheet, {})];
    else if (data instanceof Map) out['data'] = (data.get(id) ?? []).map((bounds) => gridDataOf(model, sheet, bounds));
    const metadata = model.developerMetadata.filter((m) => m.location.locationType === 'SHEET' && m.location.sheetId === id);
    if (metadata.length > 0) out['developerMetadata'] = structuredClone(metadata);
    if (sheet.merges.length > 0) out['merges'] = sheet.merges.map(mergeResource);
    const protectedRanges = model.protectedRanges.filter((p) => p.range.sheetId === id);
    if (protectedRanges.length > 0) out['protectedRanges'] = structuredClone(protectedRanges);
    if (sheet.conditionalFormats.length > 0) out['conditionalFormats'] = structuredClone(sheet.conditionalFormats);
    const charts = chartsOnSheet(model, id);
    if (charts.length > 0) out['charts'] = charts;
    return out;
  });
  const resource: Record<string, unknown> = {
    spreadsheetId: model.spreadsheetId,
    properties: structuredClone(model.properties),
    sheets,
    spreadsheetUrl: `${baseUrl}spreadsheets/d/${model.spreadsheetId}/edit`,
  };
  const topLevel = model.developerMetadata.filter((m) => m.location.locationType === 'SPREADSHEET');
  if (topLevel.length > 0) resource['developerMetadata'] = structuredClone(topLevel);
  return resource;
}

const RENDER_OPTIONS: readonly ValueRenderOption[] = ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'];
const MAJOR: readonly MajorDimension[] = ['ROWS', 'COLUMNS'];

const createSpreadsheet: Handler = (ctx) => spreadsheetResource(ctx.state.create(parseBody(createSpreadsheetSchema, ctx.body)), ctx.baseUrl);

/**
 * spreadsheets.get: grid data comes with `includeGridData=true`, or whenever a field mask is
 * set (the API then ignores includeGridData and the mask decides); `ranges` limits the answer
 * to the tabs they name, with one GridData per range.
 */
const getSpreadsheet: Handler = (ctx) => {
  const model = ctx.state.get(ctx.spreadsheetId);
  const wantsData = ctx.query.has('fields') || ctx.query.get('includeGridData') === 'true';
  const ranges = ctx.query.getAll('ranges');
  if (ranges.length === 0) return spreadsheetResource(model, ctx.baseUrl, wantsData ? 'all' : 'none');
  const selection = new Map<number, GridBounds[]>();
  for (const text of ranges) {
    const parsed = parseA1Range(text);
    if (!parsed.ok) throw badRequest(parsed.message);
    const { sheet, bounds } = resolveRange(model, parsed.range, text);
    const list = selection.get(sheet.properties.sheetId) ?? [];
    list.push(bounds);
    selection.set(sheet.properties.sheetId, list);
  }
  if (!wantsData) for (const key of selection.keys()) selection.set(key, []);
  return spreadsheetResource(model, ctx.baseUrl, selection);
};

const getValues: Handler = (ctx) => {
  const model = ctx.state.get(ctx.spreadsheetId);
  return readValues(model, ctx.param, oneOf(ctx.query, 'valueRenderOption', RENDER_OPTIONS, 'FORMATTED_VALUE'), oneOf(ctx.query, 'majorDimension', MAJOR, 'ROWS'));
};

const batchGetValues: Handler = (ctx) => {
  const model = ctx.state.get(ctx.spreadsheetId);
  const render = oneOf(ctx.query, 'valueRenderOption', RENDER_OPTIONS, 'FORMATTED_VALUE');
  const major = oneOf(ctx.query, 'majorDimension', MAJOR, 'ROWS');
  const ranges = ctx.query.getAll('ranges');
  const result: Record<string, unknown> = { spreadsheetId: model.spreadsheetId };
  if (ranges.length > 0) result['valueRanges'] = ranges.map((range) => readValues(model, range, render, major));
  return result;
};

const batchUpdateValues: Handler = (ctx) => {
  const body = parseBody(valuesBatchUpdateSchema, ctx.body);
  return onCopy(ctx, (copy) => {
    const responses = body.data.map((entry) => writeValues(copy, entry, body.valueInputOption));
    const sheetsTouched = new Set(responses.filter((r) => (r.updatedCells ?? 0) > 0).map((r) => r.updatedRange.slice(0, r.updatedRange.lastIndexOf('!'))));
    const sum = (key: 'updatedRows' | 'updatedColumns' | 'updatedCells') => responses.reduce((n, r) => n + (r[key] ?? 0), 0);
    const result: Record<string, unknown> = { spreadsheetId: copy.spreadsheetId };
    if (responses.length > 0) {
      Object.assign(result, { totalUpdatedRows: sum('updatedRows'), totalUpdatedColumns: sum('updatedColumns'), totalUpdatedCells: sum('updatedCells'), totalUpdatedSheets: sheetsTouched.size, responses });
    }
    return result;
  });
};

const batchUpdateValuesByDataFilter: Handler = (ctx) => {
  const body = parseBody(valuesBatchUpdateByDataFilterSchema, ctx.body);
  return onCopy(ctx, (copy) => writeByDataFilter(copy, body));
};

const batchUpdateSpreadsheet: Handler = (ctx) => {
  const body = parseBody(spreadsheetBatchUpdateSchema, ctx.body);
  return onCopy(ctx, (copy) => {
    const replies = applyRequests(copy, body.requests);
    const result: Record<string, unknown> = { spreadsheetId: copy.spreadsheetId, replies };
    if (body.includeSpreadsheetInResponse === true) result['updatedSpreadsheet'] = spreadsheetResource(copy, ctx.baseUrl);
    return result;
  });
};

const searchDeveloperMetadata: Handler = (ctx) => {
  const body = parseBody(metadataSearchSchema, ctx.body);
  return searchMetadata(ctx.state.get(ctx.spreadsheetId), body.dataFilters);
};

const getDeveloperMetadata: Handler = (ctx) => {
  const id = Number(ctx.param);
  const found = ctx.state.get(ctx.spreadsheetId).developerMetadata.find((m) => m.metadataId === id);
  if (found === undefined) throw new SheetsApiError(404, `No developer metadata with ID: ${ctx.param}`);
  return structuredClone(found);
};

const ID = '([^/:]+)';

export const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: /^\/v4\/spreadsheets$/, operation: 'spreadsheets.create', handle: createSpreadsheet },
  { method: 'GET', pattern: new RegExp(`^/v4/spreadsheets/${ID}$`), operation: 'spreadsheets.get', handle: getSpreadsheet },
  { method: 'POST', pattern: new RegExp(`^/v4/spreadsheets/${ID}:batchUpdate$`), operation: 'spreadsheets.batchUpdate', handle: batchUpdateSpreadsheet },
  { method: 'GET', pattern: new RegExp(`^/v4/spreadsheets/${ID}/values:batchGet$`), operation: 'values.batchGet', handle: batchGetValues },
  { method: 'POST', pattern: new RegExp(`^/v4/spreadsheets/${ID}/values:batchUpdate$`), operation: 'values.batchUpdate', handle: batchUpdateValues },
  { method: 'POST', pattern: new RegExp(`^/v4/spreadsheets/${ID}/values:batchUpdateByDataFilter$`), operation: 'values.batchUpdateByDataFilter', handle: batchUpdateValuesByDataFilter },
  { method: 'GET', pattern: new RegExp(`^/v4/spreadsheets/${ID}/values/([^/]+)$`), operation: 'values.get', handle: getValues },
  { method: 'POST', pattern: new RegExp(`^/v4/spreadsheets/${ID}/developerMetadata:search$`), operation: 'developerMetadata.search', handle: searchDeveloperMetadata },
  { method: 'GET', pattern: new RegExp(`^/v4/spreadsheets/${ID}/developerMetadata/([0-9]+)$`), operation: 'developerMetadata.get', handle: getDeveloperMetadata },
];

export interface RouteMatch {
  route: Route;
  spreadsheetId: string | undefined;
  param: string;
}

/** matches on the raw (still percent-encoded) path so that an encoded `/` or `:` in a range stays inside it */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(rawPath);
    if (m === null) continue;
    const spreadsheetId = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
    return { route, spreadsheetId, param: m[2] === undefined ? '' : decodeURIComponent(m[2]) };
  }
  return undefined;
}
