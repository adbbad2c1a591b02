import type { Firestore } from '@google-cloud/firestore';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Scheme } from '../../shared/scheme.schema.js';
import type { ServiceStandards } from '../../shared/service/standards.schema.js';
import type { BranchOutcome } from '../nightly/branch-pool.js';
import { nightlyRunId } from '../nightly/nightly-branch-function.js';
import type { HeadOfficeWriter } from '../nightly/nightly-steps.js';
import { runNightlyLocally, type LocalNightlyReport } from '../nightly/run-nightly-locally.js';
import { COLLECTIONS } from '../store/collections.js';
import { workbooksAt } from '../sheets/workbook-locator.js';
import { registerWorkbook } from '../sheets/workbook-registration.js';
import { prepareBranchWorkbook } from '../sheets/xlsx-branch-workbook.js';
import { xlsxSheetsGateway } from '../sheets/xlsx-sheets-gateway.js';
import { readIdentity } from '../sheets/xlsx-workbook-identity.js';
import { readWorkbook } from '../sheets/xlsx-workbook-file.js';

/**
 * The demo's branch workbooks come from the real nightly run, not from a writer of their own:
 * each branch gets its workbook `DIR/<branch>.xlsx` (made, or kept from an earlier run with
 * the manager's edits in it), registered as the branch's `workbookId`, and then the nightly
 * run of the date (the local bounded pool: every branch evaluated from Firestore, tier events
 * appended, the run recorded with its summary, head office consolidated) writes each one
 * through the local workbook gateway, exactly as it writes a Google Sheet.
 */

export interface DemoWorkbooks {
  dir: string;
  branches: { branchId: string; file: string; status: BranchOutcome['status']; tierEventsCreated: number; cellsWritten: number; error?: string }[];
  consolidation: LocalNightlyReport['consolidation'];
}

export interface DemoWorkbookDeps {
  db: Firestore;
  scheme: Scheme;
  standards: ServiceStandards;
  now: () => Date;
  /** where head office goes, if anywhere */
  headOffice?: HeadOfficeWriter | null;
}

/** `adopted`: branches that keep a ledger of their own, already adopted (branch → its file in DIR); the others get `DIR/<branch>.xlsx`. */
export async function nightlyIntoWorkbooks(deps: DemoWorkbookDeps, businessDate: string, branchIds: readonly string[], dir: string, adopted: ReadonlyMap<string, string> = new Map()): Promise<DemoWorkbooks> {
  await mkdir(dir, { recursive: true });
  const located: [string, string][] = [];
  const fileOf = new Map<string, string>();
  for (const branchId of branchIds) {
    const own = adopted.get(branchId);
    if (own !== undefined) {
      const identity = readIdentity(await readWorkbook(own));
      if (identity === null) throw new Error(`${own} was not adopted (it has no _ladder tab)`);
      located.push([identity.workbookId, own]);
      fileOf.set(branchId, basename(own));
      continue;
    }
    const path = join(dir, `${branchId}.xlsx`);
    const { workbookId } = await prepareBranchWorkbook(path, branchId);
    await registerWorkbook(deps.db, { workbookId, branchId });
    located.push([workbookId, path]);
  }
  const run = await runNightlyLocally(
    { db: deps.db, scheme: deps.scheme, standards: deps.standards, now: deps.now, sheets: xlsxSheetsGateway(workbooksAt(located)), sheetField: 'workbookId', headOffice: deps.headOffice ?? null },
    businessDate,
    { resume: false, concurrency: 4, clock: () => deps.now().getTime() },
  );
  const branches: DemoWorkbooks['branches'] = [];
  for (const outcome of run.outcomes) {
    const record = await deps.db.collection(COLLECTIONS.runs).doc(nightlyRunId(businessDate, outcome.branchId)).get();
    branches.push({
      branchId: outcome.branchId,
      file: fileOf.get(outcome.branchId) ?? `${outcome.branchId}.xlsx`,
      status: outcome.status,
      tierEventsCreated: (record.get('report.tierEventsCreated') as number | undefined) ?? 0,
      cellsWritten: (record.get('report.cellsWritten') as number | undefined) ?? 0,
      ...(outcome.status === 'failed' ? { error: outcome.error ?? (record.get('error') as string | undefined) ?? 'failed' } : {}),
    });
  }
  return { dir, branches: branches.sort((a, b) => (a.branchId < b.branchId ? -1 : 1)), consolidation: run.consolidation };
}
