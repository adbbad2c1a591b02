import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNightlyLocally } from '../../functions/nightly/run-nightly-locally.js';
import type { BackoffPolicy } from '../../functions/sheets/backoff.js';
import { columnLetters, googleSheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { branchTabs, NIGHTLY_DATE, nightlyOutcome, seedNightlyBank } from '../support/nightly-bank.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * Faults of Google Sheets during a nightly run, with the real googleapis client over
 * HTTP against the Sheets API test server and the Firestore emulator underneath:
 * - a request that never answers (held at the server's door) is aborted after the attempt
 *   timeout, retried within the budget, and the branch is recorded failed with that reason;
 * - 500s / 429s beyond the retry budget fail that branch alone;
 * in both cases the other branches are done, and running the date again finishes the failed
 * branch with nothing duplicated: the end state equals that of a run without faults (a second
 * project, same seed). Backoff waits are not slept (the policy's sleep is immediate); only the
 * attempt timeout is a real timer (300 ms).
 */

const scheme = bundledScheme('boc')!;
const standards = bundledStandards('d2')!;
const BRANCHES = 3;
const CUSTOMERS = 20;
// 20 customers: k = 10 … 20 rise to licai (k × 20,000 ≥ 200,000) → 11 tier events a branch, 33 for three.
const EVENTS_PER_BRANCH = 11;

const faulty = testFirestore('reliability-sheets-faults');
const clean = testFirestore('reliability-sheets-clean');
let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;

/** Three attempts at most, no real waiting between them; an attempt unanswered for 300 ms is given up. */
const policy: BackoffPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 100, random: () => 0, sleep: async () => {}, attemptTimeoutMs: 300 };

const deps = (db: typeof faulty.db) => ({ db, scheme, standards, sheets: googleSheetsGateway(sheets, policy), now: () => new Date(), headOffice: null });
const run = (db: typeof faulty.db) => runNightlyLocally(deps(db), NIGHTLY_DATE, { resume: true, concurrency: 3, clock: Date.now });
const spreadsheetOf = async (db: typeof faulty.db, branchId: string) => (await db.collection('branches').doc(branchId).get()).get('spreadsheetId') as string;

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  await Promise.all([faulty.clear(), clean.clear()]);
  await seedNightlyBank(faulty.db, sheets, { branches: BRANCHES, customers: CUSTOMERS });
  await seedNightlyBank(clean.db, sheets, { branches: BRANCHES, customers: CUSTOMERS });
  // The reference: the same bank run once without any fault.
  const reference = await run(clean.db);
  expect(reference.outcomes.map((o) => o.status)).toEqual(['done', 'done', 'done']);
}, 60_000);
afterAll(async () => {
  await server.close();
  await Promise.all([faulty.db.terminate(), clean.db.terminate()]);
});

