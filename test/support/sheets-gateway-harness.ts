import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { google, type sheets_v4 } from 'googleapis';
import { googleSheetsGateway, quoteTab, columnLetters, type SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { workbookFolder } from '../../functions/sheets/workbook-locator.js';
import { prepareBranchWorkbook } from '../../functions/sheets/xlsx-branch-workbook.js';
import { xlsxSheetsGateway } from '../../functions/sheets/xlsx-sheets-gateway.js';
import { readIdentity } from '../../functions/sheets/xlsx-workbook-identity.js';
import type { SheetsApiServer } from './sheets-api-server/index.js';

/**
 * The two implementations of the SheetsGateway port side by side, each with what the contract
 * tests need around it: a new spreadsheet made as its owner makes one, what a manager does
 * done the way their tool does it, and a look at a stored cell that does not go through the
 * gateway under test.
 * - google: the real googleapis client over HTTP against the Sheets API test server; the
 *   manager's edits are the API's own requests (the server has no updateSheetProperties, so a
 *   tab is renamed on its model, which keeps the sheet id and its metadata as Google does);
 * - xlsx: real files in a folder, found by the id in their `_ladder` tab; the manager's tool is
 *   exceljs (open, change, save), moving and renaming as Excel and LibreOffice do: a defined
 *   name referring to a cell follows the cell (checked with LibreOffice 7.4: inserting and
 *   moving columns and renaming the tab rewrite the names' references).
 */

export interface StoredCell {
  kind: 'text' | 'number' | 'formula' | 'empty';
  value: string | number | null;
}

export interface GatewayHarness {
  kind: 'google' | 'xlsx';
  gateway: SheetsGateway;
  /** a new spreadsheet for a branch, as its owner makes one; answers its id */
  create(branchId?: string): Promise<string>;
  manager: {
    type(id: string, tab: string, cells: readonly { row: number; column: number; value: string }[]): Promise<void>;
    /** drags column `from` to position `to` (1-based), as the sheet's UI does */
    moveColumn(id: string, tab: string, from: number, to: number): Promise<void>;
    deleteColumn(id: string, tab: string, column: number): Promise<void>;
    renameTab(id: string, from: string, to: string): Promise<void>;
  };
  /** the cell as stored, not as the gateway reads it */
  stored(id: string, tab: string, row: number, column: number): Promise<StoredCell>;
  /** whether the cell is protected (a Google protected range covers it; the xlsx sheet is protected and the cell locked) */
  isProtected(id: string, tab: string, row: number, column: number): Promise<boolean>;
}

export function gatewayHarnesses(server: SheetsApiServer, folder: string): GatewayHarness[] {
  return [googleHarness(server), xlsxHarness(folder)];
}

function googleHarness(server: SheetsApiServer): GatewayHarness {
  const sheets: sheets_v4.Sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  const sheetIdOf = (id: string, title: string) => server.state.get(id).sheets.find((s) => s.properties.title === title)!.properties.sheetId;
  return {
    kind: 'google',
    gateway: googleSheetsGateway(sheets),
    async create() {
      return (await sheets.spreadsheets.create({ requestBody: { properties: { title: '城东支行' } } })).data.spreadsheetId!;
    },
    manager: {
      async type(id, tab, cells) {
        const data = cells.map((c) => ({ range: `${quoteTab(tab)}!${columnLetters(c.column - 1)}${c.row}`, values: [[c.value]] }));
        await sheets.spreadsheets.values.batchUpdate({ spreadsheetId: id, requestBody: { valueInputOption: 'RAW', data } });
      },
      async moveColumn(id, tab, from, to) {
        const sheetId = sheetIdOf(id, tab);
        await sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ moveDimension: { source: { sheetId, dimension: 'COLUMNS', startIndex: from - 1, endIndex: from }, destinationIndex: to - 1 } }] } });
      },
      async deleteColumn(id, tab, column) {
        const sheetId = sheetIdOf(id, tab);
        await sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ deleteDimension: { range: { sheetId, dimension: 'COLUMNS', startIndex: column - 1, endIndex: column } } }] } });
      },
      async renameTab(id, from, to) {
        server.state.get(id).sheets.find((s) => s.properties.title === from)!.properties.title = to;
      },
    },
    async stored(id, tab, row, column) {
      const cell = server.state.cell(id, tab, row, column - 1);
      if (cell === undefined || cell.value === '') return { kind: 'empty', value: null };
      if (cell.formula) return { kind: 'formula', value: String(cell.value) };
      return typeof cell.value === 'number' ? { kind: 'number', value: cell.value } : { kind: 'text', value: String(cell.value) };
    },
    async isProtected(id, tab, row, column) {
      const sheetId = sheetIdOf(id, tab);
      return server.state.get(id).protectedRanges.some((p) => {
        const r = p.range;
        return r.sheetId === sheetId && (r.startRowIndex ?? 0) < row && row <= (r.endRowIndex ?? Infinity) && (r.startColumnIndex ?? 0) < column && column <= (r.endColumnIndex ?? Infinity);
      });
    },
  };
}

