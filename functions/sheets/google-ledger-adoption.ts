import type { SpreadsheetSnapshot } from '../../shared/sheets/sheet-snapshot.js';
import { branchesWithSpreadsheet, registerSpreadsheet } from '../store/firestore-spreadsheet-registration.js';
import { statusOf } from './backoff.js';
import type { SheetsGateway } from './google-sheets-gateway.js';
import { branchExists, previewAdoption, sendLedgerArchive, type AdoptDeps, type AdoptionOutcome, type AdoptionProblem, type AdoptOptions, type ArchiveReport } from './ledger-adoption.js';

/**
 * Adopting a branch's own ledger kept in a Google spreadsheet, through the Sheets gateway:
 * checks first (the branch is in the register; the spreadsheet is unregistered or the branch's
 * own, never another branch's), then one read (spreadsheets.get), the preview, and — unless it is
 * a dry run, which sends nothing else — one spreadsheets.batchUpdate recording the binding (the
 * tab's and the bound columns' developer metadata, the binding itself), the spreadsheet
 * registered as `branches/{id}.spreadsheetId`, and the archive sent through the sheet-edit path
 * as the editor's edits of that spreadsheet. No cell of the spreadsheet is written: the computed
 * columns come with the first nightly run.
 *
 * A refusal is a value (`outcome.ok === false` with problems in the manager's words), so the CLI
 * and the adoptSheet function answer it the same way.
 */

export interface SpreadsheetAdoptDeps extends AdoptDeps {
  sheets: SheetsGateway;
}

export type AppliedSpreadsheetAdoption = {
  spreadsheetId: string;
  registration: 'registered' | 'registered now';
  /** the spreadsheet the branch had registered before, now replaced by this one */
  replaced: string | null;
  /** requests sent in the one structure batch */
  structureChanges: number;
  archive: ArchiveReport;
};

export interface SpreadsheetAdoption {
  outcome: AdoptionOutcome;
  applied: null | AppliedSpreadsheetAdoption;
}

export async function adoptSpreadsheet(
  deps: SpreadsheetAdoptDeps,
  spreadsheetId: string,
  branchId: string,
  options: AdoptOptions & { dryRun: boolean; editor: string },
): Promise<SpreadsheetAdoption> {
  const refused = (problem: AdoptionProblem): SpreadsheetAdoption => ({ outcome: { ok: false, problems: [problem] }, applied: null });
  if (!(await branchExists(deps.db, branchId))) return refused(branchNotRegistered(branchId));
  // Before the spreadsheet is read: nobody learns what another branch's spreadsheet holds.
  if ((await branchesWithSpreadsheet(deps.db, spreadsheetId)).some((id) => id !== branchId)) return refused(anotherBranchs(spreadsheetId, branchId));

  let snapshot: SpreadsheetSnapshot;
  try {
    snapshot = await deps.sheets.read(spreadsheetId);
  } catch (error) {
    const status = statusOf(error);
    // 403: not shared with the functions' service account; 404: no such spreadsheet (or not visible to it)
    if (status === 403 || status === 404) return refused(notReadable(spreadsheetId, status));
    throw error;
  }
  const outcome = await previewAdoption(deps.db, snapshot, branchId, options);
  if (!outcome.ok || options.dryRun) return { outcome, applied: null };

  const structureChanges = await deps.sheets.updateStructure(spreadsheetId, outcome.plan.structure);
  const registration = await registerSpreadsheet(deps.db, branchId, spreadsheetId);
  if (registration.state === 'no such branch') return refused(branchNotRegistered(branchId));
  // Registered to another branch between the check above and now: the binding is on the sheet, but
  // no run writes a spreadsheet its branch has not registered, and the edit path refuses its edits.
  if (registration.state === 'taken') return refused(anotherBranchs(spreadsheetId, branchId));
  const archive = await sendLedgerArchive(deps, deps.engine, branchId, spreadsheetId, options.editor, outcome.plan);
  return {
    outcome,
    applied: { spreadsheetId, registration: registration.state, replaced: registration.state === 'registered now' ? registration.replaced : null, structureChanges, archive },
  };
}

function branchNotRegistered(branchId: string): AdoptionProblem {
  return {
    code: 'BRANCH_NOT_REGISTERED',
    zh: `支行 ${branchId} 不在支行名册中；请先导入支行名册（branches.csv、staff.csv）`,
    en: `branch ${branchId} is not in the branch register (branches/${branchId}); ingest branches.csv and staff.csv first`,
  };
}

function anotherBranchs(spreadsheetId: string, branchId: string): AdoptionProblem {
  return {
    code: 'SPREADSHEET_OF_ANOTHER_BRANCH',
    zh: `此表格已登记为其他支行的表格，不能作为支行 ${branchId} 的台账连接`,
    en: `spreadsheet ${spreadsheetId} is registered to another branch; it cannot be adopted as branch ${branchId}'s`,
  };
}

function notReadable(spreadsheetId: string, status: number): AdoptionProblem {
  return {
    code: 'SPREADSHEET_NOT_READABLE',
    zh: '系统打不开此表格：请先把表格共享给系统的服务账号（可编辑），再连接',
    en: `the system cannot open spreadsheet ${spreadsheetId} (HTTP ${status}): share it with the functions' service account as an editor, then adopt it`,
  };
}
