import { z } from 'zod';

/**
 * What the test server does with a request body, checked at its edge like any other boundary.
 * Field names and JSON types were already checked against Google's discovery document before a
 * handler runs (discovery-validation.ts: an unknown name or a wrong type is Google's 400); these
 * schemas add what the discovery document cannot say (required fields, ranges, defaults) and
 * narrow the bodies to what the server implements, so zod's own leniency on unknown keys no
 * longer lets anything through.
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

/** ConditionType of the v4 reference (BooleanCondition.type) */
export const CONDITION_TYPES = [
  'NUMBER_GREATER', 'NUMBER_GREATER_THAN_EQ', 'NUMBER_LESS', 'NUMBER_LESS_THAN_EQ', 'NUMBER_EQ', 'NUMBER_NOT_EQ', 'NUMBER_BETWEEN', 'NUMBER_NOT_BETWEEN',
  'TEXT_CONTAINS', 'TEXT_NOT_CONTAINS', 'TEXT_STARTS_WITH', 'TEXT_ENDS_WITH', 'TEXT_EQ', 'TEXT_IS_EMAIL', 'TEXT_IS_URL',
  'DATE_EQ', 'DATE_BEFORE', 'DATE_AFTER', 'DATE_ON_OR_BEFORE', 'DATE_ON_OR_AFTER', 'DATE_BETWEEN', 'DATE_NOT_BETWEEN', 'DATE_IS_VALID',
  'ONE_OF_RANGE', 'ONE_OF_LIST', 'BLANK', 'NOT_BLANK', 'CUSTOM_FORMULA', 'BOOLEAN', 'TEXT_NOT_EQ', 'DATE_NOT_EQ', 'FILTER_EXPRESSION',
] as const;

const colorSchema = z.object({ red: z.number().min(0).max(1).optional(), green: z.number().min(0).max(1).optional(), blue: z.number().min(0).max(1).optional(), alpha: z.number().min(0).max(1).optional() });

export const conditionalFormatRuleSchema = z
  .object({
    ranges: z.array(gridRangeSchema).min(1),
    booleanRule: z
      .object({
        condition: z.object({
          type: z.enum(CONDITION_TYPES),
          values: z.array(z.object({ userEnteredValue: z.string().optional(), relativeDate: z.string().optional() })).optional(),
        }),
        // conditional formats may set only bold, italic, strikethrough, foreground and background colours
        format: z
          .strictObject({
            backgroundColor: colorSchema.optional(),
            backgroundColorStyle: z.object({ rgbColor: colorSchema.optional(), themeColor: z.string().optional() }).optional(),
            textFormat: z.looseObject({}).optional(),
          })
          .optional(),
      })
      .optional(),
    gradientRule: z.looseObject({}).optional(),
  })
  .refine((r) => (r.booleanRule === undefined) !== (r.gradientRule === undefined), { error: 'a rule must have exactly one of booleanRule or gradientRule' })
  .refine((r) => new Set(r.ranges.map((g) => g.sheetId)).size === 1, { error: 'All the ranges must be on the same grid.' });
export type ConditionalFormatRuleInput = z.infer<typeof conditionalFormatRuleSchema>;

/** formatting requests are recorded, not interpreted: only their range is checked */
const formatRequestSchema = z.looseObject({ range: gridRangeSchema.optional(), start: z.looseObject({ sheetId: z.number().int().default(0) }).optional() });

/** the body of each spreadsheets.batchUpdate request kind the server supports */
export const REQUEST_BODY_SCHEMAS = {
  addSheet: z.object({ properties: sheetPropertiesInputSchema.default({}) }),
  createDeveloperMetadata: z.object({ developerMetadata: developerMetadataInputSchema }),
  addProtectedRange: z.object({ protectedRange: protectedRangeInputSchema }),
  updateProtectedRange: z.object({ protectedRange: protectedRangeInputSchema.extend({ protectedRangeId: z.number().int(), range: gridRangeSchema.optional() }), fields: z.string().min(1) }),
  deleteProtectedRange: z.object({ protectedRangeId: z.number().int() }),
  addConditionalFormatRule: z.object({ rule: conditionalFormatRuleSchema, index: z.number().int().min(0).default(0) }),
  deleteConditionalFormatRule: z.object({ sheetId: z.number().int().default(0), index: z.number().int().min(0).default(0) }),
  repeatCell: formatRequestSchema,
  updateCells: formatRequestSchema,
  insertDimension: z.object({ range: dimensionRangeSchema, inheritFromBefore: z.boolean().optional() }),
  deleteDimension: z.object({ range: dimensionRangeSchema }),
  moveDimension: z.object({ source: dimensionRangeSchema, destinationIndex: z.number().int().min(0) }),
  appendDimension: z.object({ sheetId: z.number().int().default(0), dimension: z.enum(['ROWS', 'COLUMNS']), length: z.number().int().min(1) }),
  sortRange: z.object({
    range: gridRangeSchema,
    sortSpecs: z.array(z.object({ dimensionIndex: z.number().int().min(0), sortOrder: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') })).min(1),
  }),
} as const;
export type RequestKind = keyof typeof REQUEST_BODY_SCHEMAS;

/** one request: exactly one kind, its body checked by that kind's schema */
export type StructuralRequest = { [K in RequestKind]: { [P in K]: z.infer<(typeof REQUEST_BODY_SCHEMAS)[K]> } }[RequestKind];


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
