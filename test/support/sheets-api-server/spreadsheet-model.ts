import { formatSheetTitle, type GridBounds, type ParsedA1 } from './a1-range.js';
import { badRequest, notFound } from './google-error.js';
import type { EmbeddedChart } from './chart-requests.js';
import type { CreateSpreadsheetInput, GridRange, SheetPropertiesInput } from './request-schemas.js';

/**
 * The in-memory spreadsheets behind the test server. Plain data (structuredClone-able) so that
 * a spreadsheets.batchUpdate can run on a copy and be committed only when every request
 * succeeded, which is how the real API makes a batch atomic.
 */

export type CellValue = string | number | boolean;

/**
 * `formula`: a USER_ENTERED value starting with `=`, kept as typed. The server computes no
 * formula: Google does, and nothing in the API lets a client hand it a result to keep, so the
 * model has no result to show either. values.get with valueRenderOption FORMULA answers the
 * formula, as Google does; FORMATTED_VALUE and UNFORMATTED_VALUE, and GridData's
 * formattedValue, answer the formula text where Google would answer the computed value (an
 * approximation: the project compares the text a manager sees and must not depend on it).
 * References are moved by insertDimension / deleteDimension (formula-references.ts).
 */
export interface Cell {
  value: CellValue;
  formula: boolean;
}

export interface SheetProperties {
  sheetId: number;
  title: string;
  index: number;
  sheetType: 'GRID';
  hidden?: boolean;
  gridProperties: { rowCount: number; columnCount: number; frozenRowCount?: number; frozenColumnCount?: number };
}

export interface DimensionRange {
  sheetId: number;
  dimension: 'ROWS' | 'COLUMNS';
  startIndex: number;
  endIndex: number;
}

export interface MetadataLocation {
  locationType: 'SPREADSHEET' | 'SHEET' | 'ROW' | 'COLUMN';
  spreadsheet?: true;
  sheetId?: number;
  dimensionRange?: DimensionRange;
}

export interface DeveloperMetadata {
  metadataId: number;
  metadataKey: string;
  metadataValue?: string;
  location: MetadataLocation;
  visibility: 'DOCUMENT' | 'PROJECT';
}

export interface ProtectedRange {
  protectedRangeId: number;
  range: GridRange;
  description?: string;
  warningOnly: boolean;
  requestingUserCanEdit: boolean;
  unprotectedRanges?: GridRange[];
  editors?: { users?: string[]; groups?: string[]; domainUsersCanEdit?: boolean };
}

/**
 * A conditional-format rule as the API holds it: its ranges (all on one sheet) move with the
 * rows and columns they cover; the rule is not evaluated (no colours are rendered).
 */
export interface ConditionalFormatRule {
  ranges: GridRange[];
  booleanRule?: { condition: { type: string; values?: { userEnteredValue?: string; relativeDate?: string }[] }; format?: Record<string, unknown> };
  gradientRule?: Record<string, unknown>;
}

/** repeatCell / updateCells are accepted and kept for tests to inspect, not rendered */
export interface RecordedFormat {
  kind: 'repeatCell' | 'updateCells';
  request: Record<string, unknown>;
}

/** A merged block of cells (Sheet.merges): every bound concrete, at least two cells. */
export interface MergedRange {
  sheetId: number;
  startRowIndex: number;
  endRowIndex: number;
  startColumnIndex: number;
  endColumnIndex: number;
}

export interface SheetModel {
  properties: SheetProperties;
  /** rows × columns, sparse: a missing row or cell is empty */
  cells: (Cell | undefined)[][];
  /** the merged blocks (merge-requests.ts), in the order they were merged */
  merges: MergedRange[];
  /** in priority order (index 0 first), as sheets[].conditionalFormats lists them */
  conditionalFormats: ConditionalFormatRule[];
}

export interface SpreadsheetModel {
  spreadsheetId: string;
  properties: { title: string; locale: string; timeZone: string; autoRecalc: 'ON_CHANGE' };
  sheets: SheetModel[];
  /** every piece of metadata, whatever its location */
  developerMetadata: DeveloperMetadata[];
  protectedRanges: ProtectedRange[];
  formats: RecordedFormat[];
  /** embedded charts (chart-requests.ts); absent until the first addChart */
  charts?: EmbeddedChart[];
  /** source of new sheet, metadata and protected-range ids */
  nextId: number;
}

