import type { Firestore } from '@google-cloud/firestore';
import type { BranchRegister } from '../../shared/ingest/branch-register.js';
import { COLLECTIONS } from './collections.js';
import type { BranchRecord } from './firestore-service-log.js';

/**
 * The branch register from ingest into branches/{id}. Only the fields the extracts carry are
 * written (name and parent from branches.csv, managers from staff.csv), each with mergeFields:
 * what other flows keep on the document — the branch's spreadsheetId, its registered
 * workbookId — survives every re-ingest. A branch new to the store is written whole, in the
 * shape writeBranches gives (spreadsheetId null, managers empty until staff.csv names some).
 */

export interface RegisterWriteReport {
  /** branch documents written (created, or updated by branches.csv or staff.csv) */
  branchesWritten: number;
  /** of those, how many had their managers replaced by staff.csv */
  managersReplaced: number;
}

const BATCH_LIMIT = 500;

/** Which of `ids` name a branch document already stored (getAll, 500 at a time, no fields read). */
export async function storedBranchIds(db: Firestore, ids: readonly string[]): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let i = 0; i < ids.length; i += BATCH_LIMIT) {
    const refs = ids.slice(i, i + BATCH_LIMIT).map((id) => db.collection(COLLECTIONS.branches).doc(id));
    for (const doc of await db.getAll(...refs, { fieldMask: [] })) if (doc.exists) stored.add(doc.id);
  }
  return stored;
}

/** Writes the register; `stored` says which branches existed before (from storedBranchIds). */
export async function writeBranchRegister(db: Firestore, register: BranchRegister, stored: ReadonlySet<string>): Promise<RegisterWriteReport> {
  const writes: { id: string; data: Record<string, unknown>; fields: string[] }[] = [];
  let managersReplaced = 0;
  const inFile = new Set<string>();
  for (const b of register.branches) {
    inFile.add(b.branchId);
    const managers = register.managers?.get(b.branchId);
    if (managers !== undefined) managersReplaced++;
    if (!stored.has(b.branchId)) {
      // New: the whole document. Fields another flow might have set since we looked (a race
      // no ingest sequence has: registration needs the document to exist) would be null here.
      const record: BranchRecord = { branchId: b.branchId, name: b.name, parentId: b.parentId ?? null, spreadsheetId: null, managers: managers ?? [] };
      writes.push({ id: b.branchId, data: { ...record }, fields: Object.keys(record) });
      continue;
    }
    const data: Record<string, unknown> = { branchId: b.branchId, name: b.name };
    if (b.parentId !== undefined) data['parentId'] = b.parentId;
    if (managers !== undefined) data['managers'] = managers;
    writes.push({ id: b.branchId, data, fields: Object.keys(data) });
  }
  // Branches staff.csv names that branches.csv does not (they are stored): their managers only.
  for (const [branchId, managers] of register.managers ?? []) {
    if (inFile.has(branchId)) continue;
    managersReplaced++;
    writes.push({ id: branchId, data: { managers }, fields: ['managers'] });
  }
  for (let i = 0; i < writes.length; i += BATCH_LIMIT) {
    const batch = db.batch();
    for (const w of writes.slice(i, i + BATCH_LIMIT)) batch.set(db.collection(COLLECTIONS.branches).doc(w.id), w.data, { mergeFields: w.fields });
    await batch.commit();
  }
  return { branchesWritten: writes.length, managersReplaced };
}
