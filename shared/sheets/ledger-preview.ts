import { columnRole, COMPUTED_HEADERS, CUSTOMER_TAB, LIST_TABS, MISSING_TAB } from './branch-layout.js';
import { readEditedRows } from './customer-sheet-plan.js';
import { planArchiveAdoption, type ArchiveConflict, type ArchivePlan } from './ledger-archive.js';
import { letterOf, type BindingNote, type LedgerProposal } from './ledger-detect.js';
import { customerGridOf } from './ledger-grid.js';
import { widthOf } from './ledger-header.js';
import { classifyLedgerRows, type OwnerLookup, type UnmatchedRow } from './ledger-rows.js';
import type { SpreadsheetSnapshot, StructureChange, TabSnapshot } from './sheet-snapshot.js';

/**
 * What adopting a ledger would do, before anything is written (the preview an operator reads and
 * `ladder adopt --dry-run --json` prints): what was recognised and each column's role; how many
 * rows are the branch's customers and every row that is not, with why; the archive cells that
 * would go through the sheet-edit path and those that disagree with the store; what the first
 * nightly run will add (computed columns after the ledger's last column, the list tabs, the
 * branch's customers the ledger lacks). And the structure that records the binding. Pure.
 */

export interface PreviewColumn {
  /** the column letter (A, B, …) */
  column: string;
  columnNumber: number;
  header: string;
  group: string | null;
  role: 'key' | 'editable' | 'computed' | 'own';
  field: string | null;
  by: 'synonym' | 'map' | null;
}

export type PreviewAdd =
  | { kind: 'column'; column: string; header: string; zh: string }
  | { kind: 'tab'; name: string; zh: string }
  | { kind: 'rows'; fromRow: number; customers: string[]; zh: string }
  | { kind: 'listed'; tab: string; customers: string[]; zh: string };

export interface AdoptionPreview {
  tab: string;
  headerRow: number;
  headerRows: number;
  titleRows: number[];
  keyColumn: string;
  columns: PreviewColumn[];
  /** rows that are the branch's customers */
  matched: number;
  unmatched: UnmatchedRow[];
  conflicts: ArchiveConflict[];
  /** archive cells to send through the sheet-edit path, and on how many rows */
  archive: { rows: number; cells: number; same: number };
  adds: PreviewAdd[];
  table: { firstRow: number; lastRow: number; totalsRow: number | null; trailingFrom: number | null };
  notes: BindingNote[];
}

export interface AdoptionPlan {
  preview: AdoptionPreview;
  archive: ArchivePlan;
  /** what records the binding: the tab tagged 客户名单, its bound columns tagged, the binding stored */
  structure: StructureChange[];
}

export interface AdoptionFacts {
  branchId: string;
  /** the branch's customers, with their stored archive by layout header */
  archives: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** owner of every number in the ledger's key column (absent: not looked up, treated as unknown) */
  owners: OwnerLookup;
}