describe('Google Sheets faults during the nightly run', () => {
  it('a read that never answers is aborted after the attempt timeout, retried, and fails only its branch, recorded with why', async () => {
    const b02 = await spreadsheetOf(faulty.db, 'B02');
    // Every attempt (3) of B02's read is held: the server records it and never answers until released.
    const holds = [1, 2, 3].map(() => server.holdNext('spreadsheets.get', (r) => r.spreadsheetId === b02));
    const report = await run(faulty.db);
    expect(report.outcomes.map((o) => [o.branchId, o.status]).sort()).toEqual([
      ['B01', 'done'],
      ['B02', 'failed'],
      ['B03', 'done'],
    ]);
    const failed = report.outcomes.find((o) => o.branchId === 'B02')!;
    expect(failed.error).toBe('spreadsheets.get: gave up after 3 attempts (last no answer within 300 ms), having waited 0 ms');
    // all three attempts reached the server (and none was answered)
    for (const hold of holds) expect((await hold.arrived).spreadsheetId).toBe(b02);
    expect(server.requests.filter((r) => r.spreadsheetId === b02 && r.operation === 'spreadsheets.get').map((r) => r.status)).toEqual([0, 0, 0]);
    const record = (await faulty.db.collection('runs').doc(`nightly_${NIGHTLY_DATE}_B02`).get()).data()!;
    expect(record).toMatchObject({ status: 'failed', error: failed.error, branchId: 'B02', businessDate: NIGHTLY_DATE });
    for (const hold of holds) hold.release(); // served late, to a client that has gone: a read changes nothing
  });

  it('500s beyond the budget fail only their branch; 429s on a write beyond it too; each recorded', async () => {
    const b01 = await spreadsheetOf(faulty.db, 'B01');
    const b02 = await spreadsheetOf(faulty.db, 'B02');
    // rerun every branch: B02 (still not done) meets three 500s on its read; B01 three 429s on its write.
    server.failNext(3, 500, (r) => r.spreadsheetId === b02 && r.operation === 'spreadsheets.get');
    const before = await branchTabs(sheets, b01);
    const report = await runNightlyLocally(deps(faulty.db), NIGHTLY_DATE, { resume: true, concurrency: 3, clock: Date.now });
    // resume: B01 and B03 were done, only B02 runs, and fails again
    expect(report.plan.toRun).toEqual(['B02']);
    expect(report.outcomes).toMatchObject([{ branchId: 'B02', status: 'failed', error: 'spreadsheets.get: gave up after 3 attempts (last HTTP 500), having waited 0 ms' }]);
    expect((await faulty.db.collection('runs').doc(`nightly_${NIGHTLY_DATE}_B02`).get()).get('error')).toBe(report.outcomes[0]!.error);
    expect(await branchTabs(sheets, b01)).toEqual(before);

    // A write answered 429 three times. B01's sheet is right already, so a run would only read it:
    // someone types over a computed cell (当前等级 of the first customer), which the run puts back with a write.
    const tierColumn = before[0]![0]!.indexOf('当前等级');
    await sheets.spreadsheets.values.batchUpdate({ spreadsheetId: b01, requestBody: { valueInputOption: 'RAW', data: [{ range: `'客户名单'!${columnLetters(tierColumn)}2`, values: [['乱写的等级']] }] } });
    server.failNext(3, 429, (r) => r.spreadsheetId === b01 && r.operation === 'values.batchUpdateByDataFilter');
    const rerun = await runNightlyLocally(deps(faulty.db), NIGHTLY_DATE, { resume: false, concurrency: 3, clock: Date.now });
    const byBranch = Object.fromEntries(rerun.outcomes.map((o) => [o.branchId, o]));
    expect(byBranch['B01']).toMatchObject({ status: 'failed', error: 'values.batchUpdateByDataFilter: gave up after 3 attempts (last HTTP 429), having waited 0 ms' });
    expect(byBranch['B02']!.status).toBe('done'); // its faults were used up above
    expect(byBranch['B03']!.status).toBe('done');
    expect((await faulty.db.collection('runs').doc(`nightly_${NIGHTLY_DATE}_B01`).get()).data()).toMatchObject({ status: 'failed', error: byBranch['B01']!.error });
    expect('error' in rerun.consolidation).toBe(false); // head office from the branches done
    expect((await branchTabs(sheets, b01))[0]![1]![tierColumn]).toBe('乱写的等级'); // the failed write changed nothing
  });

  it('running the date again finishes what failed: nothing lost, nothing duplicated, the same end state as a run without faults', async () => {
    const report = await run(faulty.db);
    expect(report.plan.toRun).toEqual(['B01']);
    expect(report.outcomes.map((o) => o.status)).toEqual(['done']);
    // 3 branches × 11 rises, each once
    const events = await faulty.db.collection('tierEvents').get();
    expect(events.size).toBe(BRANCHES * EVENTS_PER_BRANCH);
    for (let b = 1; b <= BRANCHES; b++) {
      const [customers, , , tasks] = await branchTabs(sheets, await spreadsheetOf(faulty.db, `B0${b}`));
      const ids = customers!.slice(1).map((row) => row[0]);
      expect(ids).toHaveLength(CUSTOMERS); // header + one row per customer, none twice
      expect(new Set(ids).size).toBe(CUSTOMERS);
      const taskIds = tasks!.slice(1).map((row) => row[0]);
      expect(new Set(taskIds).size).toBe(taskIds.length);
    }
    expect(await nightlyOutcome(faulty.db, sheets)).toEqual(await nightlyOutcome(clean.db, sheets));
  });
});
