import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { columnRole } from '../../shared/sheets/branch-layout.js';
import { cellAt, mapColumns } from '../../shared/sheets/column-map.js';
import type { CellWrite, SheetsGateway } from './google-sheets-gateway.js';
import type { WorkbookLocator } from './workbook-locator.js';
import { hashOf, readSnapshot, snapshotOf, snapshotPath, writeSnapshot, type WorkbookSnapshot } from './workbook-snapshot.js';
import { readGrid } from './xlsx-cells.js';
import { readTags } from './xlsx-defined-tags.js';
import { XLSX_COLUMNS, XLSX_ROWS } from './xlsx-conditional-rules.js';
import { customerSheetOf, mergesOf, workbookSnapshot } from './xlsx-spreadsheet-snapshot.js';
import { applyStructure } from './xlsx-structure-changes.js';
import { IDENTITY_TAB, readIdentity, type WorkbookIdentity } from './xlsx-workbook-identity.js';
import { loadWorkbook } from './xlsx-workbook-file.js';

/**
 * The SheetsGateway port over local .xlsx workbooks (the embedded default, which Excel, WPS and
 * LibreOffice open), so that the nightly run writes a local workbook exactly as it writes a
 * Google Sheet: the same read, the same planned structure, the same cell writes.
 *
 * - A spreadsheet id is a local workbook id (`xlsx:<uuid>`, its `_ladder` tab); `locate` says
 *   which file holds it, and every file opened must carry that id.
 * - `read` loads the workbook; `updateStructure` and `writeCells` each load it, apply, and
 *   replace the file in one atomic step (written beside it, then renamed), so a reader never
 *   sees half a workbook. If the file was saved by someone else while we worked on it, nothing
 *   is replaced and the call starts again from that save (a manager's save is never lost).
 * - A write naming its layout column (`header`) goes to the column that carries that tag in the
 *   file as loaded for the write, not to the column number planned from the read: a column
 *   inserted or moved by a save in between (the tag is a defined name, which moves with it)
 *   cannot put a value into the branch's own column; a tab renamed meanwhile is found by its id.
 * - Cells are written as given: a number stays a number, text stays text (a value starting
 *   with `=` is text, never a formula), '' empties the cell, no other cell is touched.
 * - The snapshot `ladder watch` keeps beside the workbook (workbook-snapshot.ts) learns what
 *   the system wrote into editable cells (a new row's archive), so it is never taken for a
 *   manager's edit; a customer whose computed cells are written drops the answers kept for the
 *   watcher (they are older now); and when the snapshot reflected the file before our write, it
 *   reflects it after (the watcher does not read our own write again).
 */

/** loads, applies and replaces at most this many times when the file keeps being saved meanwhile */
const ATTEMPTS = 3;

export class WorkbookChangedError extends Error {
  override readonly name = 'WorkbookChangedError';
}

interface Opened {
  path: string;
  hash: string;
  workbook: ExcelJS.Workbook;
  identity: WorkbookIdentity;
}

export interface XlsxGatewayOptions {
  /** called after a file is loaded for a change and before it is replaced (a test puts a manager's save there) */
  afterLoad?: (path: string, attempt: number) => Promise<void>;
}

export function xlsxSheetsGateway(locate: WorkbookLocator, options: XlsxGatewayOptions = {}): SheetsGateway {
  const open = async (spreadsheetId: string): Promise<Opened> => {
    try {
      return await openAt(await locate(spreadsheetId), spreadsheetId);
    } catch (error) {
      // renamed, moved or replaced since it was located: look again, once
      if (!(error instanceof WorkbookMovedError)) throw error;
      return openAt(await locate(spreadsheetId, true), spreadsheetId);
    }
  };

  /** one load → change → atomic replace, started again from a save that came in meanwhile */
  const change = async (spreadsheetId: string, apply: (workbook: ExcelJS.Workbook, known: WorkbookSnapshot) => Promise<void> | void): Promise<void> => {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const opened = await open(spreadsheetId);
      const sidecar = snapshotPath(opened.path);
      const stored = await readSnapshot(sidecar);
      const known = snapshotOf(stored, opened.identity);
      await apply(opened.workbook, known);
      await options.afterLoad?.(opened.path, attempt);
      const out = Buffer.from(await opened.workbook.xlsx.writeBuffer());
      if (!(await replaceIfUnchanged(opened.path, opened.hash, out))) continue;
      // What the snapshot fully reflected before our write, it reflects after it; an unsent edit keeps it unseen.
      known.fileHash = stored?.fileHash === opened.hash ? hashOf(out) : null;
      await writeSnapshot(sidecar, known);
      return;
    }
    throw new WorkbookChangedError(`the workbook ${spreadsheetId} was saved again ${ATTEMPTS} times while it was being written; nothing was written, try again`);
  };

  return {
    async read(spreadsheetId) {
      return workbookSnapshot((await open(spreadsheetId)).workbook);
    },
    async updateStructure(spreadsheetId, changes) {
      if (changes.length === 0) return 0;
      await change(spreadsheetId, (workbook) => applyStructure(workbook, changes));
      return changes.length;
    },
    async writeCells(spreadsheetId, writes) {
      if (writes.length === 0) return 0;
      await change(spreadsheetId, (workbook, known) => {
        const customerWrites = setCells(workbook, writes);
        learnOwnWrites(workbook, customerWrites, known);
      });
      return writes.length;
    },
  };
}

