import type { DocumentReference, Firestore } from '@google-cloud/firestore';
import { ARCHIVE_FIELDS, ARCHIVE_FIELD_ZH } from '../../shared/customer-profile.js';
import { customerIdProblem } from '../../shared/customer-id.js';
import { COLLECTIONS } from './collections.js';

/**
 * What adopting a branch's ledger needs to know from the store, read in bulk: the branch's
 * customers with their archive (one query, a field mask), and who owns each other number in the
 * ledger (one getAll per 300 numbers, a field mask) — never one read per row.
 */

const GET_ALL_BATCH = 300;

export interface BranchArchive {
  /** customer number → layout header (家庭住址, 手机号码, …) → stored text */
  archives: Map<string, Record<string, string>>;
}

export async function branchArchives(db: Firestore, branchId: string): Promise<BranchArchive> {
  const snapshot = await db.collection(COLLECTIONS.customers).where('branchId', '==', branchId).select('profile.archive').get();
  const archives = new Map<string, Record<string, string>>();
  for (const doc of snapshot.docs) {
    const archive = (doc.get('profile.archive') as Record<string, unknown> | undefined) ?? {};
    const byHeader: Record<string, string> = {};
    for (const field of ARCHIVE_FIELDS) if (typeof archive[field] === 'string' && archive[field] !== '') byHeader[ARCHIVE_FIELD_ZH[field]] = archive[field];
    archives.set(doc.id, byHeader);
  }
  return { archives };
}

/** Each number → the branch that owns it, or null when the bank has no such customer (numbers that cannot name a document are null too). */
export async function ownersOf(db: Firestore, customerIds: Iterable<string>): Promise<Map<string, string | null>> {
  const owners = new Map<string, string | null>();
  const ids = [...new Set(customerIds)].filter((id) => {
    if (customerIdProblem(id) === null) return true;
    owners.set(id, null);
    return false;
  });
  for (let i = 0; i < ids.length; i += GET_ALL_BATCH) {
    const refs: DocumentReference[] = ids.slice(i, i + GET_ALL_BATCH).map((id) => db.collection(COLLECTIONS.customers).doc(id));
    const docs = await db.getAll(...refs, { fieldMask: ['branchId'] });
    for (const doc of docs) owners.set(doc.id, doc.exists ? ((doc.get('branchId') as string | undefined) ?? null) : null);
  }
  return owners;
}
