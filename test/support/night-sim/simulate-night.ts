import { parseSheetsQuotaConfig } from '../../../functions/config.js';
import { googleHeadOfficeWriter } from '../../../functions/head-office/google-head-office.js';
import { branchMessageSchema, consolidateMessageSchema, NIGHTLY_START_TOPIC, startMessageSchema } from '../../../functions/nightly/nightly-messages.js';
import { branchStep, consolidateStep, NIGHTLY_TOPICS, startNightlyStep, type NightlyStepDeps } from '../../../functions/nightly/nightly-steps.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../../functions/sheets/backoff.js';
import { DEFAULT_QUOTA, slotsPerWindow, type PacingClock } from '../../../functions/sheets/request-pacer.js';
import { accountIndexFor, pacedAccounts, shardedSheetsGateway, shardFor } from '../../../functions/sheets/sharded-sheets-gateway.js';
import { COLLECTIONS } from '../../../functions/store/collections.js';
import { firestoreQuotaBudget } from '../../../functions/store/firestore-sheets-quota.js';
import { createSeededRandom } from '../../../functions/demo/seeded-random.js';
import { bundledScheme } from '../../../shared/bundled-schemes.js';
import { bundledStandards, DEFAULT_STANDARDS_ID } from '../../../shared/service/bundled-standards.js';
import { virtualClock } from '../virtual-clock.js';
import { modelledBranchRunner } from './modelled-branch.js';
import { ModelledFirestore } from './modelled-firestore.js';
import { ModelledPubSub, type FunctionStats } from './modelled-pubsub.js';
import { ModelledSheetsApi } from './modelled-sheets.js';
import { DEPLOYMENT, MEASURED_COSTS, type NightCosts } from './night-costs.js';

/**
 * A whole nightly run simulated on a virtual clock: Cloud Scheduler's start message at 01:30
 * Asia/Shanghai, then the deployed code's own steps — startNightlyStep, branchStep (with
 * runAndRecordNightlyBranch, the run records, the summaries and the consolidation claim),
 * consolidateStep with the Google head-office writer — wired as functions/index.ts wires them:
 * parseSheetsQuotaConfig, pacedAccounts over the Firestore-held quota budget, the sharded gateway
 * with DEFAULT_BACKOFF. Around that real code, models: Firestore (modelled-firestore.ts), the
 * Sheets API with Google's quotas (modelled-sheets.ts), Pub/Sub and the function instances
 * (modelled-pubsub.ts), and the branch's own Firestore and engine work (modelled-branch.ts).
 * Every cost is in night-costs.ts. The randomness (the pacer's and backoff's jitter, the
 * spreadsheet ids) is seeded, so a night is the same every time.
 */

export interface NightSimOptions {
  branches: number;
  customersPerBranch: number;
  readsPerCustomer: number;
  /** service accounts in each Cloud project: [1] one account, [5] five in one project, [3, 2] two projects */
  accountsPerProject: readonly number[];
  managersPerBranch?: number;
  /** nightlyBranchTask's max instances (DEPLOYMENT.branchInstances, as deployed, by default) */
  branchInstances?: number;
  seed?: number;
  costs?: NightCosts;
}

export interface NightSimResult {
  branches: number;
  accountsPerProject: number[];
  branchInstances: number;
  readsPerCustomer: number;
  customersPerBranch: number;
  /** epoch ms on the virtual clock */
  startedAt: number;
  lastSheetCurrentAt: number | null;
  consolidatedAt: number | null;
  branchesDone: number;
  /** branches not recorded done (failed, or their message dropped), plus branch runs past the function's timeout */
  failedBranches: number;
  answered429: number;
  requests: { reads: number; writes: number };
  /** accepted requests per branch spreadsheet: the fewest and the most of each kind */
  perBranch: { reads: [number, number]; writes: [number, number] };
  headOfficeRequests: number;
  mostPerUser: { read: number; write: number };
  mostPerProject: { read: number; write: number };
  firestore: { reads: number; writes: number };
  functions: { start: FunctionStats; branch: FunctionStats; consolidate: FunctionStats };
  /** branches each account carries (accountIndexFor), and what the pacer lets one account and one project send of a kind a minute */
  branchesPerAccount: number[];
  pacedPerAccountPerMinute: number;
  pacedPerProjectPerMinute: number;
  pacerWaitedMs: number;
}

/** 2026-11-10 01:30 in Asia/Shanghai (UTC+8): the scheduler's "30 1 * * *" (README, "Going to production") */
export const NIGHT_START = Date.UTC(2026, 10, 9, 17, 30);
const HEAD_OFFICE_SPREADSHEET_ID = 'head-office-night-sim';

