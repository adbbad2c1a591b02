import { readFile } from 'node:fs/promises';
import { readEditedRows } from '../../shared/sheets/customer-sheet-plan.js';
import { customerGridOf } from '../../shared/sheets/ledger-grid.js';
import { branchExists, previewAdoption, sendLedgerArchive, type AdoptDeps, type AdoptionOutcome, type AdoptOptions, type ArchiveReport } from './ledger-adoption.js';
import { registerWorkbook } from './workbook-registration.js';
import { emptySnapshot, hashOf, snapshotPath, writeSnapshot } from './workbook-snapshot.js';
import { replaceIfUnchanged } from './xlsx-sheets-gateway.js';
import { workbookSnapshot } from './xlsx-spreadsheet-snapshot.js';
import { applyStructure } from './xlsx-structure-changes.js';
import { ensureIdentity, readIdentity, WorkbookIdentityError, type WorkbookIdentity } from './xlsx-workbook-identity.js';
import { loadWorkbook } from './xlsx-workbook-file.js';

/**
 * Adopting a branch's own .xlsx ledger, whatever the file is called: the preview from the file as
 * it is, and, when asked, the binding recorded in it (the ledger tab and its bound columns tagged
 * as defined names, the binding and the workbook's identity in the very hidden `_ladder` tab —
 * nothing else of the file is changed), the file replaced in one atomic step (refused if it was
 * saved meanwhile), the workbook registered as the branch's, and the archive sent through the
 * sheet-edit path. The snapshot `ladder watch` keeps beside the workbook learns the ledger's
 * editable cells as they are, so the watcher does not send them again as edits.
 */

export interface WorkbookAdoption {
  outcome: AdoptionOutcome;
  applied: null | { identity: WorkbookIdentity; registration: string; structureChanges: number; archive: ArchiveReport };
}

export type WorkbookAdoptDeps = AdoptDeps;

export class AdoptionError extends Error {
  override readonly name = 'AdoptionError';
}

export async function adoptWorkbook(path: string, deps: WorkbookAdoptDeps, branchId: string, options: AdoptOptions & { dryRun: boolean; editor?: string }): Promise<WorkbookAdoption> {
  if (!(await branchExists(deps.db, branchId))) throw new AdoptionError(`branch ${branchId} is not in the branch register (branches/${branchId}); ingest branches.csv and staff.csv first`);
  const bytes = await readFile(path);
  const workbook = await loadWorkbook(bytes);
  const existing = readIdentity(workbook);
  if (existing !== null && existing.branchId !== branchId) throw new WorkbookIdentityError(`${path} is branch ${existing.branchId}'s workbook (its _ladder tab), not ${branchId}'s`);
  const snapshot = workbookSnapshot(workbook);
  const outcome = await previewAdoption(deps.db, snapshot, branchId, options);
  if (!outcome.ok || options.dryRun) return { outcome, applied: null };

  const { identity } = await ensureIdentity(workbook, branchId);
  await applyStructure(workbook, outcome.plan.structure);
  const out = Buffer.from(await workbook.xlsx.writeBuffer());
  if (!(await replaceIfUnchanged(path, hashOf(bytes), out))) throw new AdoptionError(`${path} was saved while it was being adopted; nothing was written, run the adoption again`);
  const registration = await registerWorkbook(deps.db, identity);
  const editor = options.editor ?? (workbook.lastModifiedBy?.trim() || `ladder adopt ${path}`);
  const archive = await sendLedgerArchive(deps, deps.engine, branchId, identity.workbookId, editor, outcome.plan);

  // What the watcher knows of the editable cells: the ledger's text as it was adopted.
  const tab = snapshot.tabs.find((t) => t.sheetId === outcome.proposal.sheetId);
  const known = emptySnapshot(identity);
  if (tab !== undefined) {
    const grid = customerGridOf({ values: tab.values, merges: tab.merges ?? [], columnTags: outcome.proposal.tags, binding: outcome.proposal.binding }).grid;
    for (const row of readEditedRows(grid)) {
      if (known.cells[row.customerId] !== undefined) continue;
      known.cells[row.customerId] = Object.fromEntries(Object.entries(row.fields).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;
    }
  }
  known.fileHash = hashOf(out);
  await writeSnapshot(snapshotPath(path), known);
  return { outcome, applied: { identity, registration: registration.state, structureChanges: outcome.plan.structure.length, archive } };
}
