import type { HeadOfficeContent } from '../../shared/head-office/consolidation.js';
import { runBranchPool, type BranchOutcome, type PoolProgress } from './branch-pool.js';
import { planNightlyDate, type NightlyPlan } from './nightly-date.js';
import { branchStep, consolidateStep, type NightlyStepDeps } from './nightly-steps.js';

/**
 * A business date's nightly run on one machine: the same three steps as behind Pub/Sub, with
 * the branches in a bounded pool instead of one function instance per message. Resuming (the
 * default) skips branches already done for the date, so a run killed halfway is finished by
 * running it again; the consolidation always runs last, from the stored summaries.
 */

export interface LocalNightlyReport {
  plan: NightlyPlan;
  outcomes: BranchOutcome[];
  consolidation: { content: HeadOfficeContent; location: string | null } | { error: string };
}

export async function runNightlyLocally(
  deps: Omit<NightlyStepDeps, 'publish'>,
  businessDate: string,
  options: { resume: boolean; concurrency: number; clock: () => number; onProgress?: (p: PoolProgress) => void },
): Promise<LocalNightlyReport> {
  const plan = await planNightlyDate(deps.db, businessDate, { resume: options.resume, now: deps.now });
  // Messages are not sent locally: the pool is the queue and the consolidation comes after it.
  const steps: NightlyStepDeps = { ...deps, publish: async () => {} };
  const outcomes = await runBranchPool(
    plan.toRun,
    async (branchId) => {
      const record = await branchStep(steps, { businessDate, branchId, attempt: plan.attempt }, { consolidateWhenLast: false });
      return record.status === 'done' ? { branchId, status: 'done', durationMs: record.durationMs } : { branchId, status: 'failed', durationMs: record.durationMs, error: record.error };
    },
    { concurrency: options.concurrency, now: options.clock, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
  );
  try {
    return { plan, outcomes, consolidation: await consolidateStep(steps, { businessDate }) };
  } catch (error) {
    return { plan, outcomes, consolidation: { error: (error as Error).message } };
  }
}
