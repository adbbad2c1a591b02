import { COMPUTED_HEADERS, CONTACT_STATUS_HEADER, CUSTOMER_HEADERS, CUSTOMER_TAB, KEY_HEADER, LAYOUT_TAB_NAMES, LIST_TABS, MISSING_HEADERS, MISSING_TAB, TEXT_HEADERS } from './branch-layout.js';
import type { BranchSheetContent } from './branch-sheet-content.js';
import { allWrites, planCustomerSheet, type CustomerSheetPlan, type SheetProblem } from './customer-sheet-plan.js';
import type { ComputedCells } from './customer-cells.js';
import { customerGridOf } from './ledger-grid.js';
import { listTabWrites } from './list-tab-diff.js';
import { protectedThingOf, protectionDescription, STATUS_BACKGROUNDS, type ProtectedThing } from './sheet-contract.js';
import type { CellSpan, SpreadsheetSnapshot, StructureChange, TabCellWrite, TabSnapshot } from './sheet-snapshot.js';

/**
 * Everything one run changes in a branch's Google Sheet, planned from one read:
 * - structure, sent in one batch and only when something is missing: tabs added, grids grown
 *   to fit, tabs and layout columns tagged with developer metadata, key and computed columns
 *   and the list tabs protected (one protected range each, found again by its description,
 *   re-created only when missing), 联系状态 coloured by conditional-format rules (once);
 * - values, sent in one batch: 客户名单's changed computed cells and new rows, the list tabs
 *   made to show today's lists.
 * Tabs are found by their metadata tag first and their title second, so a renamed tab is
 * still the system's; columns likewise (column-map.ts).
 *
 * When 客户名单 is the branch's own adopted ledger (its tab carries a binding, ledger-grid.ts),
 * the ledger stays the branch's: only the computed columns are written (appended after its last
 * column, headed on its header row), nothing on it is protected (the branch's cells, formats and
 * sorting stay as they were), and the branch's customers it lacks are listed on 未入台账 unless
 * the binding lets them have rows below the table.
 */

export interface BranchSheetPlan {
  structure: StructureChange[];
  writes: TabCellWrite[];
  /** layout tabs the spreadsheet lacked, in layout order */
  tabsAdded: string[];
  customers: CustomerSheetPlan;
  /** 客户名单's title now (a tab renamed by the branch keeps its tag and is written under its new name) */
  customerTab: string;
  /** 客户名单's sheet id (a write by it and a column's tag lands there whatever the tab is called by then) */
  customerSheetId: number;
  problems: SheetProblem[];
}

/** what a new tab gets: the size Google gives an added sheet */
export const DEFAULT_ROWS = 1000;
export const DEFAULT_COLUMNS = 26;
/** rows added beyond the last one needed when a tab must grow, so that it does not grow every night */
export const ROW_HEADROOM = 100;

type Content = Pick<BranchSheetContent, 'computed' | 'initial' | 'lists'>;

interface Located {
  tab: TabSnapshot;
  isNew: boolean;
  /** found by title, not yet tagged */
  needsTag: boolean;
}

