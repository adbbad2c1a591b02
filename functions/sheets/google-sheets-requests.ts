import type { sheets_v4 } from 'googleapis';
import { bindingToText } from '../../shared/sheets/ledger-binding.js';
import { BINDING_METADATA_KEY, COLUMN_METADATA_KEY, PROTECTION_WARNING_ONLY, TAB_METADATA_KEY } from '../../shared/sheets/sheet-contract.js';
import type { StructureChange } from '../../shared/sheets/sheet-snapshot.js';
import { gridRangeOf } from './google-sheets-snapshot.js';

/**
 * The planned structural changes as spreadsheets.batchUpdate requests (Sheets API v4), in the
 * order planned: tabs are added (with the ids the plan chose, so later requests of the same
 * batch can name them) before anything is put on them.
 */
export function requestsOf(changes: readonly StructureChange[]): sheets_v4.Schema$Request[] {
  return changes.flatMap((c): sheets_v4.Schema$Request | sheets_v4.Schema$Request[] => {
    switch (c.kind) {
      case 'addTab':
        return { addSheet: { properties: { sheetId: c.sheetId, title: c.title, gridProperties: { rowCount: c.rows, columnCount: c.columns } } } };
      case 'growTab':
        return { appendDimension: { sheetId: c.sheetId, dimension: c.dimension, length: c.by } };
      case 'tagTab':
        return { createDeveloperMetadata: { developerMetadata: { metadataKey: TAB_METADATA_KEY, metadataValue: c.name, location: { sheetId: c.sheetId }, visibility: 'DOCUMENT' } } };
      case 'tagColumn':
        return {
          createDeveloperMetadata: {
            developerMetadata: {
              metadataKey: COLUMN_METADATA_KEY,
              metadataValue: c.header,
              location: { dimensionRange: { sheetId: c.sheetId, dimension: 'COLUMNS', startIndex: c.column - 1, endIndex: c.column } },
              visibility: 'DOCUMENT',
            },
          },
        };
      case 'protect':
        return { addProtectedRange: { protectedRange: { range: gridRangeOf(c.sheetId, c.span), description: c.description, warningOnly: PROTECTION_WARNING_ONLY } } };
      case 'moveProtection':
        return { updateProtectedRange: { protectedRange: { protectedRangeId: c.protectionId, range: gridRangeOf(c.sheetId, c.span) }, fields: 'range' } };
      case 'dropProtection':
        return { deleteProtectedRange: { protectedRangeId: c.protectionId } };
      case 'colourWhenText':
        return {
          addConditionalFormatRule: {
            index: 0,
            rule: {
              ranges: [gridRangeOf(c.sheetId, c.span)],
              booleanRule: { condition: { type: 'TEXT_EQ', values: [{ userEnteredValue: c.text }] }, format: { backgroundColorStyle: { rgbColor: rgbOf(c.background) } } },
            },
          },
        };
      case 'textFormat':
        // plain text (`@`): a value typed or sent USER_ENTERED stays the text typed, leading 0 and all
        return {
          repeatCell: {
            range: gridRangeOf(c.sheetId, { fromRow: c.fromRow, fromColumn: c.column, toColumn: c.column }),
            cell: { userEnteredFormat: { numberFormat: { type: 'TEXT' } } },
            fields: 'userEnteredFormat.numberFormat',
          },
        };
      case 'bindTab': {
        const create: sheets_v4.Schema$Request = {
          createDeveloperMetadata: { developerMetadata: { metadataKey: BINDING_METADATA_KEY, metadataValue: bindingToText(c.binding), location: { sheetId: c.sheetId }, visibility: 'DOCUMENT' } },
        };
        if (!c.replaces) return create;
        // one binding per tab: the old one goes in the same atomic batch
        const lookup: sheets_v4.Schema$DataFilter = { developerMetadataLookup: { metadataKey: BINDING_METADATA_KEY, metadataLocation: { sheetId: c.sheetId }, locationMatchingStrategy: 'EXACT_LOCATION' } };
        return [{ deleteDeveloperMetadata: { dataFilter: lookup } }, create];
      }
    }
  });
}

/** `FFC7CE` → {red: 1, green: 0.78, blue: 0.81} (each channel / 255) */
export function rgbOf(hex: string): sheets_v4.Schema$Color {
  const channel = (at: number) => Number.parseInt(hex.slice(at, at + 2), 16) / 255;
  return { red: channel(0), green: channel(2), blue: channel(4) };
}