export async function simulateNight(options: NightSimOptions): Promise<NightSimResult> {
  const costs = options.costs ?? MEASURED_COSTS;
  const random = createSeededRandom(options.seed ?? 20261110);
  const clock = virtualClock(NIGHT_START);
  const fs = new ModelledFirestore(clock, costs.firestore);
  const db = fs.asFirestore();
  const spreadsheetIds: string[] = [];
  const managers = options.managersPerBranch ?? 10;
  const instances = options.branchInstances ?? DEPLOYMENT.branchInstances;
  for (let b = 1; b <= options.branches; b++) {
    const branchId = `B${String(b).padStart(5, '0')}`;
    const spreadsheetId = spreadsheetIdOf(random.next);
    spreadsheetIds.push(spreadsheetId);
    fs.seed(COLLECTIONS.branches, branchId, { branchId, name: `${branchId}支行`, spreadsheetId, managers: Array.from({ length: managers }, (_, m) => ({ managerId: `M${String(m + 1).padStart(2, '0')}`, name: `经理${m + 1}` })) });
  }

  const emails = options.accountsPerProject.flatMap((count, p) => Array.from({ length: count }, (_, a) => `night-sim-${a + 1}@ladder-sheets-${String.fromCharCode(97 + p)}.iam.gserviceaccount.com`));
  const config = parseSheetsQuotaConfig({ SHEETS_SERVICE_ACCOUNTS: emails.join(',') }, () => ({}));
  const api = new ModelledSheetsApi(clock, costs.sheets);
  const pacing: PacingClock = { now: clock.now, sleep: clock.sleep, random: random.next };
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, now: clock.now, sleep: clock.sleep, random: random.next, timers: clock };
  const pubsub = new ModelledPubSub(clock, costs.publishMs);
  let lastSheetCurrentAt: number | null = null;
  let consolidatedAt: number | null = null;

  return clock.run(async () => {
    const paced = await pacedAccounts(db, config, async (a) => api.clientFor(a.account, a.project), pacing, firestoreQuotaBudget(db, pacing));
    const headShard = shardFor(paced, HEAD_OFFICE_SPREADSHEET_ID);
    const steps: NightlyStepDeps = {
      db,
      scheme: bundledScheme('boc')!,
      standards: bundledStandards(DEFAULT_STANDARDS_ID)!,
      sheets: shardedSheetsGateway(paced.shards, policy),
      now: () => new Date(clock.now()),
      publish: (topic, message) => pubsub.publish(topic, message),
      headOffice: googleHeadOfficeWriter(headShard.sheets, { spreadsheetId: HEAD_OFFICE_SPREADSHEET_ID, pacer: headShard.pacer, backoff: policy }),
      runBranch: modelledBranchRunner(fs, costs, { customers: options.customersPerBranch, readsPerCustomer: options.readsPerCustomer, managers }, (_branch, at) => {
        lastSheetCurrentAt = Math.max(lastSheetCurrentAt ?? at, at);
      }),
    };
    // As functions/index.ts: each message validated, then its step; a step that throws is delivered again.
    const one = { maxInstances: 1, timeoutMs: DEPLOYMENT.timeoutMs };
    const start = pubsub.deploy(NIGHTLY_START_TOPIC, one, async (m) => {
      const message = startMessageSchema.parse(m);
      await startNightlyStep(steps, message.businessDate ?? shanghaiDate(clock.now()), { resume: message.resume ?? true });
    });
    const branch = pubsub.deploy(NIGHTLY_TOPICS.branch, { maxInstances: instances, timeoutMs: DEPLOYMENT.timeoutMs }, async (m) => {
      await branchStep(steps, branchMessageSchema.parse(m), { consolidateWhenLast: true });
    });
    const consolidate = pubsub.deploy(NIGHTLY_TOPICS.consolidate, one, async (m) => {
      await consolidateStep(steps, consolidateMessageSchema.parse(m));
      consolidatedAt = clock.now();
    });
    await pubsub.publish(NIGHTLY_START_TOPIC, {});
    await pubsub.idle();

    const runs = [...fs.docs(COLLECTIONS.runs).values()];
    const done = runs.filter((r) => r['status'] === 'done').length;
    const quota = api.report();
    const accepted = api.requests.filter((r) => r.status === 200);
    const perSheet = new Map<string, { reads: number; writes: number }>(spreadsheetIds.map((id) => [id, { reads: 0, writes: 0 }]));
    for (const r of accepted) {
      const counts = perSheet.get(r.spreadsheetId);
      if (counts !== undefined) counts[r.operation === 'spreadsheets.get' ? 'reads' : 'writes']++;
    }
    const range = (pick: (c: { reads: number; writes: number }) => number): [number, number] => {
      const values = [...perSheet.values()].map(pick);
      return [Math.min(...values), Math.max(...values)];
    };
    const branchesPerAccount = config.accounts.map(() => 0);
    for (const id of spreadsheetIds) branchesPerAccount[accountIndexFor(id, config.accounts.length)]!++;
    const perMinute = (limit: number) => slotsPerWindow(limit, DEFAULT_QUOTA.windowMs) * Math.round(60_000 / DEFAULT_QUOTA.windowMs);
    return {
      branches: options.branches,
      accountsPerProject: [...options.accountsPerProject],
      branchInstances: instances,
      readsPerCustomer: options.readsPerCustomer,
      customersPerBranch: options.customersPerBranch,
      startedAt: NIGHT_START,
      lastSheetCurrentAt,
      consolidatedAt,
      branchesDone: done,
      failedBranches: options.branches - done + branch.overTimeout,
      answered429: quota.refused,
      requests: { reads: api.requests.filter((r) => r.operation === 'spreadsheets.get').length, writes: api.requests.filter((r) => r.operation !== 'spreadsheets.get').length },
      perBranch: { reads: range((c) => c.reads), writes: range((c) => c.writes) },
      headOfficeRequests: accepted.filter((r) => r.spreadsheetId === HEAD_OFFICE_SPREADSHEET_ID).length,
      mostPerUser: quota.mostPerUser,
      mostPerProject: quota.mostPerProject,
      firestore: { reads: fs.reads, writes: fs.writes },
      functions: { start, branch, consolidate },
      branchesPerAccount,
      pacedPerAccountPerMinute: perMinute(config.perAccountPerMinute),
      pacedPerProjectPerMinute: perMinute(config.perProjectPerMinute),
      pacerWaitedMs: paced.stats().waitedMs,
    };
  });
}

/** A spreadsheet id as Google makes them: 44 characters of base64url. */
function spreadsheetIdOf(next: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from({ length: 44 }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

/** The business date at `ms`: today in Asia/Shanghai (UTC+8, no daylight saving). */
function shanghaiDate(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}
