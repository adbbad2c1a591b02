import { google, type sheets_v4 } from 'googleapis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSheetsQuotaConfig } from '../../functions/config.js';
import { runNightlyLocally } from '../../functions/nightly/run-nightly-locally.js';
import { DEFAULT_BACKOFF } from '../../functions/sheets/backoff.js';
import { googleSheetsGateway, type SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { createQuotaPacer, createRequestPacer, DEFAULT_QUOTA } from '../../functions/sheets/request-pacer.js';
import { pacedAccounts, shardedSheetsGateway } from '../../functions/sheets/sharded-sheets-gateway.js';
import { createAccountSheetsClient } from '../../functions/sheets/sheets-client.js';
import { firestoreQuotaBudget } from '../../functions/store/firestore-sheets-quota.js';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseMonth } from '../../shared/month.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { compressedClock } from '../support/compressed-clock.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * Google's per-user Sheets quota (60 reads and 60 writes a minute per account): the budget in the
 * Firestore emulator shared by two "instances", and a night of 80 branches against the Sheets
 * API test server enforcing the quota, through googleapis, on a clock 20 times faster than real.
 */

const { db, clear } = testFirestore('sheets-quota-test');
const FACTOR = 20;
let server: SheetsApiServer;

beforeEach(async () => {
  await clear();
});
afterEach(async () => {
  await server?.close();
});
afterAll(async () => {
  await db.terminate();
});

describe('the Firestore quota budget', () => {
  it('lets two pacers (two instances) of one account take no more than 4 reads and 4 writes per window together, every slot counted', async () => {
    const clock = compressedClock(FACTOR);
    const budget = firestoreQuotaBudget(db);
    const instances = [0, 1].map(() => createQuotaPacer({ budget, account: 'sheets@bank.iam.gserviceaccount.com', project: 'bank', now: clock.now, sleep: clock.sleep }));
    await Promise.all(instances.flatMap((pacer) => Array.from({ length: 20 }, (_, i) => pacer.acquire(i % 2 === 0 ? 'spreadsheets.get' : 'values.batchUpdate'))));

    const docs = (await db.collection('sheetsQuota').get()).docs.map((d) => ({ id: d.id, count: d.get('count') as number }));
    const account = docs.filter((d) => d.id.startsWith(encodeURIComponent('account:sheets@bank.iam.gserviceaccount.com')));
    for (const kind of ['read', 'write']) {
      const windows = account.filter((d) => d.id.includes(`_${kind}_`));
      expect(windows.reduce((sum, d) => sum + d.count, 0)).toBe(20); // every request took exactly one slot
      for (const w of windows) expect(w.count).toBeLessThanOrEqual(4);
      // 20 of a kind at 4 a window: at least 5 windows
      expect(windows.length).toBeGreaterThanOrEqual(5);
      // and so at most 13 × 4 = 52 in any 60 s: checked on the windows' numbers
      const byWindow = new Map(windows.map((w) => [Number(w.id.split('_').pop()), w.count]));
      for (const start of byWindow.keys()) {
        let inMinute = 0;
        for (let k = start; k < start + 13; k++) inMinute += byWindow.get(k) ?? 0;
        expect(inMinute).toBeLessThanOrEqual(52);
      }
    }
    expect(instances[0]!.stats().acquired + instances[1]!.stats().acquired).toBe(40);
  }, 60_000);
});

describe('a night of 80 branches against the quota-enforcing server', () => {
  const BRANCHES = 80;
  const scheme = bundledScheme('boc')!;
  const standards = bundledStandards('d2')!;

  async function seedBank(clock: ReturnType<typeof compressedClock>): Promise<void> {
    // set-up goes as other users (one per spreadsheet: 80 creations are more than one user's minute), then two minutes pass before the night starts
    const setupAs = (b: number) => google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url, headers: { Authorization: `Bearer setup-${b}` } });
    const month = parseMonth('2026-10')!;
    const batch = db.batch();
    const rows = [];
    for (let b = 1; b <= BRANCHES; b++) {
      const branchId = `B${String(b).padStart(3, '0')}`;
      const spreadsheetId = (await setupAs(b).spreadsheets.create({ requestBody: { properties: { title: branchId } } })).data.spreadsheetId!;
      batch.set(db.collection('branches').doc(branchId), { branchId, name: `${branchId}支行`, spreadsheetId, managers: [] });
      const customerId = `${branchId}-C1`;
      batch.set(db.collection('customers').doc(customerId), { customerId, branchId });
      rows.push({ customerId, branchId, month, assetDaySum: 250_000 * 100 * 31, monthEndAssets: 250_000 * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] });
    }
    await batch.commit();
    await writeHistory(db, rows);
    clock.skip(120_000);
  }

  async function night(sheets: SheetsGateway, clock: ReturnType<typeof compressedClock>) {
    return runNightlyLocally({ db, scheme, standards, sheets, now: () => new Date(clock.now()), headOffice: async () => 'memory' }, '2026-11-10', { resume: true, concurrency: 16, clock: Date.now });
  }

  it('with the shipped defaults: 0 branches failed, 0 requests answered 429, at most 60 reads and 60 writes of the account in any minute', async () => {
    const clock = compressedClock(FACTOR);
    server = await startSheetsApiServer({ quota: { now: clock.now } });
    await seedBank(clock);
    const env = { SHEETS_API_ROOT: server.url };
    const accounts = await pacedAccounts(db, parseSheetsQuotaConfig(env, () => ({})), (account) => createAccountSheetsClient(env, account), clock);
    const report = await night(shardedSheetsGateway(accounts.shards, { ...DEFAULT_BACKOFF, now: clock.now, sleep: clock.sleep }), clock);

    expect(report.outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    expect(report.outcomes).toHaveLength(BRANCHES);
    const quota = server.quota!.report();
    expect(quota.refused).toBe(0);
    expect(server.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(quota.mostPerUser.read).toBeLessThanOrEqual(60);
    expect(quota.mostPerUser.write).toBeLessThanOrEqual(60);
    // the night really needed pacing: 80 reads and 160 writes are more than one minute's quota
    expect(server.requests.filter((r) => r.operation === 'spreadsheets.get')).toHaveLength(BRANCHES);
    expect(accounts.stats().waitedMs).toBeGreaterThan(0);
  }, 120_000);

  // The same night with the pacing shipped before: it lets a process send 240 requests a minute,
  // reads and writes together. On the 20× clock the branches' own Firestore work is slower than
  // that quota, so this runs on a 2× clock, where the night's 80 reads fit in well under a minute.
  it('with the old pacing (240 a minute per process, reads and writes together), requests are answered 429', async () => {
    const clock = compressedClock(2);
    server = await startSheetsApiServer({ quota: { now: clock.now } });
    await seedBank(clock);
    const client: sheets_v4.Sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url, headers: { Authorization: 'Bearer default' } });
    const oldPacer = createRequestPacer({ perMinute: 240, now: clock.now, sleep: clock.sleep });
    const oldPolicy = { ...DEFAULT_BACKOFF, budgetMs: 60_000, quotaWindowMs: undefined, now: clock.now, sleep: clock.sleep };
    const report = await night(googleSheetsGateway(client, oldPolicy, oldPacer), clock);

    expect(report.outcomes).toHaveLength(BRANCHES);
    expect(server.quota!.report().refused).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  }, 120_000);
});

// keep the default visible to a reader of this file: 56 a minute → 4 per 5 s window
expect(DEFAULT_QUOTA).toEqual({ perAccountPerMinute: 56, perProjectPerMinute: 280, windowMs: 5_000 });
