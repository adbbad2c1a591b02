import { loadavg } from 'node:os';
import { NIGHT_START, simulateNight, type NightSimOptions, type NightSimResult } from '../support/night-sim/simulate-night.js';
import { DEPLOYMENT } from '../support/night-sim/night-costs.js';
import type { BenchConfig } from './bench-config.js';
import type { Row } from './bench-report.js';

/**
 * The night-sim phase (`--only night-sim`): the night of 10,000 branches of 1,000 customers,
 * simulated (test/support/night-sim/simulate-night.ts): the deployed nightly steps, pacers, quota
 * budget and backoff on a virtual clock, against a model of Google's Sheets quotas, with Firestore
 * and the engine charged at their measured costs. Runs, each a whole night:
 * - one service account, and five in one Cloud project, at `--night-reads-per-customer` (2: an
 *   ordinary night resumed from the saved engine states);
 * - the same two at 25 reads a customer (the old full-history read), for comparison;
 * - five accounts with 40 branch instances instead of the deployed 8: not a deployment, a
 *   measure of how much of the five-account night is instances waiting on full windows.
 */

export interface NightSimRun {
  label: string;
  role: 'target' | 'comparison' | 'diagnostic';
  result: NightSimResult;
  /** real seconds the simulation took */
  seconds: number;
}

export interface NightSimBenchResult {
  runs: NightSimRun[];
  loadAverage: number[];
}

const ONE_ACCOUNT_BY = Date.UTC(2026, 10, 9, 23, 0); // 07:00 Asia/Shanghai
const FIVE_ACCOUNTS_WITHIN_MS = 40 * 60_000;
const DIAGNOSTIC_INSTANCES = 40;

