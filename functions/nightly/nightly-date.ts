import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { randomUUID } from 'node:crypto';
import { COLLECTIONS } from '../store/collections.js';

/**
 * The bookkeeping of one business date's nightly run, keyed by the date so that running it
 * again, or resuming after a crash, lands on the same documents:
 * - nightlyDates/{date}: the branches planned, when, and the consolidation's state;
 * - runs/nightly_{date}_{branch}: each branch's outcome (written by runAndRecordNightlyBranch).
 * Whether every branch has finished is counted from the run records (an aggregation query),
 * so 10,000 branches finishing never contend on one document; only the last ones race to
 * claim the consolidation, in a transaction, and exactly one wins.
 */

export interface NightlyPlan {
  businessDate: string;
  /** this run of the date, so that records of an earlier run are not counted as finished in this one */
  attempt: string;
  /** every branch, sorted */
  all: string[];
  /** the branches this run will process (all, or on resume those not yet done) */
  toRun: string[];
  alreadyDone: string[];
}

export async function planNightlyDate(db: Firestore, businessDate: string, options: { resume: boolean; now: () => Date }): Promise<NightlyPlan> {
  const branches = await db.collection(COLLECTIONS.branches).select().get();
  const all = branches.docs.map((d) => d.id).sort();
  let alreadyDone: string[] = [];
  if (options.resume) {
    const done = await db.collection(COLLECTIONS.runs).where('businessDate', '==', businessDate).where('kind', '==', 'nightly').where('status', '==', 'done').select('branchId').get();
    const doneIds = new Set(done.docs.map((d) => d.get('branchId') as string));
    alreadyDone = all.filter((id) => doneIds.has(id));
  }
  const skip = new Set(alreadyDone);
  const toRun = all.filter((id) => !skip.has(id));
  const attempt = `${options.now().toISOString()}-${randomUUID().slice(0, 8)}`;
  await db
    .collection(COLLECTIONS.nightlyDates)
    .doc(businessDate)
    .set({ businessDate, branches: all.length, attempt, toRun: toRun.length, plannedAt: FieldValue.serverTimestamp(), consolidation: { status: 'pending' } }, { merge: true });
  return { businessDate, attempt, all, toRun, alreadyDone };
}

/** How many of the date's branches have finished (done or failed) in this attempt (or in any, without one), from their run records. */
export async function finishedBranches(db: Firestore, businessDate: string, attempt?: string): Promise<{ done: number; failed: number }> {
  let runs = db.collection(COLLECTIONS.runs).where('businessDate', '==', businessDate).where('kind', '==', 'nightly');
  if (attempt !== undefined) runs = runs.where('attempt', '==', attempt);
  const [done, failed] = await Promise.all([runs.where('status', '==', 'done').count().get(), runs.where('status', '==', 'failed').count().get()]);
  return { done: done.data().count, failed: failed.data().count };
}

/**
 * True for exactly one caller once every planned branch has finished: that caller starts the
 * consolidation. A consolidation claimed but never finished (the process died) can be claimed
 * again after `staleAfterMs`.
 */
export async function claimConsolidation(db: Firestore, businessDate: string, now: () => Date, staleAfterMs = 15 * 60_000): Promise<boolean> {
  const ref = db.collection(COLLECTIONS.nightlyDates).doc(businessDate);
  const attempt = (await ref.get()).get('attempt') as string | undefined;
  if (attempt === undefined) return false;
  const { done, failed } = await finishedBranches(db, businessDate, attempt);
  return db.runTransaction(async (tx) => {
    const plan = await tx.get(ref);
    // Every branch this attempt sent has finished (branches done before it were not sent).
    if (!plan.exists || plan.get('attempt') !== attempt || done + failed < (plan.get('toRun') as number)) return false;
    const status = plan.get('consolidation.status') as string | undefined;
    const claimedAt = plan.get('consolidation.claimedAt') as { toMillis(): number } | undefined;
    if (status === 'done') return false;
    if (status === 'claimed' && claimedAt && now().getTime() - claimedAt.toMillis() < staleAfterMs) return false;
    tx.update(ref, { 'consolidation.status': 'claimed', 'consolidation.claimedAt': now() });
    return true;
  });
}

export async function recordConsolidation(db: Firestore, businessDate: string, outcome: { status: 'done' | 'failed'; location?: string; error?: string }, now: () => Date): Promise<void> {
  await db
    .collection(COLLECTIONS.nightlyDates)
    .doc(businessDate)
    .set({ consolidation: { status: outcome.status, finishedAt: now(), location: outcome.location ?? null, error: outcome.error ?? null } }, { merge: true });
}

