import { z } from 'zod';
import { defineRequest, type AddedRequest } from './added-request.js';
import { metadataMatching } from './metadata-search.js';
import { dataFilterSchema } from './request-schemas.js';

/**
 * DeleteDeveloperMetadataRequest: every entry its dataFilter selects (the lookup rules of
 * metadata-search.ts) is deleted, and the reply lists them (DeleteDeveloperMetadataResponse).
 * A filter that selects nothing deletes nothing and is not an error; the reply's empty list is
 * left out, as proto3 JSON leaves out an empty repeated field.
 */
const deleteDeveloperMetadata = defineRequest(z.object({ dataFilter: dataFilterSchema }), (model, { dataFilter }) => {
  const doomed = new Set(metadataMatching(model, dataFilter, 'dataFilter'));
  model.developerMetadata = model.developerMetadata.filter((m) => !doomed.has(m));
  return { deleteDeveloperMetadata: doomed.size === 0 ? {} : { deletedDeveloperMetadata: structuredClone([...doomed]) } };
});

export const METADATA_REQUESTS: Readonly<Record<string, AddedRequest>> = { deleteDeveloperMetadata };
