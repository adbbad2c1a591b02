import { loadavg } from 'node:os';
import { google } from 'googleapis';
import { parseSheetsQuotaConfig } from '../../functions/config.js';
import { runNightlyLocally } from '../../functions/nightly/run-nightly-locally.js';
import { DEFAULT_BACKOFF } from '../../functions/sheets/backoff.js';
import { pacedAccounts, shardedSheetsGateway } from '../../functions/sheets/sharded-sheets-gateway.js';
import { createAccountSheetsClient } from '../../functions/sheets/sheets-client.js';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseMonth } from '../../shared/month.js';
import { bundledStandards, DEFAULT_STANDARDS_ID } from '../../shared/service/bundled-standards.js';
import { compressedClock } from '../support/compressed-clock.js';
import { startSheetsApiServer } from '../support/sheets-api-server/index.js';
import { READ_OPERATIONS } from '../support/sheets-api-server/quota.js';
import type { BenchConfig } from './bench-config.js';
import { withBenchEmulator } from './bench-emulator.js';
import type { Row } from './bench-report.js';

/**
 * The quota phase: a night of N small branches (one customer each) through `ladder nightly`'s
 * wiring with the shipped defaults (one account, the Firestore-held budget, DEFAULT_BACKOFF)
 * against the Sheets API test server enforcing Google's quota (60 reads and 60 writes a minute
 * per user, 300 per project, any 60 s), on a clock `QUOTA_CLOCK_FACTOR` times faster than real
 * so a night of many quota minutes takes a few real minutes. Counted by the server: branches
 * failed, requests answered 429, the most requests one user had in any minute.
 */

export const QUOTA_CLOCK_FACTOR = 20;

export interface QuotaBenchResult {
  branches: number;
  failed: number;
  answered429: number;
  requests: { reads: number; writes: number };
  mostPerUser: { read: number; write: number };
  mostPerProject: { read: number; write: number };
  /** minutes on the compressed clock, and real seconds */
  quotaMinutes: number;
  seconds: number;
  waitedQuotaMinutes: number;
  loadAverage: number[];
}

export async function runQuotaBench(config: BenchConfig): Promise<QuotaBenchResult> {
  return withBenchEmulator(async ({ db }) => {
    const clock = compressedClock(QUOTA_CLOCK_FACTOR);
    const server = await startSheetsApiServer({ quota: { now: clock.now } });
    try {
      const n = config.quotaBranches;
      const month = parseMonth('2026-10')!;
      const rows = [];
      let batch = db.batch();
      for (let b = 1; b <= n; b++) {
        const branchId = `Q${String(b).padStart(5, '0')}`;
        // set-up goes as a user of its own per spreadsheet, and the night starts two quota minutes later
        const setup = google.sheets({ version: 'v4', auth: 'bench', rootUrl: server.url, headers: { Authorization: `Bearer setup-${b}` } });
        const spreadsheetId = (await setup.spreadsheets.create({ requestBody: { properties: { title: branchId } } })).data.spreadsheetId!;
        batch.set(db.collection('branches').doc(branchId), { branchId, name: `${branchId}支行`, spreadsheetId, managers: [] });
        const customerId = `${branchId}-C1`;
        batch.set(db.collection('customers').doc(customerId), { customerId, branchId });
        rows.push({ customerId, branchId, month, assetDaySum: 250_000 * 100 * 31, monthEndAssets: 250_000 * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] });
        if (b % 200 === 0) {
          await batch.commit();
          batch = db.batch();
        }
      }
      await batch.commit();
      await writeHistory(db, rows);
      clock.skip(120_000);
      server.requests.length = 0;
      server.quota!.resetReport();

      const env = { SHEETS_API_ROOT: server.url };
      const accounts = await pacedAccounts(db, parseSheetsQuotaConfig(env, () => ({})), (account) => createAccountSheetsClient(env, account), clock);
      const sheets = shardedSheetsGateway(accounts.shards, { ...DEFAULT_BACKOFF, now: clock.now, sleep: clock.sleep });
      const scheme = bundledScheme('boc')!;
      const standards = bundledStandards(DEFAULT_STANDARDS_ID)!;
      const startedAt = clock.now();
      const started = process.hrtime.bigint();
      const report = await runNightlyLocally({ db, scheme, standards, sheets, now: () => new Date(clock.now()), headOffice: async () => 'bench' }, '2026-11-10', { resume: true, concurrency: 16, clock: Date.now });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const quota = server.quota!.report();
      const reads = server.requests.filter((r) => READ_OPERATIONS.has(r.operation)).length;
      return {
        branches: n,
        failed: report.outcomes.filter((o) => o.status === 'failed').length,
        answered429: server.requests.filter((r) => r.status === 429).length,
        requests: { reads, writes: server.requests.length - reads },
        mostPerUser: quota.mostPerUser,
        mostPerProject: quota.mostPerProject,
        quotaMinutes: (clock.now() - startedAt) / 60_000,
        seconds,
        waitedQuotaMinutes: accounts.stats().waitedMs / 60_000,
        loadAverage: loadavg(),
      };
    } finally {
      await server.close();
    }
  });
}

export function quotaRows(r: QuotaBenchResult): Row[] {
  return [
    `Sheets quota: a night of ${r.branches} branches, shipped defaults (1 account, Firestore-held budget), against the test server enforcing 60 reads + 60 writes a minute per user (clock ×${QUOTA_CLOCK_FACTOR})`,
    ['branches failed', String(r.failed), '0'],
    ['requests answered 429', String(r.answered429), '0'],
    ['requests sent (reads, writes)', `${r.requests.reads}, ${r.requests.writes}`, ''],
    ['most one user sent in any minute (reads, writes; limit 60)', `${r.mostPerUser.read}, ${r.mostPerUser.write}`, '≤ 60, ≤ 60'],
    ['most the project had in any minute (reads, writes; limit 300)', `${r.mostPerProject.read}, ${r.mostPerProject.write}`, '≤ 300, ≤ 300'],
    ['night length on the quota clock', `${r.quotaMinutes.toFixed(1)} min (${r.seconds.toFixed(1)} s real); callers waited ${r.waitedQuotaMinutes.toFixed(1)} min in all`, ''],
    ['load average (1, 5, 15 min)', r.loadAverage.map((l) => l.toFixed(2)).join(', '), ''],
  ];
}

export function quotaVerdict(r: QuotaBenchResult): string {
  return `${r.failed === 0 && r.answered429 === 0 && r.mostPerUser.read <= 60 && r.mostPerUser.write <= 60 ? 'PASS' : 'MISS'}  Sheets quota: 0 branches failed, 0 requests answered 429, each user ≤ 60 reads and ≤ 60 writes in any minute`;
}
