import type { DocumentReference } from '@google-cloud/firestore';
import { z } from 'zod';
import { formatCivilDay, parseCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import { acceptAuthenticatedPost, replyWith, type JsonRequestLike, type JsonResponseLike } from '../http/authenticated-post.js';
import type { CallerAuth } from '../http/caller-auth.js';
import { COLLECTIONS } from '../store/collections.js';
import { writeBranchSummary } from '../store/firestore-branch-summaries.js';
import { runNightlyBranch, type NightlyBranchDeps, type NightlyBranchReport } from './run-branch.js';

/**
 * The `nightlyBranch` function: one branch's nightly run (functions/nightly/run-branch.ts) on
 * request, with its outcome recorded in `runs/nightly_<date>_<branch>` — status, counts,
 * duration, and the error when it failed — so the scheduler, a re-run and head office can see
 * what happened to each branch. Running the same branch and date again is safe: tier events
 * are created once and the sheet only receives what changed.
 */

export interface NightlyBranchFunctionDeps extends NightlyBranchDeps {
  auth: CallerAuth;
  /** the bank's business date (Asia/Shanghai), from the entry module's clock */
  today: () => CivilDay;
  log?: (entry: { severity: 'INFO' | 'ERROR'; message: string; [field: string]: unknown }) => void;
}

export type NightlyRequestLike = JsonRequestLike;

export type NightlyResponseLike = JsonResponseLike;

export type NightlyRunRecord =
  | { status: 'done'; report: NightlyBranchReport; durationMs: number }
  | { status: 'failed'; error: string; durationMs: number };

const bodySchema = z.strictObject({
  branchId: z.string().trim().min(1, { error: 'must name the branch' }).max(100).regex(/^[^/]+$/, { error: 'must not contain "/"' }),
  businessDate: z.string().optional(),
});

export function nightlyRunId(businessDate: string, branchId: string): string {
  return `nightly_${businessDate}_${encodeURIComponent(branchId)}`;
}

/**
 * What runs the branch itself: runNightlyBranch. A simulation of a whole night
 * (test/support/night-sim) puts a model of its Firestore and engine costs in its place, so that
 * everything around it — recording, summaries, the consolidation claim — runs as deployed.
 */
export type BranchRunner = (deps: NightlyBranchDeps, branchId: string, today: CivilDay) => Promise<NightlyBranchReport>;

/**
 * Runs one branch and records the outcome. A failure is recorded and answered, never thrown:
 * one branch failing must not stop the others. `attempt` names the run of the whole date this
 * branch belongs to (null for a branch run on its own).
 */
export async function runAndRecordNightlyBranch(
  deps: NightlyBranchDeps & Pick<NightlyBranchFunctionDeps, 'log'> & { runBranch?: BranchRunner },
  branchId: string,
  today: CivilDay,
  attempt: string | null = null,
): Promise<NightlyRunRecord> {
  const businessDate = formatCivilDay(today);
  const ref = deps.db.collection(COLLECTIONS.runs).doc(nightlyRunId(businessDate, branchId));
  const startedAt = deps.now();
  await ref.set({ kind: 'nightly', branchId, businessDate, attempt, status: 'running', startedAt }, { merge: true });
  try {
    const report = await (deps.runBranch ?? runNightlyBranch)(deps, branchId, today);
    // The summary first: a run recorded as done always has its summary for head office.
    await writeBranchSummary(deps.db, report.summary);
    const durationMs = deps.now().getTime() - startedAt.getTime();
    const { summary: _summary, ...recorded } = report;
    await ref.set({ status: 'done', finishedAt: deps.now(), durationMs, error: null, report: recorded }, { merge: true });
    deps.log?.({ severity: 'INFO', message: `nightly ${businessDate} ${branchId}: ${report.customers} customers, ${report.tierEventsCreated} tier events, ${report.cellsWritten} cells written`, branchId, businessDate });
    return { status: 'done', report, durationMs };
  } catch (error) {
    const message = (error as Error).message;
    const durationMs = deps.now().getTime() - startedAt.getTime();
    deps.log?.({ severity: 'ERROR', message: `nightly ${businessDate} ${branchId} failed: ${message}`, branchId, businessDate });
    await recordFailure(ref, message, deps.now(), durationMs, deps.log);
    return { status: 'failed', error: message, durationMs };
  }
}

async function recordFailure(ref: DocumentReference, error: string, finishedAt: Date, durationMs: number, log: NightlyBranchFunctionDeps['log']): Promise<void> {
  try {
    await ref.set({ status: 'failed', finishedAt, durationMs, error }, { merge: true });
  } catch (recordError) {
    // The store itself may be what failed; the log still has the run's outcome.
    log?.({ severity: 'ERROR', message: `could not record the failed run ${ref.id}: ${(recordError as Error).message}` });
  }
}

export function createNightlyBranchHandler(deps: NightlyBranchFunctionDeps): (req: NightlyRequestLike, res: NightlyResponseLike) => Promise<void> {
  return async (req, res) => {
    const reply = replyWith(res);
    const body = await acceptAuthenticatedPost(req, res, { auth: deps.auth, now: deps.now, schema: bodySchema, usage: 'POST {"branchId": "...", "businessDate"?: "YYYY-MM-DD"}', what: 'a nightly run request' });
    if (body === null) return;
    const today = deps.today();
    const day = body.businessDate === undefined ? today : parseCivilDay(body.businessDate);
    if (day === null) return reply(400, { code: 'INVALID_REQUEST', message: 'the body is not a nightly run request', errors: [{ path: 'businessDate', message: 'must be a date YYYY-MM-DD' }] });
    if (day > today) return reply(400, { code: 'INVALID_REQUEST', message: 'the body is not a nightly run request', errors: [{ path: 'businessDate', message: `must not be after today (${formatCivilDay(today)})` }] });
    const branch = await deps.db.collection(COLLECTIONS.branches).doc(body.branchId).get();
    if (!branch.exists) return reply(404, { code: 'NOT_FOUND', message: `there is no branch ${body.branchId}` });
    const record = await runAndRecordNightlyBranch(deps, body.branchId, day);
    if (record.status === 'failed') return reply(500, { code: 'RUN_FAILED', message: `the nightly run of ${body.branchId} failed: ${record.error}` });
    reply(200, record.report);
  };
}
