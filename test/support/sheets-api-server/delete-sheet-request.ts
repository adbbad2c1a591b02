import { z } from 'zod';
import { defineRequest, type AddedRequest } from './added-request.js';
import { badRequest } from './google-error.js';
import { requireSheetId } from './spreadsheet-model.js';

/**
 * DeleteSheetRequest ({sheetId}): the sheet goes, and with it what lives on it — its cells,
 * merges and conditional formats (they are the sheet's), the protected ranges on it, the
 * developer metadata located on it or on its rows and columns, the charts anchored on it. A
 * spreadsheet keeps at least one sheet: deleting the last one is refused with Google's words,
 * `Invalid requests[0].deleteSheet: You can't remove all the sheets in a document.` (as the API
 * answers it: https://github.com/tidyverse/googlesheets4/issues/70). An unknown sheetId is
 * refused as every request on a missing grid is (requireSheetId). Formulas on other sheets that
 * referred to the deleted one are left as typed; the server does not evaluate formulas, where
 * Google would show #REF!.
 */
const deleteSheet = defineRequest(z.object({ sheetId: z.number().int() }), (model, { sheetId }) => {
  const sheet = requireSheetId(model, sheetId);
  if (model.sheets.length === 1) throw badRequest("You can't remove all the sheets in a document.");
  model.sheets = model.sheets.filter((s) => s !== sheet);
  model.protectedRanges = model.protectedRanges.filter((p) => (p.range.sheetId ?? 0) !== sheetId);
  model.developerMetadata = model.developerMetadata.filter((m) => m.location.sheetId !== sheetId && m.location.dimensionRange?.sheetId !== sheetId);
  if (model.charts !== undefined) model.charts = model.charts.filter((c) => c.position.overlayPosition.anchorCell.sheetId !== sheetId);
  model.sheets.forEach((s, i) => (s.properties.index = i));
  return {};
});

export const SHEET_REQUESTS: Readonly<Record<string, AddedRequest>> = { deleteSheet };
