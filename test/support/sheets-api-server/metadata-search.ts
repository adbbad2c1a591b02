import { badRequest } from './google-error.js';
import type { DataFilter, DeveloperMetadataLookup, MetadataLocationInput } from './request-schemas.js';
import type { DeveloperMetadata, SpreadsheetModel } from './spreadsheet-model.js';

/**
 * developerMetadata.search with developerMetadataLookup filters (key, value, id, visibility,
 * locationType, metadataLocation with EXACT_LOCATION or INTERSECTING_LOCATION). Each match
 * lists the filters it matched, as the API does; no match is an empty object. The same lookup
 * selects what deleteDeveloperMetadata deletes (metadata-requests.ts).
 *
 * As the DeveloperMetadataLookup reference says: a metadataLocation without a strategy is
 * matched INTERSECTING; a strategy without a metadataLocation, and a locationType beside
 * EXACT_LOCATION, are refused. A row and a column of one tab intersect (the reference's own
 * example); a tab location intersects the rows and columns of that tab, a row or column location
 * is not taken to intersect the tab's own metadata (not confirmed either way). Filters other than developerMetadataLookup
 * (a1Range, gridRange) are refused: the project does not send them.
 */

export interface MatchedMetadata {
  developerMetadata: DeveloperMetadata;
  dataFilters: DataFilter[];
}

export function searchMetadata(model: SpreadsheetModel, filters: readonly DataFilter[]): { matchedDeveloperMetadata?: MatchedMetadata[] } {
  const matches = new Map<number, MatchedMetadata>();
  filters.forEach((filter, i) => {
    for (const metadata of metadataMatching(model, filter, `dataFilters[${i}]`)) {
      const entry = matches.get(metadata.metadataId) ?? { developerMetadata: structuredClone(metadata), dataFilters: [] };
      entry.dataFilters.push(filter);
      matches.set(metadata.metadataId, entry);
    }
  });
  const matched = [...matches.values()].sort((a, b) => a.developerMetadata.metadataId - b.developerMetadata.metadataId);
  return matched.length === 0 ? {} : { matchedDeveloperMetadata: matched };
}

/** the live metadata entries one data filter selects; `at` names the filter in an error */
export function metadataMatching(model: SpreadsheetModel, filter: DataFilter, at: string): DeveloperMetadata[] {
  const lookup = filter.developerMetadataLookup;
  if (lookup === undefined) throw badRequest(`Invalid ${at}: the test server supports developerMetadataLookup filters only.`);
  checkLookup(lookup, at);
  return model.developerMetadata.filter((m) => matchesLookup(m, lookup));
}

function checkLookup(lookup: DeveloperMetadataLookup, at: string): void {
  if (lookup.locationMatchingStrategy !== undefined && lookup.metadataLocation === undefined) {
    throw badRequest(`Invalid ${at}.developerMetadataLookup: a locationMatchingStrategy needs a metadataLocation.`);
  }
  if (lookup.locationMatchingStrategy === 'EXACT_LOCATION' && lookup.locationType !== undefined) {
    throw badRequest(`Invalid ${at}.developerMetadataLookup: locationType must be left unspecified with EXACT_LOCATION.`);
  }
}

function matchesLookup(metadata: DeveloperMetadata, lookup: DeveloperMetadataLookup): boolean {
  if (lookup.metadataId !== undefined && lookup.metadataId !== metadata.metadataId) return false;
  if (lookup.metadataKey !== undefined && lookup.metadataKey !== metadata.metadataKey) return false;
  if (lookup.metadataValue !== undefined && lookup.metadataValue !== metadata.metadataValue) return false;
  if (lookup.visibility !== undefined && lookup.visibility !== metadata.visibility) return false;
  if (lookup.locationType !== undefined && lookup.locationType !== metadata.location.locationType) return false;
  if (lookup.metadataLocation !== undefined) {
    const intersecting = lookup.locationMatchingStrategy !== 'EXACT_LOCATION';
    if (!matchesLocation(metadata, lookup.metadataLocation, intersecting)) return false;
  }
  return true;
}

function matchesLocation(metadata: DeveloperMetadata, wanted: MetadataLocationInput, intersecting: boolean): boolean {
  const at = metadata.location;
  if (wanted.spreadsheet === true) return intersecting || at.locationType === 'SPREADSHEET';
  if (wanted.sheetId !== undefined) {
    if (at.locationType === 'SHEET') return at.sheetId === wanted.sheetId;
    return intersecting && at.dimensionRange?.sheetId === wanted.sheetId;
  }
  const range = wanted.dimensionRange;
  if (range === undefined) return false;
  const own = at.dimensionRange;
  if (own === undefined || own.sheetId !== range.sheetId) return false;
  const start = range.startIndex ?? 0;
  const end = range.endIndex ?? Number.MAX_SAFE_INTEGER;
  if (own.dimension !== range.dimension) return intersecting;
  if (!intersecting) return own.startIndex === start && own.endIndex === end;
  return own.startIndex < end && own.endIndex > start;
}