export async function runNightSimBench(config: BenchConfig): Promise<NightSimBenchResult> {
  const loadAverage = loadavg();
  const base = { branches: config.nightBranches, customersPerBranch: config.nightCustomers, seed: config.seed };
  const n = config.nightReadsPerCustomer;
  const plan: { label: string; role: NightSimRun['role']; options: NightSimOptions }[] = [
    { label: `1 account, ${n} reads a customer`, role: 'target', options: { ...base, readsPerCustomer: n, accountsPerProject: [1] } },
    { label: `5 accounts in one project, ${n} reads a customer`, role: 'target', options: { ...base, readsPerCustomer: n, accountsPerProject: [5] } },
  ];
  if (n !== 25) {
    plan.push({ label: '1 account, 25 reads a customer (full history)', role: 'comparison', options: { ...base, readsPerCustomer: 25, accountsPerProject: [1] } });
    plan.push({ label: '5 accounts in one project, 25 reads a customer (full history)', role: 'comparison', options: { ...base, readsPerCustomer: 25, accountsPerProject: [5] } });
  }
  plan.push({ label: `5 accounts, ${n} reads, ${DIAGNOSTIC_INSTANCES} branch instances (diagnostic, not deployed)`, role: 'diagnostic', options: { ...base, readsPerCustomer: n, accountsPerProject: [5], branchInstances: DIAGNOSTIC_INSTANCES } });
  const runs: NightSimRun[] = [];
  for (const { label, role, options } of plan) {
    const started = process.hrtime.bigint();
    const result = await simulateNight(options);
    runs.push({ label, role, result, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
  }
  return { runs, loadAverage };
}

/** hh:mm:ss in Asia/Shanghai (UTC+8) */
function clockTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(11, 19);
}

function minutesAfterStart(ms: number): string {
  return `${((ms - NIGHT_START) / 60_000).toFixed(1)} min`;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

function functionSeconds(r: NightSimResult): number {
  return (r.functions.start.busyMs + r.functions.branch.busyMs + r.functions.consolidate.busyMs) / 1000;
}

export function nightSimRows(b: NightSimBenchResult): Row[] {
  const first = b.runs[0]?.result;
  const rows: Row[] = [
    `Night sim: ${count(first?.branches ?? 0)} branches × ${count(first?.customersPerBranch ?? 0)} customers, an ordinary night from 01:30 Asia/Shanghai, simulated on a virtual clock (the deployed steps, pacers and backoff; Google's Sheets quota modelled; Firestore and the engine at measured costs; nightlyBranchTask max-instances ${DEPLOYMENT.branchInstances} unless said)`,
  ];
  for (const { label, result: r, seconds } of b.runs) {
    const last = r.lastSheetCurrentAt;
    rows.push(`  ${label}`);
    rows.push(['last branch sheet current', last === null ? 'never' : `${clockTime(last)} (${minutesAfterStart(last)})`, r.accountsPerProject.reduce((a, c) => a + c, 0) === 1 ? 'by 07:00' : 'by 02:10']);
    rows.push(['head office consolidated', r.consolidatedAt === null ? 'never' : `${clockTime(r.consolidatedAt)} (${r.headOfficeRequests} requests)`, '']);
    rows.push(['most requests one user had in any minute (reads, writes)', `${r.mostPerUser.read}, ${r.mostPerUser.write}`, '≤ 60, ≤ 60']);
    rows.push(['most requests the project had in any minute (reads, writes)', `${r.mostPerProject.read}, ${r.mostPerProject.write}`, '≤ 300, ≤ 300']);
    rows.push(['requests answered 429', String(r.answered429), '0']);
    rows.push(['branches failed', String(r.failedBranches), '0']);
    rows.push(['Sheets requests (reads, writes); per branch, fewest–most', `${count(r.requests.reads)}, ${count(r.requests.writes)}; ${r.perBranch.reads.join('–')} read, ${r.perBranch.writes.join('–')} write`, '1 + 1']);
    rows.push(['Firestore reads, writes for the night', `${count(r.firestore.reads)}, ${count(r.firestore.writes)}`, '']);
    rows.push([
      'function-seconds (start, branches, consolidation)',
      `${count(functionSeconds(r))} (${count(r.functions.start.busyMs / 1000)}, ${count(r.functions.branch.busyMs / 1000)}, ${count(r.functions.consolidate.busyMs / 1000)}); longest branch ${(r.functions.branch.longestMs / 1000).toFixed(0)} s of ${DEPLOYMENT.timeoutMs / 1000}`,
      '',
    ]);
    rows.push(['branches per account (fewest–most); paced per account, per project', `${Math.min(...r.branchesPerAccount)}–${Math.max(...r.branchesPerAccount)}; ${r.pacedPerAccountPerMinute}, ${r.pacedPerProjectPerMinute} a minute of a kind`, '']);
    rows.push(['simulated in', `${seconds.toFixed(1)} s real`, '']);
  }
  rows.push(['load average at the start (1, 5, 15 min)', b.loadAverage.map((l) => l.toFixed(2)).join(', '), '']);
  return rows;
}

export function nightSimVerdicts(b: NightSimBenchResult): string[] {
  const verdicts: string[] = [];
  const diagnostic = b.runs.find((r) => r.role === 'diagnostic')?.result;
  for (const { label, role, result: r } of b.runs) {
    if (role === 'diagnostic') continue;
    const tag = role === 'comparison' ? ' (comparison)' : '';
    verdicts.push(`${r.failedBranches === 0 ? 'PASS' : 'MISS'}  night sim, ${label}${tag}: 0 branches failed — ${r.failedBranches}`);
    verdicts.push(`${r.answered429 === 0 ? 'PASS' : 'MISS'}  night sim, ${label}${tag}: 0 requests answered 429 — ${r.answered429}`);
    const accounts = r.accountsPerProject.reduce((a, c) => a + c, 0);
    const deadline = accounts === 1 ? ONE_ACCOUNT_BY : NIGHT_START + FIVE_ACCOUNTS_WITHIN_MS;
    const last = r.lastSheetCurrentAt ?? Number.POSITIVE_INFINITY;
    const target = accounts === 1 ? 'every sheet current by 07:00' : 'every sheet current within 40 minutes (by 02:10)';
    const when = Number.isFinite(last) ? `${clockTime(last)}, ${minutesAfterStart(last)} after 01:30` : 'never';
    verdicts.push(last <= deadline ? `PASS  night sim, ${label}${tag}: ${target} — ${when}` : `MISS  night sim, ${label}${tag}: ${target} — ${when}, ${((last - deadline) / 60_000).toFixed(1)} min late. ${whyLate(r, diagnostic)}`);
  }
  return verdicts;
}

/** Why a night ends when it does: the pacer's rate, the accounts' shares, and the instances' waits. */
function whyLate(r: NightSimResult, diagnostic: NightSimResult | undefined): string {
  const accounts = r.branchesPerAccount.length;
  const rate = r.pacedPerAccountPerMinute;
  const busiest = Math.max(...r.branchesPerAccount);
  const even = r.branches / (accounts * rate);
  const actual = ((r.lastSheetCurrentAt ?? NIGHT_START) - NIGHT_START) / 60_000;
  const parts = [
    `The pacer lets an account ${rate} requests of a kind a minute (4 slots in each 5 s window, ⌊56 / 14⌋; Google allows 60), and an ordinary night is 1 read and 1 write a branch: ${count(r.branches)} ÷ (${accounts} × ${rate}) = ${even.toFixed(1)} min even if every account carried the same share;`,
    `accounts are chosen by a hash of the spreadsheet id, and the busiest carries ${count(busiest)} branches: ${(busiest / rate).toFixed(1)} min at best;`,
  ];
  const rest = actual - busiest / rate;
  if (rest > 0.5) {
    const same = diagnostic !== undefined && diagnostic.lastSheetCurrentAt !== null && diagnostic.readsPerCustomer === r.readsPerCustomer && diagnostic.branchesPerAccount.length === accounts;
    const seen = same ? ` (with ${diagnostic.branchInstances} instances the same night ends ${minutesAfterStart(diagnostic.lastSheetCurrentAt!)} after 01:30)` : '';
    parts.push(`the other ${rest.toFixed(1)} min are the ${r.branchInstances} instances (nightlyBranchTask's max-instances): each holds its branch while it reads and evaluates it and while its account's window is full, so the other accounts' slots go unused${seen}.`);
  }
  return parts.join(' ');
}
