import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { CUSTOMER_TAB, type ListTabName } from '../../shared/sheets/branch-layout.js';
import { planBranchSheet } from '../../shared/sheets/branch-sheet-sync.js';
import { readEditedRows, type CustomerSheetInput, type EditedRow, type SheetProblem } from '../../shared/sheets/customer-sheet-plan.js';
import { workbooksAt } from './workbook-locator.js';
import { emptySnapshot, hashOf, readSnapshot, snapshotOf, snapshotPath, writeSnapshot } from './workbook-snapshot.js';
import { readGrid } from './xlsx-cells.js';
import { replaceIfUnchanged, WorkbookChangedError, xlsxSheetsGateway } from './xlsx-sheets-gateway.js';
import { customerSheetOf, mergesOf } from './xlsx-spreadsheet-snapshot.js';
import { ensureIdentity } from './xlsx-workbook-identity.js';
import { loadWorkbook, readWorkbook } from './xlsx-workbook-file.js';

/**
 * A branch's local workbook file: made (or given its identity) here, then written like any
 * branch sheet, through the SheetsGateway port (xlsx-sheets-gateway.ts) and the shared plan
 * (shared/sheets/branch-sheet-sync.ts) — the one writer of the layout, whether the nightly run
 * writes it or `ladder lists --workbooks` does.
 */

export interface PreparedWorkbook {
  /** `xlsx:<uuid>`: what the branch document's `workbookId` must be for its edits to be accepted, and what the gateway is given */
  workbookId: string;
  branchId: string;
  created: boolean;
  /** rows of a workbook made before workbooks carried an identity, whose editable cells became the snapshot as they were */
  adoptedRows: number;
}

/**
 * The workbook at `path` for a branch, ready for the gateway: made when missing (a blank 客户名单
 * and the identity tab, `_ladder`); given an identity when it has none (a workbook from before
 * identities: its editable cells are taken as they are, so they are not sent as edits). A
 * workbook marked for another branch is refused (WorkbookIdentityError): writing branch A's
 * customers into branch B's file would mix them.
 */
export async function prepareBranchWorkbook(path: string, branchId: string): Promise<PreparedWorkbook> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  const workbook = bytes !== null ? await loadWorkbook(bytes) : new ExcelJS.Workbook();
  if (bytes === null) workbook.addWorksheet(CUSTOMER_TAB, { views: [{ state: 'frozen', ySplit: 1 }] });
  const { identity, created: newIdentity } = await ensureIdentity(workbook, branchId);
  const prepared = { workbookId: identity.workbookId, branchId: identity.branchId, created: bytes === null, adoptedRows: 0 };
  if (!newIdentity) return prepared;

  const sidecar = snapshotPath(path);
  const snapshot = bytes === null ? emptySnapshot(identity) : snapshotOf(await readSnapshot(sidecar), identity);
  const customers = customerSheetOf(workbook);
  const adopted = bytes !== null && customers !== null ? readEditedRows(readGrid(customers.sheet, customers.tags, customers.binding, mergesOf(customers.sheet))) : [];
  for (const row of adopted) snapshot.cells[row.customerId] ??= knownTexts(row.fields);
  const out = Buffer.from(await workbook.xlsx.writeBuffer());
  if (!(await replaceIfUnchanged(path, bytes === null ? null : hashOf(bytes), out))) {
    throw new WorkbookChangedError(`${path} was saved by someone else while it was being ${bytes === null ? 'made' : 'given its identity'}; nothing was written, run again`);
  }
  snapshot.fileHash = null;
  await writeSnapshot(sidecar, snapshot);
  return { ...prepared, adoptedRows: adopted.length };
}

function knownTexts(fields: EditedRow['fields']): Record<string, string> {
  const known: Record<string, string> = {};
  for (const [header, text] of Object.entries(fields)) if (text !== undefined && text !== '') known[header] = text;
  return known;
}

export interface BranchWorkbookContent {
  /** the branch the workbook is for; a workbook already marked for another branch is refused */
  branchId: string;
  customers: CustomerSheetInput;
  /** rows of each list tab, in the tab's header order (shared/sheets/list-rows.ts) */
  lists: Readonly<Record<ListTabName, readonly (readonly string[])[]>>;
}

export interface BranchWorkbookReport extends PreparedWorkbook {
  appendedColumns: string[];
  /** cells written in 客户名单 */
  cellsWritten: number;
  /** cells written in the list tabs (only those whose text changed) */
  listCellsWritten: number;
  rowsAdded: number;
  tabsAdded: string[];
  structureChanges: number;
  unknownCustomers: string[];
  problems: SheetProblem[];
}

/**
 * Creates or updates the branch workbook at `path` as one nightly sheet write does: one read,
 * the missing structure, the changed cells (each an atomic replace of the file).
 */
export async function writeBranchWorkbook(path: string, content: BranchWorkbookContent): Promise<BranchWorkbookReport> {
  const prepared = await prepareBranchWorkbook(path, content.branchId);
  const gateway = xlsxSheetsGateway(workbooksAt([[prepared.workbookId, path]]));
  const plan = planBranchSheet(await gateway.read(prepared.workbookId), {
    computed: new Map(content.customers.computed),
    initial: new Map(content.customers.initial ?? []),
    lists: content.lists as Record<ListTabName, string[][]>,
  });
  const structureChanges = await gateway.updateStructure(prepared.workbookId, plan.structure);
  await gateway.writeCells(prepared.workbookId, plan.writes);
  const customerCells = plan.writes.filter((w) => w.tab === plan.customerTab).length;
  return {
    ...prepared,
    appendedColumns: plan.customers.appendColumns.map((w) => w.value),
    cellsWritten: customerCells,
    listCellsWritten: plan.writes.length - customerCells,
    rowsAdded: plan.customers.newRows.length,
    tabsAdded: plan.tabsAdded,
    structureChanges,
    unknownCustomers: plan.customers.unknownCustomers,
    problems: plan.problems,
  };
}

/** The editable columns of 客户名单 as the branch left them, row by row (rows without a 客户号 are skipped). */
export async function readBranchEdits(path: string): Promise<EditedRow[]> {
  const customers = customerSheetOf(await readWorkbook(path));
  return customers === null ? [] : readEditedRows(readGrid(customers.sheet, customers.tags, customers.binding, mergesOf(customers.sheet)));
}
