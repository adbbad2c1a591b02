import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { committedSchemasPath, DEFAULT_DISCOVERY_PATH, deriveSchemasText } from '../support/sheets-api-server/derive-schemas.js';
import { bodyViolations, validateAgainstDiscovery } from '../support/sheets-api-server/discovery-validation.js';
import { parseFieldMask } from '../support/sheets-api-server/field-mask.js';
import type { SheetsApiError } from '../support/sheets-api-server/google-error.js';

/** The test server's schema file is what derive-schemas.ts makes of Google's discovery document, and what it allows. */

describe('discovery-schemas.json', () => {
  it('is exactly what derive-schemas.ts derives from the discovery document', () => {
    expect(readFileSync(committedSchemasPath(), 'utf8')).toBe(deriveSchemasText(DEFAULT_DISCOVERY_PATH));
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
