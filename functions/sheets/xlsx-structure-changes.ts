import type ExcelJS from 'exceljs';
import { columnRole, CUSTOMER_TAB, LIST_TABS } from '../../shared/sheets/branch-layout.js';
import { widthOf } from '../../shared/sheets/ledger-header.js';
import type { CellSpan, StructureChange } from '../../shared/sheets/sheet-snapshot.js';
import { addTextRule, clearLegacyStatusFills, XLSX_COLUMNS, XLSX_ROWS } from './xlsx-conditional-rules.js';
import { tagColumn, tagTab } from './xlsx-defined-tags.js';
import { protectionTarget, renderProtection, setColumnLock, type ProtectionState } from './xlsx-protection.js';
import { workbookSnapshot } from './xlsx-spreadsheet-snapshot.js';
import { IDENTITY_TAB, writeBinding } from './xlsx-workbook-identity.js';

/**
 * The port's structural changes applied to a loaded local workbook, in the order given (what
 * one Google spreadsheets.batchUpdate does): tabs added, tags written as defined names,
 * protection set by sheet protection and cell locks, "text is exactly" colour rules added.
 * A change naming a tab that is not there fails the whole batch, before anything is saved.
 *
 * What the local workbook shows besides (no Google request carries it, the .xlsx needs it to
 * read well in Excel, WPS and LibreOffice): a new tab freezes its header row; 客户名单, once
 * tagged, prints landscape on one page width with the header row repeated; a list tab's header
 * is bold; a layout column, once tagged, gets a readable width unless the branch set one, and
 * its rows to come are locked (key, computed) or open (editable).
 */

export class StructureError extends Error {
  override readonly name = 'StructureError';
}

export async function applyStructure(workbook: ExcelJS.Workbook, changes: readonly StructureChange[]): Promise<void> {
  const before = workbookSnapshot(workbook);
  // An adopted ledger is the branch's: its page setup, views, widths and cell locks stay as they are;
  // only the columns the system appends after its last one are presented.
  const ledgerWidth = new Map<number, number>();
  for (const tab of before.tabs) if (tab.binding) ledgerWidth.set(tab.sheetId, widthOf(tab.values, tab.merges ?? []));
  for (const c of changes) if (c.kind === 'bindTab' && !ledgerWidth.has(c.sheetId)) ledgerWidth.set(c.sheetId, widthOf(before.tabs.find((t) => t.sheetId === c.sheetId)?.values ?? [], before.tabs.find((t) => t.sheetId === c.sheetId)?.merges ?? []));
  const added = new Map<number, ExcelJS.Worksheet>();
  const sheetOf = (sheetId: number): ExcelJS.Worksheet => {
    const sheet = added.get(sheetId) ?? (before.tabs.some((t) => t.sheetId === sheetId) ? workbook.getWorksheet(sheetId) : undefined);
    if (sheet === undefined) throw new StructureError(`no tab with id ${sheetId} in the workbook`);
    return sheet;
  };
  // protection as the workbook holds it now, per tab; changed below, then rendered once per tab
  const protection = new Map<number, ProtectionState>();
  const stateOf = (sheetId: number): ProtectionState => {
    let state = protection.get(sheetId);
    if (state === undefined) {
      state = { wholeTab: false, columns: new Set() };
      for (const p of before.tabs.find((t) => t.sheetId === sheetId)?.protections ?? []) {
        const { column } = protectionTarget(p.id);
        if (column === 0) state.wholeTab = true;
        else state.columns.add(column);
      }
      protection.set(sheetId, state);
    }
    return state;
  };
  // An xlsx sheet locks cells, so a protected span is whole columns (its rows are not kept apart) or the whole tab.
  const protect = (sheetId: number, span: CellSpan) => {
    sheetOf(sheetId);
    const state = stateOf(sheetId);
    const from = span.fromColumn ?? 1;
    if (span.toColumn === undefined) {
      if (from > 1) throw new StructureError(`a protected range from column ${from} to the edge of the sheet cannot be kept in an .xlsx sheet`);
      state.wholeTab = true;
    } else {
      for (let c = from; c <= span.toColumn; c++) state.columns.add(c);
    }
  };
  const unprotect = (protectionId: number) => {
    const { sheetId, column } = protectionTarget(protectionId);
    const state = stateOf(sheetId);
    if (column === 0) state.wholeTab = false;
    else state.columns.delete(column);
  };

  for (const change of changes) {
    switch (change.kind) {
      case 'addTab': {
        if (workbook.worksheets.some((s) => s.name.toLocaleLowerCase() === change.title.toLocaleLowerCase())) throw new StructureError(`a tab named ${change.title} already exists`);
        added.set(change.sheetId, workbook.addWorksheet(change.title, { views: [{ state: 'frozen', ySplit: 1 }] }));
        keepIdentityTabLast(workbook);
        break;
      }
      case 'growTab':
        // an .xlsx sheet is always the full grid; growing within it is nothing to do
        sheetOf(change.sheetId);
        if (change.dimension === 'ROWS' ? change.by > XLSX_ROWS : change.by > XLSX_COLUMNS) throw new StructureError(`an .xlsx sheet cannot grow by ${change.by} ${change.dimension.toLowerCase()}`);
        break;
      case 'tagTab': {
        const sheet = sheetOf(change.sheetId);
        tagTab(workbook, sheet, change.name);
        if (!ledgerWidth.has(change.sheetId)) presentTab(sheet, change.name);
        break;
      }
      case 'tagColumn': {
        const sheet = sheetOf(change.sheetId);
        tagColumn(workbook, sheet, change.column, change.header);
        if (change.column > (ledgerWidth.get(change.sheetId) ?? 0)) presentColumn(sheet, change.column, change.header);
        break;
      }
      case 'protect':
        protect(change.sheetId, change.span);
        break;
      case 'moveProtection':
        unprotect(change.protectionId);
        protect(change.sheetId, change.span);
        break;
      case 'dropProtection':
        unprotect(change.protectionId);
        break;
      case 'colourWhenText': {
        const sheet = sheetOf(change.sheetId);
        addTextRule(sheet, change.span, change.text, change.background);
        clearLegacyStatusFills(sheet, change.span);
        break;
      }
      case 'textFormat': {
        // the column's own style, which Excel, WPS and LibreOffice give a cell typed into it; the cells there now get it too
        const column = sheetOf(change.sheetId).getColumn(change.column);
        column.numFmt = '@';
        break;
      }
      case 'bindTab':
        sheetOf(change.sheetId);
        writeBinding(workbook, change.binding);
        break;
    }
  }

  const tags = workbookSnapshot(workbook);
  for (const [sheetId, state] of protection) {
    const sheet = sheetOf(sheetId);
    const tab = tags.tabs.find((t) => t.title === sheet.name);
    const header = tab?.values[0] ?? [];
    await renderProtection(sheet, state, (column) => columnRole(tab?.columnTags.get(column) ?? header[column - 1] ?? '') !== null);
  }
}