export function planBranchSheet(snapshot: SpreadsheetSnapshot, content: Content): BranchSheetPlan {
  const add: StructureChange[] = [];
  const grow: StructureChange[] = [];
  const tagTabs: StructureChange[] = [];
  const tagColumns: StructureChange[] = [];
  const protect: StructureChange[] = [];
  const colour: StructureChange[] = [];
  const formats: StructureChange[] = [];
  const writes: TabCellWrite[] = [];
  const tabsAdded: string[] = [];

  const used = new Set(snapshot.tabs.map((t) => t.sheetId));
  let candidate = 1;
  const freshSheetId = () => {
    while (used.has(candidate)) candidate++;
    used.add(candidate);
    return candidate;
  };
  const layoutNames = new Set<string>(LAYOUT_TAB_NAMES);
  const locate = (name: string): Located => {
    const tagged = snapshot.tabs.find((t) => t.tabTag === name);
    if (tagged) return { tab: tagged, isNew: false, needsTag: false };
    const titled = snapshot.tabs.find((t) => sameTitle(t.title, name) && (t.tabTag === null || !layoutNames.has(t.tabTag)));
    if (titled) return { tab: titled, isNew: false, needsTag: true };
    const tab: TabSnapshot = { sheetId: freshSheetId(), title: name, rowCount: DEFAULT_ROWS, columnCount: DEFAULT_COLUMNS, values: [], tabTag: null, columnTags: new Map(), protections: [], conditionalRules: [] };
    tabsAdded.push(name);
    return { tab, isNew: true, needsTag: true };
  };
  /** adds or grows the tab so that every cell written (and every column tagged) exists */
  const fit = (where: Located, name: string, tabWrites: readonly TabCellWrite[], widest: number) => {
    const { tab } = where;
    // reduce, not Math.max(...): a first night of a large branch is more cells than a call takes arguments
    const rows = tabWrites.reduce((most, w) => Math.max(most, w.row), 0);
    const columns = tabWrites.reduce((most, w) => Math.max(most, w.column), widest);
    if (where.isNew) {
      add.push({ kind: 'addTab', sheetId: tab.sheetId, title: tab.title, rows: rows > DEFAULT_ROWS ? rows + ROW_HEADROOM : DEFAULT_ROWS, columns: Math.max(DEFAULT_COLUMNS, columns) });
    } else {
      if (rows > tab.rowCount) grow.push({ kind: 'growTab', sheetId: tab.sheetId, dimension: 'ROWS', by: rows - tab.rowCount + ROW_HEADROOM });
      if (columns > tab.columnCount) grow.push({ kind: 'growTab', sheetId: tab.sheetId, dimension: 'COLUMNS', by: columns - tab.columnCount });
    }
    if (where.needsTag) tagTabs.push({ kind: 'tagTab', sheetId: tab.sheetId, name });
  };

  // 客户名单
  const customerWhere = locate(CUSTOMER_TAB);
  const customerTab = customerWhere.tab;
  const bound = customerGridOf(customerTab);
  const customers = bound.blocked ? planCustomerSheet(bound.grid, { computed: new Map() }) : planCustomerSheet(bound.grid, { computed: content.computed, initial: content.initial });
  customers.problems.unshift(...bound.problems);
  if (bound.blocked) customers.missing = [...content.computed.keys()];
  const usable = !bound.blocked && (customers.map.key !== null || customers.appendColumns.length > 0);
  // every layout column is tagged by the structure batch sent before the writes, so a write names its column by the tag
  const headerAt = new Map([...customers.columns].map(([header, column]) => [column, header]));
  const customerWrites: TabCellWrite[] = bound.blocked ? [] : allWrites(customers).map((w) => ({ tab: customerTab.title, ...w, sheetId: customerTab.sheetId, ...(usable && headerAt.has(w.column) ? { header: headerAt.get(w.column) as string } : {}) }));
  for (const w of customerWrites) writes.push(w);
  fit(customerWhere, CUSTOMER_TAB, customerWrites, usable ? Math.max(0, ...customers.columns.values()) : 0);
  if (bound.rebind !== null) tagTabs.push({ kind: 'bindTab', sheetId: customerTab.sheetId, binding: bound.rebind, replaces: true });
  const firstDataRow = (bound.grid.headerRow ?? 1) + 1;
  if (usable) {
    const sheetId = customerTab.sheetId;
    for (const header of CUSTOMER_HEADERS) {
      const column = customers.columns.get(header);
      // an adopted ledger may lack an editable column: it is not added, so there is nothing to tag
      if (column !== undefined && !customers.map.tagged.has(header)) tagColumns.push({ kind: 'tagColumn', sheetId, column, header });
    }
    // an adopted ledger is the branch's: nothing on it is protected (a workbook's sheet protection would lock the branch's own cells)
    for (const header of bound.binding === null ? [KEY_HEADER, ...COMPUTED_HEADERS] : []) {
      const column = customers.columns.get(header) as number;
      protect.push(...protectionChanges(customerTab, { kind: 'column', name: header }, { fromColumn: column, toColumn: column }, (s) => s.fromColumn === column && s.toColumn === column && (s.fromRow ?? 1) <= 1));
    }
    const status = customers.columns.get(CONTACT_STATUS_HEADER) as number;
    for (const { text, background } of STATUS_BACKGROUNDS) {
      const present = customerTab.conditionalRules.some((r) => r.type === 'TEXT_EQ' && r.values[0] === text && r.spans.some((s) => (s.fromColumn ?? 1) <= status && status <= (s.toColumn ?? Infinity)));
      if (!present) colour.push({ kind: 'colourWhenText', sheetId, span: { fromRow: firstDataRow, fromColumn: status, toColumn: status }, text, background });
    }
    // text-like columns of the system's own layout get the plain-text format once (never an adopted ledger's: its formats are the branch's)
    for (const header of bound.binding === null ? TEXT_HEADERS : []) {
      const column = customers.columns.get(header);
      if (column === undefined) continue;
      const present = customerTab.textColumns === undefined ? customers.map.tagged.has(header) : customerTab.textColumns.has(column);
      if (!present) formats.push({ kind: 'textFormat', sheetId, column, fromRow: firstDataRow });
    }
  }

  // the list tabs: the system's own, rewritten to today's lists and protected whole
  for (const list of LIST_TABS) {
    const where = locate(list.name);
    const tabWrites = listTabWrites(where.tab.values, list.headers, content.lists[list.name]).map((w) => ({ tab: where.tab.title, ...w, sheetId: where.tab.sheetId }));
    for (const w of tabWrites) writes.push(w);
    fit(where, list.name, tabWrites, 0);
    protect.push(...protectionChanges(where.tab, { kind: 'tab', name: list.name }, {}, () => true));
  }

  // the branch's customers an adopted ledger lacks: listed beside it, never added below its totals
  if (bound.binding !== null) {
    const where = locate(MISSING_TAB);
    const tabWrites = listTabWrites(where.tab.values, MISSING_HEADERS, missingRows(customers.missing, content.computed, bound.blocked)).map((w) => ({ tab: where.tab.title, ...w, sheetId: where.tab.sheetId }));
    for (const w of tabWrites) writes.push(w);
    fit(where, MISSING_TAB, tabWrites, 0);
    protect.push(...protectionChanges(where.tab, { kind: 'tab', name: MISSING_TAB }, {}, () => true));
  }

  return { structure: [...add, ...grow, ...tagTabs, ...tagColumns, ...protect, ...colour, ...formats], writes, tabsAdded, customers, customerTab: customerTab.title, customerSheetId: customerTab.sheetId, problems: customers.problems };
}

