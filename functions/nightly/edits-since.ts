import type { Firestore, QueryDocumentSnapshot } from '@google-cloud/firestore';
import { COLLECTIONS } from '../store/collections.js';

/**
 * A manager's edits stored in the edit log (functions/store/firestore-sheet-edits.ts) since a
 * moment: edit-log entry id → customer, accepted edits only (a refused edit changed nothing).
 * One query on (branchId ==, at >=), which needs the composite index editLog(branchId, at).
 */
export async function acceptedEditsSince(db: Firestore, branchId: string, since: Date): Promise<Map<string, string>> {
  const edits = new Map<string, string>();
  const query = db.collection(COLLECTIONS.editLog).where('branchId', '==', branchId).where('at', '>=', since).select('customerId', 'accepted');
  for await (const doc of query.stream() as AsyncIterable<QueryDocumentSnapshot>) {
    if (doc.get('accepted') === true) edits.set(doc.id, String(doc.get('customerId')));
  }
  return edits;
}