export function planAdoption(snapshot: SpreadsheetSnapshot, proposal: LedgerProposal, facts: AdoptionFacts): AdoptionPlan {
  const tab = snapshot.tabs.find((t) => t.sheetId === proposal.sheetId) as TabSnapshot;
  const bound = customerGridOf({ values: tab.values, merges: tab.merges ?? [], columnTags: proposal.tags, binding: proposal.binding });
  const branchCustomers = new Set(facts.archives.keys());
  const rows = classifyLedgerRows(bound.grid.rows, proposal.keyColumn, facts.branchId, facts.owners, branchCustomers);
  const archive = planArchiveAdoption(readEditedRows(bound.grid), rows.matched, facts.archives);

  // a ledger adopted before: the computed columns the system added are the system's, not the branch's
  const added = new Map([...tab.columnTags].filter(([column, header]) => columnRole(header) === 'computed' && !proposal.tags.has(column)));
  const columns = proposal.columns.map((c) => {
    const header = added.get(c.column);
    return header === undefined ? c : { ...c, role: 'computed' as const, field: header, by: null };
  });
  const notes = proposal.notes.filter((n) => !(n.code === 'SAME_NAME_AS_COMPUTED' && [...added.keys()].some((column) => n.zh.startsWith(`${letterOf(column)} 列`))));

  const adds: PreviewAdd[] = [];
  let next = Math.max(widthOf(tab.values, tab.merges ?? []), ...proposal.tags.keys()) + 1;
  const bound_ = new Set([...proposal.tags.values(), ...added.values()]);
  for (const header of COMPUTED_HEADERS) {
    if (bound_.has(header)) continue;
    const column = letterOf(next++);
    adds.push({ kind: 'column', column, header, zh: `在 ${column} 列新增“${header}”（第 ${proposal.headerRow} 行为表头）` });
  }
  const titles = new Set(snapshot.tabs.map((t) => t.title.trim().toLocaleLowerCase()));
  for (const name of [...LIST_TABS.map((t) => t.name), MISSING_TAB]) {
    if (!titles.has(name.toLocaleLowerCase()) && !snapshot.tabs.some((t) => t.tabTag === name)) adds.push({ kind: 'tab', name, zh: `新增工作表“${name}”` });
  }
  const missing = [...branchCustomers].filter((id) => !rows.matched.has(id)).sort();
  if (missing.length > 0) {
    if (proposal.binding.missing === 'append' && bound.table?.appendAt != null) {
      adds.push({ kind: 'rows', fromRow: bound.table.appendAt, customers: missing, zh: `台账中没有的 ${missing.length} 位本支行客户，从第 ${bound.table.appendAt} 行起加在表格末尾` });
    } else {
      const why = proposal.binding.missing === 'append' ? '（台账表格下方有合计行或说明，不在其下方加行）' : '';
      adds.push({ kind: 'listed', tab: MISSING_TAB, customers: missing, zh: `台账中没有的 ${missing.length} 位本支行客户列在“${MISSING_TAB}”页，不加入台账${why}` });
    }
  }

  const structure: StructureChange[] = [];
  if (tab.tabTag !== CUSTOMER_TAB) structure.push({ kind: 'tagTab', sheetId: tab.sheetId, name: CUSTOMER_TAB });
  for (const [column, header] of [...proposal.tags].sort(([a], [b]) => a - b)) {
    if (tab.columnTags.get(column) !== header) structure.push({ kind: 'tagColumn', sheetId: tab.sheetId, column, header });
  }
  structure.push({ kind: 'bindTab', sheetId: tab.sheetId, binding: proposal.binding, replaces: (tab.binding ?? null) !== null });

  const preview: AdoptionPreview = {
    tab: proposal.tab,
    headerRow: proposal.headerRow,
    headerRows: proposal.headerRows,
    titleRows: proposal.titleRows,
    keyColumn: letterOf(proposal.keyColumn),
    columns: columns.map((c) => ({ column: c.letter, columnNumber: c.column, header: c.header, group: c.group, role: c.role, field: c.field, by: c.by })),
    matched: rows.matched.size,
    unmatched: rows.unmatched,
    conflicts: archive.conflicts,
    archive: { rows: archive.send.length, cells: archive.send.reduce((n, r) => n + Object.keys(r.cells).length, 0), same: archive.same },
    adds,
    table: { firstRow: proposal.table.firstRow, lastRow: proposal.table.lastRow, totalsRow: proposal.table.totalsRow, trailingFrom: proposal.table.trailingFrom },
    notes,
  };
  return { preview, archive, structure };
}

/** The key column's numbers in the ledger's table (what the store is asked about). */
export function ledgerKeys(snapshot: SpreadsheetSnapshot, proposal: LedgerProposal): string[] {
  const tab = snapshot.tabs.find((t) => t.sheetId === proposal.sheetId) as TabSnapshot;
  const keys: string[] = [];
  for (let row = proposal.table.firstRow; row <= proposal.table.lastRow; row++) {
    const value = (tab.values[row - 1]?.[proposal.keyColumn - 1] ?? '').trim();
    if (value !== '') keys.push(value);
  }
  return keys;
}
