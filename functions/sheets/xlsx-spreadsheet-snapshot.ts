import type ExcelJS from 'exceljs';
import { CUSTOMER_TAB, LAYOUT_TAB_NAMES } from '../../shared/sheets/branch-layout.js';
import type { LedgerBinding } from '../../shared/sheets/ledger-binding.js';
import type { CellSpan, SpreadsheetSnapshot, TabSnapshot } from '../../shared/sheets/sheet-snapshot.js';
import { cellText } from './xlsx-cells.js';
import { conditionalRulesOf, XLSX_COLUMNS, XLSX_ROWS } from './xlsx-conditional-rules.js';
import { readTags } from './xlsx-defined-tags.js';
import { protectionsOf, type LayoutTab } from './xlsx-protection.js';
import { IDENTITY_TAB, readBinding } from './xlsx-workbook-identity.js';

/**
 * A local workbook as one read of the port sees it (the shape the Google gateway gives): every
 * tab but the identity tab, in tab order, with its cells as text, its tags (defined names,
 * xlsx-defined-tags.ts), its protected ranges (sheet protection and locked cells,
 * xlsx-protection.ts) and its conditional rules. An .xlsx sheet is always 1,048,576 rows by
 * 16,384 columns, so no tab ever needs to grow.
 */
export function workbookSnapshot(workbook: ExcelJS.Workbook): SpreadsheetSnapshot {
  const tags = readTags(workbook);
  const sheets = workbook.worksheets.filter((s) => s.name !== IDENTITY_TAB);
  const bare = sheets.map((sheet) => ({ sheet, tabTag: tags.tabs.get(sheet.name) ?? null, columnTags: tags.columns.get(sheet.name) ?? new Map<number, string>(), values: valuesOf(sheet) }));
  const layout = layoutTabs(bare.map((t) => ({ title: t.sheet.name, tabTag: t.tabTag })));
  const binding = readBinding(workbook);
  return {
    tabs: bare.map(
      ({ sheet, tabTag, columnTags, values }, i): TabSnapshot => ({
        sheetId: sheet.id,
        title: sheet.name,
        rowCount: XLSX_ROWS,
        columnCount: XLSX_COLUMNS,
        values,
        tabTag,
        columnTags,
        protections: protectionsOf(sheet, layout[i] as LayoutTab, values[0] ?? [], columnTags),
        conditionalRules: conditionalRulesOf(sheet),
        merges: mergesOf(sheet),
        // the workbook keeps one binding, for the tab tagged 客户名单
        binding: tabTag === CUSTOMER_TAB ? binding : null,
      }),
    ),
  };
}

/**
 * Which tab is which layout tab, as the planner finds them (shared/sheets/branch-sheet-sync.ts):
 * the tab tagged with the name, else the first tab with that title that carries no layout tag.
 */
export function layoutTabs(tabs: readonly { title: string; tabTag: string | null }[]): LayoutTab[] {
  const names = LAYOUT_TAB_NAMES;
  const out: LayoutTab[] = tabs.map(() => ({ name: null, isCustomerTab: false }));
  for (const name of names) {
    let at = tabs.findIndex((t) => t.tabTag === name);
    if (at < 0) at = tabs.findIndex((t) => t.title.trim().toLocaleLowerCase() === name.toLocaleLowerCase() && (t.tabTag === null || !names.includes(t.tabTag)));
    if (at >= 0 && out[at]!.name === null) out[at] = { name, isCustomerTab: name === CUSTOMER_TAB };
  }
  return out;
}

/** 客户名单 of a workbook, found as the planner finds it (its tag, else its title), with its column tags and its ledger binding; null when it has none. */
export function customerSheetOf(workbook: ExcelJS.Workbook): { sheet: ExcelJS.Worksheet; tags: ReadonlyMap<number, string>; binding: LedgerBinding | null } | null {
  const tags = readTags(workbook);
  const sheets = workbook.worksheets.filter((s) => s.name !== IDENTITY_TAB);
  const at = layoutTabs(sheets.map((s) => ({ title: s.name, tabTag: tags.tabs.get(s.name) ?? null }))).findIndex((t) => t.isCustomerTab);
  if (at < 0) return null;
  const sheet = sheets[at] as ExcelJS.Worksheet;
  return { sheet, tags: tags.columns.get(sheet.name) ?? new Map(), binding: tags.tabs.get(sheet.name) === CUSTOMER_TAB ? readBinding(workbook) : null };
}

/** The merged blocks of a sheet (exceljs keeps them by master cell, each with its bounds; its typings leave them out). */
export function mergesOf(sheet: ExcelJS.Worksheet): CellSpan[] {
  const merges = (sheet as unknown as { _merges?: Record<string, { top: number; left: number; bottom: number; right: number }> })._merges ?? {};
  return Object.values(merges).map((m) => ({ fromRow: m.top, toRow: m.bottom, fromColumn: m.left, toColumn: m.right }));
}
/** The cells as text, first row first, each row up to its last non-empty cell; a merged cell's other cells are empty. */
export function valuesOf(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      if (cell.isMerged && cell.master.address !== cell.address) return;
      const text = cellText(cell.value);
      if (text !== '') cells[column - 1] = text;
    });
    if (cells.length > 0) rows[rowNumber - 1] = Array.from(cells, (t) => t ?? '');
  });
  return Array.from(rows, (r) => r ?? []);
}