class WorkbookMovedError extends Error {
  override readonly name = 'WorkbookMovedError';
}

async function openAt(path: string, spreadsheetId: string): Promise<Opened> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new WorkbookMovedError(`${path} is gone`);
    throw error;
  }
  let workbook: ExcelJS.Workbook;
  try {
    workbook = await loadWorkbook(bytes);
  } catch (error) {
    throw new Error(`${path} is not a readable .xlsx workbook (still being saved, or damaged): ${(error as Error).message}`, { cause: error });
  }
  const identity = readIdentity(workbook);
  if (identity === null) throw new WorkbookMovedError(`${path} has no ${IDENTITY_TAB} tab, so it is not ${spreadsheetId}`);
  if (identity.workbookId !== spreadsheetId) throw new WorkbookMovedError(`${path} is the workbook ${identity.workbookId}, not ${spreadsheetId}`);
  return { path, hash: hashOf(bytes), workbook, identity };
}

/**
 * Writes `bytes` beside `path` and renames it into place, unless the file no longer has the
 * bytes it was loaded from (someone saved it meanwhile; `loadedHash` null: the file must still
 * not exist): then nothing is replaced.
 */
export async function replaceIfUnchanged(path: string, loadedHash: string | null, bytes: Uint8Array): Promise<boolean> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  const now = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if ((now === null ? null : hashOf(now)) !== loadedHash) {
    await rm(temporary, { force: true });
    return false;
  }
  await rename(temporary, path);
  return true;
}

/** Sets each cell; answers the writes that landed on 客户名单 (for the snapshot). */
function setCells(workbook: ExcelJS.Workbook, planned: readonly CellWrite[]): CellWrite[] {
  const sheets = workbook.worksheets.filter((s) => s.name !== IDENTITY_TAB);
  // the tab by title, else (renamed since the read) by its id; the column by its tag as the file has it now
  const byTitle = (title: string) => sheets.find((s) => s.name.toLocaleLowerCase() === title.toLocaleLowerCase());
  const tabOf = (w: CellWrite) => byTitle(w.tab) ?? (w.sheetId === undefined ? undefined : sheets.find((s) => s.id === w.sheetId));
  const tags = readTags(workbook).columns;
  const writes = planned.map((w) => {
    const sheet = tabOf(w);
    if (sheet === undefined) return w;
    const tagged = w.header === undefined ? undefined : [...(tags.get(sheet.name) ?? new Map<number, string>())].find(([, header]) => header === w.header)?.[0];
    return { ...w, tab: sheet.name, column: tagged ?? w.column };
  });
  // check everything before anything is set: a bad write fails the whole call, as the API's batch does
  for (const w of writes) {
    if (byTitle(w.tab) === undefined) throw new Error(`the workbook has no tab ${w.tab}`);
    if (!Number.isInteger(w.row) || w.row < 1 || w.row > XLSX_ROWS || !Number.isInteger(w.column) || w.column < 1 || w.column > XLSX_COLUMNS) throw new Error(`row ${w.row}, column ${w.column} of ${w.tab} is outside an .xlsx sheet`);
    if (typeof w.value === 'number' && !Number.isFinite(w.value)) throw new Error(`row ${w.row}, column ${w.column} of ${w.tab}: ${w.value} is not a number a cell can hold`);
  }
  const customer = customerSheetOf(workbook)?.sheet.name ?? null;
  const onCustomerTab: CellWrite[] = [];
  for (const w of writes) {
    const sheet = byTitle(w.tab) as ExcelJS.Worksheet;
    // a string is a string cell whatever it looks like: exceljs never reads a formula out of text
    sheet.getCell(w.row, w.column).value = w.value === '' ? null : w.value;
    if (sheet.name === customer) onCustomerTab.push(w);
  }
  return onCustomerTab;
}

/**
 * What the system wrote into 客户名单, into the snapshot: a 客户号 written starts that customer's
 * row afresh (a new row), an editable cell written is known (not an edit), and a computed cell
 * written makes the answers kept for that customer stale.
 */
function learnOwnWrites(workbook: ExcelJS.Workbook, writes: readonly CellWrite[], known: WorkbookSnapshot): void {
  if (writes.length === 0) return;
  const customer = customerSheetOf(workbook);
  if (customer === null) return;
  const grid = readGrid(customer.sheet, customer.tags, customer.binding, mergesOf(customer.sheet));
  const map = mapColumns(grid);
  if (map.key === null) return;
  const key = map.key;
  const headerAt = new Map([...map.columns].map(([header, column]) => [column, header]));
  const customerOn = new Map(grid.rows.map((r) => [r.row, cellAt(r, key).trim()]));
  const ordered = [...writes].sort((a, b) => Number(b.column === key) - Number(a.column === key));
  for (const w of ordered) {
    const customerId = customerOn.get(w.row) ?? '';
    const header = headerAt.get(w.column);
    if (customerId === '' || header === undefined) continue;
    const role = columnRole(header);
    if (role === 'key') {
      known.cells[customerId] = {};
      delete known.answered[customerId];
    } else if (role === 'computed') {
      delete known.answered[customerId];
    } else if (role === 'editable') {
      const cells = { ...known.cells[customerId] };
      const text = String(w.value).trim();
      if (text === '') delete cells[header];
      else cells[header] = text;
      known.cells[customerId] = cells;
    }
  }
}
