import { access, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { CUSTOMER_TAB } from '../../shared/sheets/branch-layout.js';
import { readEditedRows } from '../../shared/sheets/customer-sheet-plan.js';
import { processSheetEdit, type EditPathDeps, type SheetEditRowAnswer } from '../http/sheet-edit-function.js';
import { diffEditedRows, type EditedCells } from './workbook-edit-diff.js';
import { hashOf, readSnapshot, snapshotOf, snapshotPath, snapshotUnderAnotherName, writeSnapshot, type WorkbookSnapshot } from './workbook-snapshot.js';
import { readGrid } from './xlsx-cells.js';
import { applyWriteBack, wroteAnything, type WriteBackCounts } from './xlsx-edit-writeback.js';
import { customerSheetOf, mergesOf } from './xlsx-spreadsheet-snapshot.js';
import { readIdentity, type WorkbookIdentity } from './xlsx-workbook-identity.js';
import { loadWorkbook } from './xlsx-workbook-file.js';

/**
 * One saved local workbook through the sheet-edit path (what `ladder watch` does per save):
 * the editable cells that differ from the snapshot are sent through `processSheetEdit` — the
 * same validation, Firestore transaction, edit log and re-evaluation as a Google Sheet's edits —
 * and the answers are written back: computed cells, a Chinese note on each refused cell, the
 * snapshot updated first so that an edit is sent once even if the write-back fails.
 */

export interface LocalEditDeps extends EditPathDeps {
  /** who edited, when the operator says; else the name the editor application saved in the file (lastModifiedBy) */
  editor?: string;
}

interface Sent {
  rowsSent: number;
  accepted: number;
  refused: number;
  recomputed: number;
}

export type WorkbookOutcome =
  /** the same bytes as last processed or written: nothing to do */
  | { file: string; kind: 'unchanged' }
  /** not processed; `retry` when waiting may help (a save still in progress, a locked file) */
  | { file: string; kind: 'failed'; reason: string; retry: boolean }
  | ({
      file: string;
      kind: 'processed';
      branchId: string;
      problems: string[];
      /** what happened to the answers in the file; `retry` when they could not be written yet */
      writeBack: 'written' | 'nothing to write' | 'saved again meanwhile' | { failed: string };
      retry: boolean;
    } & Sent &
      WriteBackCounts);

/** Rows per call of the edit path: one Firestore transaction each. */
const ROWS_PER_REQUEST = 200;

export async function processWorkbookEdits(path: string, deps: LocalEditDeps): Promise<WorkbookOutcome> {
  const file = basename(path);
  const failed = (reason: string, retry: boolean): WorkbookOutcome => ({ file, kind: 'failed', reason, retry });
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Gone between the notice and now (an editor saving by rename): its next name change is noticed again.
    if (code === 'ENOENT') return failed('the file is gone', false);
    return failed(`cannot be read (${code ?? (error as Error).message}); it may be locked by an editor`, true);
  }
  const hash = hashOf(bytes);
  const sidecar = snapshotPath(path);
  let stored: WorkbookSnapshot | null;
  try {
    stored = await readSnapshot(sidecar);
  } catch (error) {
    return failed((error as Error).message, false);
  }
  if (stored?.fileHash === hash) return { file, kind: 'unchanged' };

  let workbook: ExcelJS.Workbook;
  try {
    workbook = await loadWorkbook(bytes);
  } catch (error) {
    return failed(`is not a readable .xlsx workbook (still being saved, or damaged): ${(error as Error).message}`, true);
  }
  let identity: WorkbookIdentity | null;
  try {
    identity = readIdentity(workbook);
  } catch (error) {
    return failed((error as Error).message, false);
  }
  if (identity === null) return failed('is not a branch workbook written by ladder (it has no _ladder tab); write it with `ladder lists --workbooks DIR`', false);
  const customer = customerSheetOf(workbook);
  if (customer === null) return failed(`has no ${CUSTOMER_TAB} tab`, false);
  const { sheet, tags } = customer;

  const problems: string[] = [];
  let snapshot = snapshotOf(stored, identity);
  if (stored === null || stored.workbookId !== identity.workbookId) {
    const twin = await snapshotUnderAnotherName(path, identity.workbookId);
    if (twin !== null && (await exists(join(dirname(path), twin.file)))) {
      // Two files, one workbook: the copy's older cells must not overwrite what was sent from the original.
      return failed(`is a copy of ${twin.file} (the same workbook id ${identity.workbookId}): its edits are not sent; make them in ${twin.file}, or move this copy out of the folder`, false);
    }
    if (twin !== null) {
      problems.push(`renamed from ${twin.file}: its snapshot follows it`);
      snapshot = { ...twin.snapshot, fileHash: null };
      await rm(snapshotPath(join(dirname(path), twin.file)), { force: true });
    } else if (stored !== null) {
      problems.push(`the snapshot was of workbook ${stored.workbookId}, this is ${identity.workbookId}: every filled editable cell is sent`);
    }
  }
  const diff = diffEditedRows(readEditedRows(readGrid(sheet, tags, customer.binding, mergesOf(sheet))), snapshot.cells);
  for (const d of diff.duplicates) problems.push(`row ${d.row}: customer ${d.customerId} is also on row ${d.firstRow}; only that row is read, the edits on row ${d.row} were not sent`);

  const editor = deps.editor ?? (workbook.lastModifiedBy?.trim() || `unknown editor of ${file}`);
  const sent: Sent = { rowsSent: diff.rows.length, accepted: 0, refused: 0, recomputed: 0 };
  for (let i = 0; i < diff.rows.length; i += ROWS_PER_REQUEST) {
    const rows = diff.rows.slice(i, i + ROWS_PER_REQUEST);
    const answers = await processSheetEdit(deps, deps.engine, { branchId: identity.branchId, spreadsheetId: identity.workbookId, editor, rows });
    recordAnswers(snapshot, rows, answers, sent);
    // On record before anything else: if the write-back below fails, these edits are still not sent twice.
    snapshot.fileHash = null;
    await writeSnapshot(sidecar, snapshot);
  }

  const counts = applyWriteBack(sheet, snapshot, tags, customer.binding);
  const done = (writeBack: Extract<WorkbookOutcome, { kind: 'processed' }>['writeBack'], retry: boolean): WorkbookOutcome => ({ file, kind: 'processed', branchId: identity.branchId, problems, writeBack, retry, ...sent, ...counts });
  if (!wroteAnything(counts)) {
    snapshot.fileHash = hash;
    await writeSnapshot(sidecar, snapshot);
    return done('nothing to write', false);
  }
  const out = Buffer.from(await workbook.xlsx.writeBuffer());
  // A save that came in while this one was processed wins: it is processed next (its notice is
  // pending) and the answers, kept in the snapshot, are applied to it then.
  if (hashOf(await readFile(path).catch(() => Buffer.alloc(0))) !== hash) return done('saved again meanwhile', false);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, out);
    await rename(temporary, path);
  } catch (error) {
    return done({ failed: `${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; it may be open in an editor that locks it` }, true);
  }
  snapshot.fileHash = hashOf(out);
  await writeSnapshot(sidecar, snapshot);
  return done('written', false);
}

/** The answers into the snapshot: each sent cell's text is now known, refusals kept for the notes, computed cells for the write-back. */
function recordAnswers(snapshot: WorkbookSnapshot, rows: readonly EditedCells[], answers: readonly SheetEditRowAnswer[], sent: Sent): void {
  rows.forEach((row, i) => {
    const answer = answers[i];
    if (answer === undefined || answer.customerId !== row.customerId) throw new Error(`the edit path answered rows out of order at ${row.customerId}`);
    snapshot.cells[row.customerId] = { ...snapshot.cells[row.customerId], ...row.cells };
    const refused = { ...snapshot.refused[row.customerId] };
    for (const column of answer.accepted) delete refused[column];
    for (const r of answer.refused) refused[r.column] = { value: row.cells[r.column] ?? '', zh: r.zh };
    if (Object.keys(refused).length > 0) snapshot.refused[row.customerId] = refused;
    else delete snapshot.refused[row.customerId];
    if (answer.computed !== null) {
      snapshot.answered[row.customerId] = { ...answer.computed };
      sent.recomputed++;
    }
    sent.accepted += answer.accepted.length;
    sent.refused += answer.refused.length;
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
