import type { Firestore } from '@google-cloud/firestore';
import type { BranchSummary } from '../../shared/head-office/branch-summary.js';
import { COLLECTIONS } from './collections.js';

/**
 * Branch summaries in Firestore: one document per branch and month, overwritten by each
 * nightly run of that month, so it always holds the month's latest state (at month end, the
 * month's final figures). Head office reads a month's summaries (one per branch), never
 * customer documents.
 */

export function summaryDocId(branchId: string, month: string): string {
  return `${encodeURIComponent(branchId)}_${month}`;
}

export async function writeBranchSummary(db: Firestore, summary: BranchSummary): Promise<void> {
  const month = summary.businessDate.slice(0, 7);
  await db.collection(COLLECTIONS.branchSummaries).doc(summaryDocId(summary.branchId, month)).set({ ...summary, month });
}

/** Every branch's latest summary in a month (YYYY-MM), by branch id. */
export async function readMonthSummaries(db: Firestore, month: string): Promise<Map<string, BranchSummary>> {
  const snapshot = await db.collection(COLLECTIONS.branchSummaries).where('month', '==', month).get();
  const summaries = new Map<string, BranchSummary>();
  for (const doc of snapshot.docs) {
    const { month: _month, ...summary } = doc.data() as BranchSummary & { month: string };
    summaries.set(summary.branchId, summary);
  }
  return summaries;
}
