import type { sheets_v4 } from 'googleapis';
import { columnRole, LAYOUT_TAB_NAMES } from '../../shared/sheets/branch-layout.js';
import { bindingFromText } from '../../shared/sheets/ledger-binding.js';
import { BINDING_METADATA_KEY, COLUMN_METADATA_KEY, TAB_METADATA_KEY } from '../../shared/sheets/sheet-contract.js';
import type { CellSpan, SpreadsheetSnapshot, TabSnapshot } from '../../shared/sheets/sheet-snapshot.js';

/**
 * One spreadsheets.get answers everything a run needs to plan: with a field mask the API
 * returns grid data (the mask makes it ignore includeGridData), so the cells' formatted text,
 * the column developer metadata (GridData.columnMetadata), the tab metadata, protected ranges
 * and conditional formats come back together. Every tab's cells are read: a tab that does not
 * exist yet cannot be named in `ranges` without the API refusing the whole read.
 */
export const READ_FIELDS = [
  'sheets(properties(sheetId,title,gridProperties(rowCount,columnCount))',
  'merges',
  'developerMetadata(metadataKey,metadataValue)',
  'protectedRanges(protectedRangeId,description,range)',
  'conditionalFormats(ranges,booleanRule.condition(type,values.userEnteredValue))',
  'data(startRow,startColumn,rowData.values.formattedValue,columnMetadata.developerMetadata(metadataKey,metadataValue)))',
].join(',');

export function snapshotOf(spreadsheet: sheets_v4.Schema$Spreadsheet): SpreadsheetSnapshot {
  return { tabs: (spreadsheet.sheets ?? []).map(tabOf) };
}

function tabOf(sheet: sheets_v4.Schema$Sheet): TabSnapshot {
  const p = sheet.properties ?? {};
  const values: string[][] = [];
  const columnTags = new Map<number, string>();
  for (const data of sheet.data ?? []) {
    const top = data.startRow ?? 0;
    const left = data.startColumn ?? 0;
    (data.rowData ?? []).forEach((row, i) => {
      (row.values ?? []).forEach((cell, j) => {
        const text = cell.formattedValue ?? '';
        if (text === '') return;
        const line = (values[top + i] ??= []);
        line[left + j] = text;
      });
    });
    (data.columnMetadata ?? []).forEach((column, j) => {
      const tag = preferred(column.developerMetadata, COLUMN_METADATA_KEY, (v) => columnRole(v) !== null);
      if (tag !== null) columnTags.set(left + j + 1, tag);
    });
  }
  return {
    sheetId: p.sheetId ?? 0,
    title: p.title ?? '',
    rowCount: p.gridProperties?.rowCount ?? 0,
    columnCount: p.gridProperties?.columnCount ?? 0,
    // a sparse row becomes a dense one: holes are empty cells
    values: Array.from(values, (line) => Array.from(line ?? [], (text) => text ?? '')),
    tabTag: preferred(sheet.developerMetadata, TAB_METADATA_KEY, (v) => LAYOUT_TABS.has(v)),
    merges: (sheet.merges ?? []).map(spanOf),
    binding: bindingFromText(preferred(sheet.developerMetadata, BINDING_METADATA_KEY, (v) => bindingFromText(v) !== null)),
    columnTags,
    protections: (sheet.protectedRanges ?? []).map((r) => ({ id: r.protectedRangeId ?? 0, description: r.description ?? '', span: spanOf(r.range ?? {}) })),
    conditionalRules: (sheet.conditionalFormats ?? []).map((rule) => ({
      type: rule.booleanRule?.condition?.type ?? '',
      values: (rule.booleanRule?.condition?.values ?? []).map((v) => v.userEnteredValue ?? ''),
      spans: (rule.ranges ?? []).map(spanOf),
    })),
  };
}

const LAYOUT_TABS = new Set<string>(LAYOUT_TAB_NAMES);

/**
 * The value of our metadata key at one location. Were there several (an older layout left
 * one), a value the layout knows wins: otherwise the run would tag the place again every night.
 */
function preferred(metadata: sheets_v4.Schema$DeveloperMetadata[] | undefined, key: string, known: (value: string) => boolean): string | null {
  const values = (metadata ?? []).filter((m) => m.metadataKey === key && m.metadataValue).map((m) => m.metadataValue as string);
  return values.find(known) ?? values[0] ?? null;
}

/** A GridRange (0-based, end exclusive; an absent start is 0, an absent end the edge) in the sheet's numbering. */
export function spanOf(range: sheets_v4.Schema$GridRange): CellSpan {
  const span: CellSpan = { fromRow: (range.startRowIndex ?? 0) + 1, fromColumn: (range.startColumnIndex ?? 0) + 1 };
  if (range.endRowIndex !== undefined && range.endRowIndex !== null) span.toRow = range.endRowIndex;
  if (range.endColumnIndex !== undefined && range.endColumnIndex !== null) span.toColumn = range.endColumnIndex;
  return span;
}

/** The inverse of spanOf, for a given sheet. */
export function gridRangeOf(sheetId: number, span: CellSpan): sheets_v4.Schema$GridRange {
  const range: sheets_v4.Schema$GridRange = { sheetId };
  if (span.fromRow !== undefined) range.startRowIndex = span.fromRow - 1;
  if (span.toRow !== undefined) range.endRowIndex = span.toRow;
  if (span.fromColumn !== undefined) range.startColumnIndex = span.fromColumn - 1;
  if (span.toColumn !== undefined) range.endColumnIndex = span.toColumn;
  return range;
}