/** The identity tab stays the last one, so that the first tab a program opens is a visible one. */
function keepIdentityTabLast(workbook: ExcelJS.Workbook): void {
  const identity = workbook.getWorksheet(IDENTITY_TAB);
  if (identity === undefined) return;
  const ordered = (s: ExcelJS.Worksheet) => s as unknown as { orderNo: number };
  ordered(identity).orderNo = Math.max(...workbook.worksheets.map((s) => ordered(s).orderNo)) + 1;
}

function presentTab(sheet: ExcelJS.Worksheet, name: string): void {
  if (name === CUSTOMER_TAB) {
    // Printing (and PDF export) fits every column on the page width, the header row repeated.
    sheet.pageSetup = { ...sheet.pageSetup, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' };
    // A workbook saved without views reads back with none at all (null), not an empty list.
    if ((sheet.views ?? []).length === 0) sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 1 }];
  } else if (LIST_TABS.some((t) => t.name === name)) {
    // cell by cell with fresh style objects: styles read from a file are shared between cells
    const header = sheet.getRow(1);
    // a row's style (cells made later take it) is there at run time; exceljs's typings leave it out
    const row = header as unknown as { style: Partial<ExcelJS.Style> };
    row.style = { ...row.style, font: { bold: true } };
    header.eachCell((cell) => (cell.style = { ...cell.style, font: { ...cell.style.font, bold: true } }));
  }
}

function presentColumn(sheet: ExcelJS.Worksheet, column: number, header: string): void {
  const role = columnRole(header);
  if (role === null) return;
  const col = sheet.getColumn(column);
  // a width the branch set is theirs
  if (col.width === undefined) col.width = role === 'computed' ? 16 : 13;
  setColumnLock(sheet, column, role !== 'editable');
}
