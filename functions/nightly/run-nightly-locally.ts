import type { HeadOfficeContent } from '../../shared/head-office/consolidation.js';
import { runBranchPool, type BranchOutcome, type PoolProgress } from './branch-pool.js';
import { planNightlyDate, type NightlyPlan } from './nightly-date.js';
import { branchStep, consolidateStep, type NightlyStepDeps } from './nightly-steps.js';
import { COLLECTIONS } from '../store/collections.js';
import { DEFAULT_STORE_WATCH, watchStore, type StoreWatchOptions } from './store-watch.js';

/**
 * A business date's nightly run on one machine: the same three steps as behind Pub/Sub, with
 * the branches in a bounded pool instead of one function instance per message. Resuming (the
 * default) skips branches already done for the date, so a run killed halfway is finished by
 * running it again; the consolidation always runs last, from the stored summaries.
 *
 * While it runs, the store is watched (store-watch.ts): when it stops answering, no further
 * branch is started, the branches in flight are reported failed without waiting for the
 * client's own retries (up to 10 minutes a call), and the consolidation is not attempted; the
 * report says why, so the run ends within about a minute of the outage instead of hours later.
 * Running the date again once the store is back resumes it.
 */

export interface LocalNightlyReport {
  plan: NightlyPlan;
  outcomes: BranchOutcome[];
  consolidation: { content: HeadOfficeContent; location: string | null } | { error: string };
  /** why the run stopped early: the store stopped answering (null or absent when it answered throughout) */
  storeUnavailable?: string | null;
}

export async function runNightlyLocally(
  deps: Omit<NightlyStepDeps, 'publish'>,
  businessDate: string,
  options: { resume: boolean; concurrency: number; clock: () => number; onProgress?: (p: PoolProgress) => void; storeWatch?: StoreWatchOptions },
): Promise<LocalNightlyReport> {
  const plan = await planNightlyDate(deps.db, businessDate, { resume: options.resume, now: deps.now });
  // Messages are not sent locally: the pool is the queue and the consolidation comes after it.
  const steps: NightlyStepDeps = { ...deps, publish: async () => {} };
  const watch = watchStore(() => deps.db.collection(COLLECTIONS.nightlyDates).doc(businessDate).get(), options.storeWatch ?? DEFAULT_STORE_WATCH);
  try {
    const outcomes = await runBranchPool(
      plan.toRun,
      async (branchId): Promise<BranchOutcome> => {
        const started = options.clock();
        const unavailable = watch.isDown();
        if (unavailable !== null) return { branchId, status: 'failed', durationMs: 0, error: `not run: ${unavailable}` };
        const run = branchStep(steps, { businessDate, branchId, attempt: plan.attempt }, { consolidateWhenLast: false }).then(
          (record): BranchOutcome => (record.status === 'done' ? { branchId, status: 'done', durationMs: record.durationMs } : { branchId, status: 'failed', durationMs: record.durationMs, error: record.error }),
        );
        // A branch waiting on a store that is gone is given up (its calls go on in the background until the client's deadline).
        const abandoned = watch.down.then((why): BranchOutcome => ({ branchId, status: 'failed', durationMs: options.clock() - started, error: `abandoned: ${why}` }));
        return Promise.race([run, abandoned]);
      },
      { concurrency: options.concurrency, now: options.clock, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
    const unavailable = watch.isDown();
    if (unavailable !== null) return { plan, outcomes, consolidation: { error: `not attempted: ${unavailable}` }, storeUnavailable: unavailable };
    try {
      const consolidation = await Promise.race([consolidateStep(steps, { businessDate }), watch.down.then((why) => Promise.reject(new Error(`abandoned: ${why}`)))]);
      return { plan, outcomes, consolidation, storeUnavailable: null };
    } catch (error) {
      return { plan, outcomes, consolidation: { error: (error as Error).message }, storeUnavailable: watch.isDown() };
    }
  } finally {
    watch.stop();
  }
}
