import type { z } from 'zod';
import type { SpreadsheetModel } from './spreadsheet-model.js';

/**
 * A spreadsheets.batchUpdate request kind added beside the ones structural-requests.ts applies
 * itself (charts: chart-requests.ts; sheet properties: sheet-properties-request.ts): the schema
 * its body must pass and what it does to the model. Errors are named by applyRequests, as for
 * every other kind (`Invalid requests[2].addChart: ...`).
 */
export interface AddedRequest {
  schema: z.ZodType;
  /** `body` has passed `schema` */
  apply: (model: SpreadsheetModel, body: unknown) => Record<string, unknown>;
}

export function defineRequest<S extends z.ZodType>(schema: S, apply: (model: SpreadsheetModel, body: z.infer<S>) => Record<string, unknown>): AddedRequest {
  return { schema, apply: apply as AddedRequest['apply'] };
}
