import { z } from 'zod';

/**
 * The request bodies the test server accepts, checked at its edge like any other boundary.
 * Unknown keys are ignored (as Google ignores none, but the project's code is what is under
 * test here, not the client's JSON).
 */

export const gridRangeSchema = z.object({
  sheetId: z.number().int().default(0),
  startRowIndex: z.number().int().min(0).optional(),
  endRowIndex: z.number().int().min(0).optional(),
  startColumnIndex: z.number().int().min(0).optional(),
  endColumnIndex: z.number().int().min(0).optional(),
});
export type GridRange = z.infer<typeof gridRangeSchema>;

export const dimensionRangeSchema = z.object({
  sheetId: z.number().int().default(0),
  dimension: z.enum(['ROWS', 'COLUMNS']),
  startIndex: z.number().int().min(0).optional(),
  endIndex: z.number().int().min(0).optional(),
});
export type DimensionRangeInput = z.infer<typeof dimensionRangeSchema>;

const gridPropertiesSchema = z.object({
  rowCount: z.number().int().min(1).optional(),
  columnCount: z.number().int().min(1).optional(),
  frozenRowCount: z.number().int().min(0).optional(),
  frozenColumnCount: z.number().int().min(0).optional(),
});

export const sheetPropertiesInputSchema = z.object({
  sheetId: z.number().int().min(0).optional(),
  title: z.string().optional(),
  index: z.number().int().min(0).optional(),
  hidden: z.boolean().optional(),
  gridProperties: gridPropertiesSchema.optional(),
});
export type SheetPropertiesInput = z.infer<typeof sheetPropertiesInputSchema>;

export const metadataLocationInputSchema = z.object({
  spreadsheet: z.boolean().optional(),
  sheetId: z.number().int().optional(),
  dimensionRange: dimensionRangeSchema.optional(),
  locationType: z.enum(['SPREADSHEET', 'SHEET', 'ROW', 'COLUMN']).optional(),
});
export type MetadataLocationInput = z.infer<typeof metadataLocationInputSchema>;

const visibilitySchema = z.enum(['DOCUMENT', 'PROJECT']);

export const developerMetadataInputSchema = z.object({
  metadataId: z.number().int().min(1).optional(),
  metadataKey: z.string().min(1),
  metadataValue: z.string().optional(),
  location: metadataLocationInputSchema,
  visibility: visibilitySchema,
});

const editorsSchema = z.object({
  users: z.array(z.string()).optional(),
  groups: z.array(z.string()).optional(),
  domainUsersCanEdit: z.boolean().optional(),
});

export const protectedRangeInputSchema = z.object({
  protectedRangeId: z.number().int().min(1).optional(),
  range: gridRangeSchema,
  description: z.string().optional(),
  warningOnly: z.boolean().optional(),
  unprotectedRanges: z.array(gridRangeSchema).optional(),
  editors: editorsSchema.optional(),
});

/** formatting requests are recorded, not interpreted: only their range is checked */
const formatRequestSchema = z.looseObject({ range: gridRangeSchema.optional(), start: z.looseObject({ sheetId: z.number().int().default(0) }).optional() });

export const structuralRequestSchema = z.union([
  z.object({ addSheet: z.object({ properties: sheetPropertiesInputSchema.default({}) }) }),
  z.object({ createDeveloperMetadata: z.object({ developerMetadata: developerMetadataInputSchema }) }),
  z.object({ addProtectedRange: z.object({ protectedRange: protectedRangeInputSchema }) }),
  z.object({ repeatCell: formatRequestSchema }),
  z.object({ updateCells: formatRequestSchema }),
  z.object({ insertDimension: z.object({ range: dimensionRangeSchema, inheritFromBefore: z.boolean().optional() }) }),
  z.object({ deleteDimension: z.object({ range: dimensionRangeSchema }) }),
]);
export type StructuralRequest = z.infer<typeof structuralRequestSchema>;

export const spreadsheetBatchUpdateSchema = z.object({
  requests: z.array(z.record(z.string(), z.unknown())).min(1),
  includeSpreadsheetInResponse: z.boolean().optional(),
});

export const cellInputSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const valuesBatchUpdateSchema = z.object({
  valueInputOption: z.enum(['RAW', 'USER_ENTERED']),
  data: z.array(
    z.object({
      range: z.string(),
      majorDimension: z.enum(['ROWS', 'COLUMNS']).optional(),
      values: z.array(z.array(cellInputSchema)).default([]),
    }),
  ),
  includeValuesInResponse: z.boolean().optional(),
});

export const createSpreadsheetSchema = z.object({
  properties: z.object({ title: z.string().optional(), locale: z.string().optional(), timeZone: z.string().optional() }).default({}),
  sheets: z.array(z.object({ properties: sheetPropertiesInputSchema.default({}) })).optional(),
});
export type CreateSpreadsheetInput = z.infer<typeof createSpreadsheetSchema>;

export const developerMetadataLookupSchema = z.object({
  metadataId: z.number().int().optional(),
  metadataKey: z.string().optional(),
  metadataValue: z.string().optional(),
  visibility: visibilitySchema.optional(),
  locationType: z.enum(['SPREADSHEET', 'SHEET', 'ROW', 'COLUMN']).optional(),
  metadataLocation: metadataLocationInputSchema.optional(),
  locationMatchingStrategy: z.enum(['EXACT_LOCATION', 'INTERSECTING_LOCATION']).optional(),
});
export type DeveloperMetadataLookup = z.infer<typeof developerMetadataLookupSchema>;

export const dataFilterSchema = z.object({
  developerMetadataLookup: developerMetadataLookupSchema.optional(),
  a1Range: z.string().optional(),
  gridRange: gridRangeSchema.optional(),
});
export type DataFilter = z.infer<typeof dataFilterSchema>;

export const metadataSearchSchema = z.object({ dataFilters: z.array(dataFilterSchema).min(1) });

/** Zod's first issue as a Google-style message: `Invalid value at 'data[0].range'`. */
export function describeIssue(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'Invalid JSON payload received.';
  const at = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
  return `Invalid JSON payload received. Invalid value at '${prefix}${at}': ${issue.message}`;
}