/** 未入台账's rows: each missing customer with the figures the ledger would have shown, in customer-number order. */
function missingRows(missing: readonly string[], computed: ReadonlyMap<string, ComputedCells>, blocked: boolean): string[][] {
  const why = blocked ? '台账本次未能写入（见运行报告）' : '本支行客户，台账中没有这一行';
  return [...missing].sort().map((id) => {
    const c = computed.get(id);
    return [id, c?.当前等级 ?? '', c?.月日均资产 ?? '', c?.下一等级 ?? '', c?.距下一等级差额 ?? '', why];
  });
}

/**
 * The system's protected range for one thing: added when missing, moved back when it no
 * longer covers what it should, and any second one of ours removed (never duplicated).
 */
function protectionChanges(tab: TabSnapshot, thing: ProtectedThing, span: CellSpan, fits: (s: CellSpan) => boolean): StructureChange[] {
  const ours = tab.protections.filter((p) => {
    const t = protectedThingOf(p.description);
    return t !== null && t.kind === thing.kind && t.name === thing.name;
  });
  const [first, ...extra] = ours;
  const changes: StructureChange[] = extra.map((p) => ({ kind: 'dropProtection', protectionId: p.id }));
  if (first === undefined) changes.unshift({ kind: 'protect', sheetId: tab.sheetId, span, description: protectionDescription(thing) });
  else if (!fits(first.span)) changes.unshift({ kind: 'moveProtection', protectionId: first.id, sheetId: tab.sheetId, span });
  return changes;
}

/** Sheets compares tab titles without regard to case (and surrounding spaces are easy to type) */
function sameTitle(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}