const DEFAULT_ROWS = 1000;
const DEFAULT_COLUMNS = 26;

/** The spreadsheets the server holds; tests may read and seed it directly. */
export class SheetsState {
  private readonly spreadsheets = new Map<string, SpreadsheetModel>();
  private created = 0;

  create(input: CreateSpreadsheetInput = { properties: {} }): SpreadsheetModel {
    this.created += 1;
    const spreadsheetId = `test-spreadsheet-${String(this.created).padStart(4, '0')}`;
    const model: SpreadsheetModel = {
      spreadsheetId,
      properties: { title: input.properties.title ?? 'Untitled spreadsheet', locale: input.properties.locale ?? 'zh_CN', timeZone: input.properties.timeZone ?? 'Asia/Shanghai', autoRecalc: 'ON_CHANGE' },
      sheets: [],
      developerMetadata: [],
      protectedRanges: [],
      formats: [],
      nextId: 1,
    };
    const sheets = input.sheets && input.sheets.length > 0 ? input.sheets : [{ properties: { sheetId: 0 } }];
    for (const sheet of sheets) addSheet(model, sheet.properties);
    checkGridLimits(model);
    this.spreadsheets.set(spreadsheetId, model);
    return model;
  }

  /** the live model; 404 in Google's words when there is none */
  get(spreadsheetId: string): SpreadsheetModel {
    const model = this.spreadsheets.get(spreadsheetId);
    if (model === undefined) throw notFound();
    return model;
  }

  has(spreadsheetId: string): boolean {
    return this.spreadsheets.has(spreadsheetId);
  }

  /** commits a copy that a whole batch was applied to */
  replace(model: SpreadsheetModel): void {
    this.spreadsheets.set(model.spreadsheetId, model);
  }

  /** a tab's stored values (formulas as typed), trailing empties trimmed; for assertions */
  values(spreadsheetId: string, title: string): CellValue[][] {
    const sheet = sheetByTitle(this.get(spreadsheetId), title);
    if (sheet === undefined) throw new Error(`no tab ${title} in ${spreadsheetId}`);
    const rows = sheet.cells.map((row) => trimRow((row ?? []).map((cell) => cell?.value ?? '')));
    while (rows.length > 0 && (rows[rows.length - 1] as CellValue[]).length === 0) rows.pop();
    return rows;
  }

  cell(spreadsheetId: string, title: string, a1Row: number, column: number): Cell | undefined {
    const sheet = sheetByTitle(this.get(spreadsheetId), title);
    return sheet?.cells[a1Row - 1]?.[column];
  }
}

function trimRow(row: CellValue[]): CellValue[] {
  let end = row.length;
  while (end > 0 && row[end - 1] === '') end -= 1;
  return row.slice(0, end);
}

/** Sheets compares tab titles case-insensitively */
export function sheetByTitle(model: SpreadsheetModel, title: string): SheetModel | undefined {
  const wanted = title.toLocaleLowerCase();
  return model.sheets.find((s) => s.properties.title.toLocaleLowerCase() === wanted);
}

export function sheetById(model: SpreadsheetModel, sheetId: number): SheetModel | undefined {
  return model.sheets.find((s) => s.properties.sheetId === sheetId);
}

export function requireSheetId(model: SpreadsheetModel, sheetId: number): SheetModel {
  const sheet = sheetById(model, sheetId);
  if (sheet === undefined) throw badRequest(`No grid with id: ${sheetId}`);
  return sheet;
}

export function allocateId(model: SpreadsheetModel): number {
  const id = model.nextId;
  model.nextId += 1;
  return id;
}

