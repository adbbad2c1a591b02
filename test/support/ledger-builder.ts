import { CUSTOMER_TAB } from '../../shared/sheets/branch-layout.js';
import { columnOfLetter, letterOf, type LedgerProposal, type ProposalResult } from '../../shared/sheets/ledger-detect.js';
import type { LedgerBinding } from '../../shared/sheets/ledger-binding.js';
import type { CellSpan, SpreadsheetSnapshot, TabSnapshot } from '../../shared/sheets/sheet-snapshot.js';

/**
 * Branch ledgers (管户台账) written so that a case reads like the sheet: rows as arrays of cell
 * texts, row 1 first, '' for an empty cell (a merged block's other cells are empty, as Google and
 * the workbook reader give them); merges as A1 ranges ('A1:H1'); column tags by letter. The
 * answers a test compares are as small: `summaryOf(result)` says which tab, which rows, which
 * columns are bound to what, and which notes or problems came back, in letters and codes.
 */

/** 'A1:H1' (or 'C3') → the 1-based inclusive span it names */
export function spanOf(a1: string): CellSpan {
  const cell = (ref: string) => {
    const m = /^([A-Z]{1,3})(\d+)$/.exec(ref.trim().toUpperCase());
    if (m === null) throw new Error(`not an A1 cell: ${ref}`);
    return { row: Number(m[2]), column: columnOfLetter(m[1]!) };
  };
  const [from, to = from] = a1.split(':').map(cell);
  return { fromRow: from!.row, toRow: to!.row, fromColumn: from!.column, toColumn: to!.column };
}

export interface LedgerTabOptions {
  sheetId?: number;
  merges?: readonly string[];
  /** letter → the layout column its metadata names ({ B: '客户号' }) */
  tags?: Readonly<Record<string, string>>;
  tabTag?: string | null;
  binding?: LedgerBinding | null;
  rowCount?: number;
  columnCount?: number;
}

let nextSheetId = 100;

export function ledgerTab(title: string, rows: readonly (readonly string[])[], options: LedgerTabOptions = {}): TabSnapshot {
  return {
    sheetId: options.sheetId ?? nextSheetId++,
    title,
    rowCount: options.rowCount ?? 1000,
    columnCount: options.columnCount ?? 26,
    values: rows.map((r) => [...r]),
    tabTag: options.tabTag ?? null,
    columnTags: new Map(Object.entries(options.tags ?? {}).map(([letter, header]) => [columnOfLetter(letter), header])),
    protections: [],
    conditionalRules: [],
    merges: (options.merges ?? []).map(spanOf),
    binding: options.binding ?? null,
  };
}

export function workbookOf(...tabs: TabSnapshot[]): SpreadsheetSnapshot {
  return { tabs };
}

/** A ledger as a previous adoption left it: tagged 客户名单, its columns tagged, its binding stored. */
export function boundLedger(title: string, rows: readonly (readonly string[])[], binding: Omit<LedgerBinding, 'version'>, options: LedgerTabOptions & { tags: Readonly<Record<string, string>> }): TabSnapshot {
  return ledgerTab(title, rows, { tabTag: CUSTOMER_TAB, ...options, binding: { version: 1, ...binding } });
}

export interface ProposalSummary {
  tab: string;
  headerRow: number;
  headerRows: number;
  titleRows: number[];
  key: string;
  /** letter → layout column, for every column the proposal binds */
  bound: Record<string, string>;
  notes: string[];
}

/** what a case compares: the proposal in letters and codes, or the problems' codes */
export function summaryOf(result: ProposalResult): ProposalSummary | { problems: string[] } {
  if (!result.ok) return { problems: result.problems.map((p) => p.code) };
  const p: LedgerProposal = result.proposal;
  return {
    tab: p.tab,
    headerRow: p.headerRow,
    headerRows: p.headerRows,
    titleRows: p.titleRows,
    key: letterOf(p.keyColumn),
    bound: Object.fromEntries([...p.tags].sort(([a], [b]) => a - b).map(([column, field]) => [letterOf(column), field])),
    notes: p.notes.map((n) => n.code),
  };
}

/** the proposal of an ok result (fails the test with the problems otherwise) */
export function proposalOf(result: ProposalResult): LedgerProposal {
  if (!result.ok) throw new Error(`expected a proposal, got ${result.problems.map((p) => `${p.code}: ${p.en}`).join('; ')}`);
  return result.proposal;
}
