import type { SpreadsheetModel } from './spreadsheet-model.js';

/**
 * Whether a cell has the plain-text number format, from the repeatCell requests recorded so far
 * (spreadsheet-model.ts keeps formats as requests, not on cells): the last repeatCell whose range
 * covers the cell and whose `fields` name the number format decides. Google keeps a typed value
 * as text in such a cell ("Plain text" format: a value entered there is not parsed as a number).
 * An approximation: a recorded range does not move with inserted or deleted rows and columns.
 */
export function isTextFormatted(model: SpreadsheetModel, sheetId: number, row: number, column: number): boolean {
  let text = false;
  for (const f of model.formats) {
    if (f.kind !== 'repeatCell') continue;
    const request = f.request as { range?: { sheetId?: number; startRowIndex?: number; endRowIndex?: number; startColumnIndex?: number; endColumnIndex?: number }; fields?: string; cell?: { userEnteredFormat?: { numberFormat?: { type?: string } } } };
    const range = request.range;
    if (range === undefined || (range.sheetId ?? 0) !== sheetId) continue;
    const fields = request.fields ?? '';
    if (!/(^|,)\s*(\*|userEnteredFormat(\.numberFormat)?)\s*(,|$)/.test(fields)) continue;
    const inside = row >= (range.startRowIndex ?? 0) && row < (range.endRowIndex ?? Infinity) && column >= (range.startColumnIndex ?? 0) && column < (range.endColumnIndex ?? Infinity);
    if (inside) text = request.cell?.userEnteredFormat?.numberFormat?.type === 'TEXT';
  }
  return text;
}