/** adds a tab (the addSheet request and spreadsheet creation share this) */
export function addSheet(model: SpreadsheetModel, input: SheetPropertiesInput): SheetProperties {
  let sheetId = input.sheetId;
  if (sheetId !== undefined && sheetById(model, sheetId) !== undefined) throw badRequest(`A sheet with the id ${sheetId} already exists.`);
  if (sheetId === undefined) {
    do sheetId = 1_000_000 + allocateId(model);
    while (sheetById(model, sheetId) !== undefined);
  }
  const title = input.title ?? nextDefaultTitle(model);
  if (title.trim() === '') throw badRequest('The sheet name cannot be empty.');
  if (sheetByTitle(model, title) !== undefined) throw badRequest(`A sheet with the name "${title}" already exists. Please enter another name.`);
  const index = Math.min(input.index ?? model.sheets.length, model.sheets.length);
  const properties: SheetProperties = {
    sheetId,
    title,
    index,
    sheetType: 'GRID',
    gridProperties: { rowCount: input.gridProperties?.rowCount ?? DEFAULT_ROWS, columnCount: input.gridProperties?.columnCount ?? DEFAULT_COLUMNS },
  };
  if (input.hidden !== undefined) properties.hidden = input.hidden;
  if (input.gridProperties?.frozenRowCount !== undefined) properties.gridProperties.frozenRowCount = input.gridProperties.frozenRowCount;
  if (input.gridProperties?.frozenColumnCount !== undefined) properties.gridProperties.frozenColumnCount = input.gridProperties.frozenColumnCount;
  model.sheets.splice(index, 0, { properties, cells: [], merges: [], conditionalFormats: [] });
  model.sheets.forEach((s, i) => (s.properties.index = i));
  return properties;
}

function nextDefaultTitle(model: SpreadsheetModel): string {
  let n = model.sheets.length + 1;
  while (sheetByTitle(model, `Sheet${n}`) !== undefined) n += 1;
  return `Sheet${n}`;
}

export interface ResolvedRange {
  sheet: SheetModel;
  /** the requested bounds, open ends left open */
  bounds: GridBounds;
}

/** Finds the tab a parsed range names; an unknown tab is the API's "Unable to parse range". */
export function resolveRange(model: SpreadsheetModel, parsed: ParsedA1, text: string): ResolvedRange {
  const unparsable = () => badRequest(`Unable to parse range: ${text}`);
  const first = model.sheets[0];
  if (first === undefined) throw unparsable();
  switch (parsed.kind) {
    case 'sheet': {
      const sheet = sheetByTitle(model, parsed.sheetTitle);
      if (sheet === undefined) throw unparsable();
      return { sheet, bounds: {} };
    }
    case 'sheetOrGrid': {
      const sheet = sheetByTitle(model, parsed.sheetTitle);
      return sheet === undefined ? { sheet: first, bounds: parsed.bounds } : { sheet, bounds: {} };
    }
    case 'grid': {
      const sheet = parsed.sheetTitle === undefined ? first : sheetByTitle(model, parsed.sheetTitle);
      if (sheet === undefined) throw unparsable();
      return { sheet, bounds: parsed.bounds };
    }
  }
}

/** `Range ('客户名单'!A1:AB3) exceeds grid limits. Max rows: 1000, max columns: 26` */
export function gridLimitError(sheet: SheetModel, shown: string) {
  const grid = sheet.properties.gridProperties;
  return badRequest(`Range (${formatSheetTitle(sheet.properties.title)}!${shown}) exceeds grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`);
}

/** Google's grid limits: 10,000,000 cells in a spreadsheet (all tabs), 18,278 columns (ZZZ) in a tab */
export const MAX_WORKBOOK_CELLS = 10_000_000;
export const MAX_SHEET_COLUMNS = 18_278;

/**
 * Refuses a model whose grids are past Google's limits, after a request grew them. The cell
 * message is Google's (`This action would increase the number of cells in the workbook above the
 * limit of 10000000 cells.`, reported in nithinmurali/pygsheets#589 and gspread#950, prefixed
 * there with `Invalid requests[0].updateSheetProperties: ` as applyRequests prefixes it); the
 * column message is the server's own in the same form (Google's wording for it was not found).
 */
export function checkGridLimits(model: SpreadsheetModel): void {
  let cells = 0;
  for (const sheet of model.sheets) {
    const grid = sheet.properties.gridProperties;
    if (grid.columnCount > MAX_SHEET_COLUMNS) throw badRequest(`This action would increase the number of columns in the sheet above the limit of ${MAX_SHEET_COLUMNS} columns.`);
    cells += grid.rowCount * grid.columnCount;
  }
  if (cells > MAX_WORKBOOK_CELLS) throw badRequest(`This action would increase the number of cells in the workbook above the limit of ${MAX_WORKBOOK_CELLS} cells.`);
}
