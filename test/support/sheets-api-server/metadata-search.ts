import { badRequest } from './google-error.js';
import type { DataFilter, DeveloperMetadataLookup, MetadataLocationInput } from './request-schemas.js';
import type { DeveloperMetadata, SpreadsheetModel } from './spreadsheet-model.js';

/**
 * developerMetadata.search with developerMetadataLookup filters (key, value, id, visibility,
 * locationType, metadataLocation with EXACT_LOCATION or INTERSECTING_LOCATION). Each match
 * lists the filters it matched, as the API does; no match is an empty object.
 */

export interface MatchedMetadata {
  developerMetadata: DeveloperMetadata;
  dataFilters: DataFilter[];
}

export function searchMetadata(model: SpreadsheetModel, filters: readonly DataFilter[]): { matchedDeveloperMetadata?: MatchedMetadata[] } {
  const matches = new Map<number, MatchedMetadata>();
  filters.forEach((filter, i) => {
    const lookup = filter.developerMetadataLookup;
    if (lookup === undefined) throw badRequest(`Invalid dataFilters[${i}]: the test server supports developerMetadataLookup filters only.`);
    for (const metadata of model.developerMetadata) {
      if (!matchesLookup(metadata, lookup)) continue;
      const entry = matches.get(metadata.metadataId) ?? { developerMetadata: structuredClone(metadata), dataFilters: [] };
      entry.dataFilters.push(filter);
      matches.set(metadata.metadataId, entry);
    }
  });
  const matched = [...matches.values()].sort((a, b) => a.developerMetadata.metadataId - b.developerMetadata.metadataId);
  return matched.length === 0 ? {} : { matchedDeveloperMetadata: matched };
}

function matchesLookup(metadata: DeveloperMetadata, lookup: DeveloperMetadataLookup): boolean {
  if (lookup.metadataId !== undefined && lookup.metadataId !== metadata.metadataId) return false;
  if (lookup.metadataKey !== undefined && lookup.metadataKey !== metadata.metadataKey) return false;
  if (lookup.metadataValue !== undefined && lookup.metadataValue !== metadata.metadataValue) return false;
  if (lookup.visibility !== undefined && lookup.visibility !== metadata.visibility) return false;
  if (lookup.locationType !== undefined && lookup.locationType !== metadata.location.locationType) return false;
  if (lookup.metadataLocation !== undefined) {
    const intersecting = lookup.locationMatchingStrategy === 'INTERSECTING_LOCATION';
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
  const own = at.dimensionRange;
  if (range === undefined || own === undefined) return false;
  if (own.sheetId !== range.sheetId || own.dimension !== range.dimension) return false;
  const start = range.startIndex ?? 0;
  const end = range.endIndex ?? Number.MAX_SAFE_INTEGER;
  if (!intersecting) return own.startIndex === start && own.endIndex === end;
  return own.startIndex < end && own.endIndex > start;
}
