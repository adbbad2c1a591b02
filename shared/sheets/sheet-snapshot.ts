import type { LedgerBinding } from './ledger-binding.js';

/**
 * A branch spreadsheet as one read sees it, and the structural changes a run asks for, in
 * the sheet's own numbering (rows and columns 1-based, as A1 is row 1 column 1). The Google
 * gateway (functions/sheets) translates both to and from the Sheets API; the planning
 * (branch-sheet-sync.ts) stays pure.
 */

/** A block of cells; an absent bound runs to the edge of the sheet. Inclusive. */
export interface CellSpan {
  fromRow?: number;
  toRow?: number;
  fromColumn?: number;
  toColumn?: number;
}

export interface ProtectionSnapshot {
  id: number;
  description: string;
  span: CellSpan;
}

/** A conditional-format rule with a condition on the cell's value (gradient rules are listed with type ''). */
export interface ConditionalRuleSnapshot {
  /** the API's condition type, e.g. TEXT_EQ */
  type: string;
  values: readonly string[];
  spans: readonly CellSpan[];
}

export interface TabSnapshot {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
  /** the cells as their formatted text, first row = header row; '' for an empty cell */
  values: readonly (readonly string[])[];
  /** the layout tab this tab was tagged as (sheet developer metadata), if any */
  tabTag: string | null;
  /** 1-based column → the layout header its column metadata names */
  columnTags: ReadonlyMap<number, string>;
  protections: readonly ProtectionSnapshot[];
  conditionalRules: readonly ConditionalRuleSnapshot[];
  /** 1-based columns whose row-2 cell (the first data row of a layout the system made) has the plain-text number format; absent when the reader does not say */
  textColumns?: ReadonlySet<number>;
  /** merged blocks of cells (a title across the width, a group header over its columns); absent when the reader does not say */
  merges?: readonly CellSpan[];
  /** how the branch's own ledger on this tab was adopted (ledger-binding.ts); absent or null for a tab the system laid out */
  binding?: LedgerBinding | null;
}

export interface SpreadsheetSnapshot {
  tabs: readonly TabSnapshot[];
}

/** A structural change, in the order a batch applies them (a tab is added before it is tagged). */
export type StructureChange =
  | { kind: 'addTab'; sheetId: number; title: string; rows: number; columns: number }
  | { kind: 'growTab'; sheetId: number; dimension: 'ROWS' | 'COLUMNS'; by: number }
  | { kind: 'tagTab'; sheetId: number; name: string }
  | { kind: 'tagColumn'; sheetId: number; column: number; header: string }
  | { kind: 'protect'; sheetId: number; span: CellSpan; description: string }
  | { kind: 'moveProtection'; protectionId: number; sheetId: number; span: CellSpan }
  | { kind: 'dropProtection'; protectionId: number }
  | { kind: 'colourWhenText'; sheetId: number; span: CellSpan; text: string; background: string }
  /** plain-text number format (`@`) on a column from `fromRow` down, so that a typed 021… keeps its 0 */
  | { kind: 'textFormat'; sheetId: number; column: number; fromRow: number }
  /** stores (or replaces) the tab's ledger binding: developer metadata on Google, the identity tab in a workbook */
  | { kind: 'bindTab'; sheetId: number; binding: LedgerBinding; /** the tab has a binding already, to be replaced */ replaces: boolean };

/**
 * One cell to set in a tab, by the tab's current title and the sheet's numbering at read time.
 * `sheetId` and `header` let a gateway find the tab and the column again at write time (a tab
 * renamed, a column inserted or moved since the read): the column by its layout tag, which the
 * structure batch sent before the writes has put on every layout column.
 */
export interface TabCellWrite {
  tab: string;
  row: number;
  column: number;
  value: string;
  sheetId?: number;
  /** the layout header tagged on this cell's column */
  header?: string;
}