/** exceljs's defined names as they behave (its typings name other shapes) */
interface Names {
  addEx(location: { sheetName: string; address: string; row: number; col: number }, name: string): unknown;
  removeEx(location: { sheetName: string; address: string; row: number; col: number }, name: string): unknown;
  forEach(callback: (name: string, cell: { sheetName: string; row: number; col: number }) => void): void;
}

function xlsxHarness(folder: string): GatewayHarness {
  let made = 0;
  const paths = new Map<string, string>();
  /** the manager at work: open, change, save (what Excel or LibreOffice would save) */
  const edit = async (id: string, change: (workbook: ExcelJS.Workbook, names: Names) => void) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(paths.get(id)!);
    change(workbook, workbook.definedNames as unknown as Names);
    workbook.lastModifiedBy = '李经理';
    await workbook.xlsx.writeFile(paths.get(id)!);
  };
  const open = async (id: string) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(paths.get(id)!);
    return workbook;
  };
  return {
    kind: 'xlsx',
    gateway: xlsxSheetsGateway(workbookFolder(folder)),
    async create(branchId = 'B01') {
      made++;
      const path = join(folder, `branch-${made}.xlsx`);
      const { workbookId } = await prepareBranchWorkbook(path, branchId);
      paths.set(workbookId, path);
      return workbookId;
    },
    manager: {
      async type(id, tab, cells) {
        await edit(id, (workbook) => {
          for (const c of cells) workbook.getWorksheet(tab)!.getCell(c.row, c.column).value = c.value;
        });
      },
      async moveColumn(id, tab, from, to) {
        await edit(id, (workbook, names) => {
          const sheet = workbook.getWorksheet(tab)!;
          // Excel's "cut the column, insert the cut cells": an empty column opens at `to`…
          sheet.spliceColumns(to, 0, []);
          const source = from >= to ? from + 1 : from;
          // …the cells (values, styles, notes) and the names on them go there…
          sheet.eachRow({ includeEmpty: true }, (row) => {
            const cell = row.getCell(source);
            const target = row.getCell(to);
            target.value = cell.value;
            target.style = { ...cell.style };
            if (cell.note !== undefined) target.note = cell.note;
          });
          const moving: { name: string; row: number }[] = [];
          names.forEach((name, cell) => {
            if (cell.sheetName === tab && cell.col === source) moving.push({ name, row: cell.row });
          });
          for (const { name, row } of moving) {
            names.removeEx({ sheetName: tab, address: `${sheet.getColumn(source).letter}${row}`, row, col: source }, name);
            names.addEx({ sheetName: tab, address: `${sheet.getColumn(to).letter}${row}`, row, col: to }, name);
          }
          // …and the emptied column closes.
          sheet.spliceColumns(source, 1);
        });
      },
      async deleteColumn(id, tab, column) {
        await edit(id, (workbook) => workbook.getWorksheet(tab)!.spliceColumns(column, 1));
      },
      async renameTab(id, from, to) {
        await edit(id, (workbook, names) => {
          const moving: { name: string; row: number; col: number }[] = [];
          names.forEach((name, cell) => {
            if (cell.sheetName === from) moving.push({ name, row: cell.row, col: cell.col });
          });
          const sheet = workbook.getWorksheet(from)!;
          for (const m of moving) names.removeEx({ sheetName: from, address: `${sheet.getColumn(m.col).letter}${m.row}`, row: m.row, col: m.col }, m.name);
          sheet.name = to;
          for (const m of moving) names.addEx({ sheetName: to, address: `${sheet.getColumn(m.col).letter}${m.row}`, row: m.row, col: m.col }, m.name);
        });
      },
    },
    async stored(id, tab, row, column) {
      const value = (await open(id)).getWorksheet(tab)!.findCell(row, column)?.value ?? null;
      if (value === null || value === '') return { kind: 'empty', value: null };
      if (typeof value === 'number') return { kind: 'number', value };
      if (typeof value === 'string') return { kind: 'text', value };
      return { kind: 'formula', value: JSON.stringify(value) };
    },
    async isProtected(id, tab, row, column) {
      const sheet = (await open(id)).getWorksheet(tab)!;
      const sheetProtected = (sheet as unknown as { sheetProtection?: { sheet?: boolean } | null }).sheetProtection?.sheet === true;
      const cell = sheet.findCell(row, column);
      const locked = cell !== undefined ? cell.protection?.locked !== false : sheet.getColumn(column).style?.protection?.locked !== false;
      return sheetProtected && locked;
    },
  };
}

/** The id a workbook file carries (for tests that open files). */
export async function workbookIdOf(path: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return readIdentity(workbook)!.workbookId;
}
