import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { committedSchemasPath, deriveSchemas, SERVED_METHODS, type DerivedField, type DerivedSchemas, type DiscoveryDocument } from '../support/sheets-api-server/derive-schemas.js';
import { bodyViolations, validateAgainstDiscovery } from '../support/sheets-api-server/discovery-validation.js';
import { parseFieldMask } from '../support/sheets-api-server/field-mask.js';
import type { SheetsApiError } from '../support/sheets-api-server/google-error.js';

/** The test server's schema file is what derive-schemas.ts makes of Google's discovery document, and what it allows. */

describe('discovery-schemas.json', () => {
  // Google's discovery document is not in the repository (`npm run schemas:check` compares the
  // committed file with it where it is at hand): here the derivation runs on a small document of
  // this test's own, and the committed file is checked for what the server relies on.
  const discovery: DiscoveryDocument = {
    revision: '20990101',
    resources: {
      spreadsheets: {
        methods: { get: { id: 'sheets.spreadsheets.get', response: { $ref: 'Spreadsheet' } } },
        resources: { values: { methods: { batchUpdate: { id: 'sheets.spreadsheets.values.batchUpdate', request: { $ref: 'BatchUpdateValuesRequest' } } } } },
      },
    },
    schemas: {
      Spreadsheet: { properties: { spreadsheetId: { type: 'string' }, sheets: { type: 'array', items: { $ref: 'Sheet' } } } },
      Sheet: { properties: { properties: { $ref: 'SheetProperties' }, merges: { type: 'array', items: { $ref: 'GridRange' } } } },
      SheetProperties: { properties: { sheetId: { type: 'integer', format: 'int32' }, hidden: { type: 'boolean' } } },
      GridRange: { properties: { startRowIndex: { type: 'integer', format: 'int32' } } },
      BatchUpdateValuesRequest: {
        properties: {
          valueInputOption: { type: 'string', enum: ['INPUT_VALUE_OPTION_UNSPECIFIED', 'RAW', 'USER_ENTERED'] },
          data: { type: 'array', items: { $ref: 'ValueRange' } },
        },
      },
      ValueRange: { properties: { range: { type: 'string' }, values: { type: 'array', items: { type: 'array', items: { type: 'any' } } } } },
      Unreached: { properties: { x: { type: 'string' } } },
      Labels: { properties: { byName: { type: 'object', additionalProperties: { type: 'number', format: 'double' } } } },
    },
  };

  it('derives each served method’s request and response, and exactly the schemas reachable from them, with their JSON types', () => {
    const derived = deriveSchemas(discovery, { 'spreadsheets.get': 'sheets.spreadsheets.get', 'values.batchUpdate': 'sheets.spreadsheets.values.batchUpdate' });
    expect(derived.revision).toBe('20990101');
    expect(derived.methods).toEqual({
      'spreadsheets.get': { id: 'sheets.spreadsheets.get', response: 'Spreadsheet' },
      'values.batchUpdate': { id: 'sheets.spreadsheets.values.batchUpdate', request: 'BatchUpdateValuesRequest' },
    });
    expect(Object.keys(derived.schemas)).toEqual(['BatchUpdateValuesRequest', 'GridRange', 'Sheet', 'SheetProperties', 'Spreadsheet', 'ValueRange']);
    expect(derived.schemas['SheetProperties']).toEqual({ sheetId: { type: 'integer', format: 'int32' }, hidden: { type: 'boolean' } });
    expect(derived.schemas['BatchUpdateValuesRequest']!['valueInputOption']).toEqual({ type: 'string', enum: ['INPUT_VALUE_OPTION_UNSPECIFIED', 'RAW', 'USER_ENTERED'] });
    expect(derived.schemas['ValueRange']!['values']).toEqual({ type: 'array', items: { type: 'array', items: { type: 'any' } } });
    expect(deriveSchemas({ ...discovery, resources: { spreadsheets: { methods: { get: { id: 'sheets.spreadsheets.get', response: { $ref: 'Labels' } } } } } }, { 'spreadsheets.get': 'sheets.spreadsheets.get' }).schemas['Labels']).toEqual({
      byName: { type: 'map', values: { type: 'number', format: 'double' } },
    });
  });

  it('refuses a served method or a schema the document does not have', () => {
    expect(() => deriveSchemas(discovery, { 'values.get': 'sheets.spreadsheets.values.get' })).toThrow('the discovery document has no method sheets.spreadsheets.values.get');
    expect(() => deriveSchemas({ ...discovery, schemas: { ...discovery.schemas, Sheet: { properties: { tab: { $ref: 'Missing' } } } } }, { 'spreadsheets.get': 'sheets.spreadsheets.get' })).toThrow('the discovery document has no schema Missing');
  });

  it('the committed file names every method the server answers, and every schema it refers to is in it', () => {
    const committed = JSON.parse(readFileSync(committedSchemasPath(), 'utf8')) as DerivedSchemas;
    expect(committed.revision).toMatch(/^\d{8}$/);
    expect(Object.fromEntries(Object.entries(committed.methods).map(([op, m]) => [op, m.id]))).toEqual(SERVED_METHODS);
    const refs = (field: DerivedField): string[] => (field.type === 'ref' ? [field.ref] : field.type === 'array' ? refs(field.items) : field.type === 'map' ? refs(field.values) : []);
    const named = [...Object.values(committed.methods).flatMap((m) => [m.request, m.response].filter((r): r is string => r !== undefined)), ...Object.values(committed.schemas).flatMap((fields) => Object.values(fields).flatMap(refs))];
    for (const name of named) expect(committed.schemas[name], name).toBeDefined();
    // what the server's own requests rely on is there
    expect(committed.schemas['DataFilterValueRange']).toMatchObject({ dataFilter: { type: 'ref', ref: 'DataFilter' }, majorDimension: { type: 'string' } });
  });

  it('checks a batchUpdateByDataFilter body against BatchUpdateValuesByDataFilterRequest', () => {
    const filter = { developerMetadataLookup: { metadataKey: 'ladder.column', metadataValue: 'tier' } };
    expect(bodyViolations('BatchUpdateValuesByDataFilterRequest', { valueInputOption: 'RAW', data: [{ dataFilter: filter, majorDimension: 'ROWS', values: [['A']] }] })).toEqual([]);
    const refused = (() => {
      try {
        validateAgainstDiscovery('values.batchUpdateByDataFilter', { valueInputOption: 'RAW', data: [{ dataFilter: { ...filter, sheetId: 3 }, values: [['A']] }] }, undefined);
      } catch (error) {
        return (error as SheetsApiError).toBody();
      }
      return undefined;
    })();
    expect(refused?.error.message).toBe(`Invalid JSON payload received. Unknown name "sheetId" at 'data[0].data_filter': Cannot find field.`);
  });

  it('a mask on a map or a repeated message goes on into it; a mask past a scalar does not', () => {
    expect(() => validateAgainstDiscovery('values.batchGet', undefined, parseFieldMask('valueRanges(range,values)'))).not.toThrow();
    expect(() => validateAgainstDiscovery('values.batchGet', undefined, parseFieldMask('valueRanges.range.start'))).toThrow("Cannot find matching fields for path 'valueRanges.range.start'.");
  });
});
