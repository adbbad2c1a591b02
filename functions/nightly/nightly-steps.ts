import type { HeadOfficeContent } from '../../shared/head-office/consolidation.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { consolidateHeadOffice } from './consolidate.js';
import { runAndRecordNightlyBranch, type BranchRunner, type NightlyRunRecord } from './nightly-branch-function.js';
import { claimConsolidation, planNightlyDate, recordConsolidation, type NightlyPlan } from './nightly-date.js';
import type { NightlyBranchDeps } from './run-branch.js';

/**
 * The three steps of a nightly run, as plain functions of their dependencies, so the same
 * code runs behind Pub/Sub (one function per step, one message per branch) and in the local
 * bounded pool:
 * 1. start: plan the date, send one message per branch (on resume, only branches not done);
 * 2. branch: run and record one branch; the last branch to finish claims the consolidation;
 * 3. consolidate: head office from the branch summaries, written where the deployment says.
 */

export const NIGHTLY_TOPICS = { branch: 'nightly-branch', consolidate: 'nightly-consolidate' } as const;

export interface BranchMessage {
  businessDate: string;
  branchId: string;
  /** the run of the date that sent it (nightly-date.ts) */
  attempt: string;
}

export interface ConsolidateMessage {
  businessDate: string;
}

/** Writes the head-office workbook (Google or local); answers where it went. */
export type HeadOfficeWriter = (content: HeadOfficeContent) => Promise<string>;

export interface NightlyStepDeps extends NightlyBranchDeps {
  publish: (topic: string, message: BranchMessage | ConsolidateMessage) => Promise<void>;
  headOffice: HeadOfficeWriter | null;
  log?: (entry: { severity: 'INFO' | 'ERROR'; message: string; [field: string]: unknown }) => void;
  /** runNightlyBranch when absent (nightly-branch-function.ts, BranchRunner) */
  runBranch?: BranchRunner;
}

export async function startNightlyStep(deps: NightlyStepDeps, businessDate: string, options: { resume: boolean; onPlan?: (plan: NightlyPlan) => void }): Promise<NightlyPlan> {
  const plan = await planNightlyDate(deps.db, businessDate, { resume: options.resume, now: deps.now });
  options.onPlan?.(plan);
  for (const branchId of plan.toRun) await deps.publish(NIGHTLY_TOPICS.branch, { businessDate, branchId, attempt: plan.attempt });
  // Nothing left to run (all done before): consolidation is still due, e.g. after a crash in it.
  if (plan.toRun.length === 0 && (await claimConsolidation(deps.db, businessDate, deps.now))) await deps.publish(NIGHTLY_TOPICS.consolidate, { businessDate });
  deps.log?.({ severity: 'INFO', message: `nightly ${businessDate}: ${plan.toRun.length} branches sent, ${plan.alreadyDone.length} already done`, businessDate });
  return plan;
}

export async function branchStep(deps: NightlyStepDeps, message: BranchMessage, options: { consolidateWhenLast: boolean }): Promise<NightlyRunRecord> {
  const day = parseCivilDay(message.businessDate);
  if (day === null) throw new Error(`not a business date: ${message.businessDate}`);
  const record = await runAndRecordNightlyBranch(deps, message.branchId, day, message.attempt);
  if (options.consolidateWhenLast && (await claimConsolidation(deps.db, message.businessDate, deps.now))) {
    await deps.publish(NIGHTLY_TOPICS.consolidate, { businessDate: message.businessDate });
  }
  return record;
}

export async function consolidateStep(deps: NightlyStepDeps, message: ConsolidateMessage): Promise<{ content: HeadOfficeContent; location: string | null }> {
  try {
    const content = await consolidateHeadOffice(deps.db, deps.scheme, message.businessDate);
    const location = deps.headOffice ? await deps.headOffice(content) : null;
    await recordConsolidation(deps.db, message.businessDate, { status: 'done', ...(location ? { location } : {}) }, deps.now);
    deps.log?.({ severity: 'INFO', message: `nightly ${message.businessDate}: head office consolidated${location ? ` into ${location}` : ''}`, businessDate: message.businessDate });
    return { content, location };
  } catch (error) {
    await recordConsolidation(deps.db, message.businessDate, { status: 'failed', error: (error as Error).message }, deps.now);
    throw error;
  }
}
