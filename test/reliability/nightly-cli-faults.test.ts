import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Firestore } from '@google-cloud/firestore';
import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFirestore } from '../../functions/config.js';
import { startFirestoreEmulator, type RunningEmulator } from '../../functions/emulator/gcloud-emulator.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { NIGHTLY_DATE, nightlyOutcome, seedNightlyBank } from '../support/nightly-bank.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * `ladder nightly` (the built CLI, a child process) under faults, as an operator meets them:
 * - Google Sheets answering 500 to every attempt of one branch's read: that branch is reported
 *   FAILED with the reason, recorded failed, the others done, exit 1; the next run finishes it.
 * - The Firestore emulator stopped in the middle of the run (an emulator of this file's own):
 *   the run notices within its store checks (DEFAULT_STORE_WATCH: two unanswered in a row,
 *   about a minute), reports every branch not finished and that head office was not
 *   consolidated, and exits 3 instead of hanging on the client's retries (up to 10 minutes
 *   per write, seen on this machine).
 *   The emulator loses its data when stopped, so "nothing lost" is shown with the store
 *   restored as a backup would restore it (the same bank, the same spreadsheets the cut-short
 *   run had half written): running the date then ends exactly where an uninterrupted run ends.
 * The reference is one uninterrupted run of the same bank in a project of the shared emulator.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const BRANCHES = 12;
const CUSTOMERS = 20;
const reference = testFirestore('reliability-cli-reference');
const sheetFaults = testFirestore('reliability-cli-sheet-faults');
const OUTAGE_PROJECT = 'reliability-cli-outage';
let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;

function ladderNightly(args: string[], project: string, host: string): Promise<{ code: number | null; stderr: string }> {
  const { FIRESTORE_EMULATOR_HOST: _h, GOOGLE_CLOUD_PROJECT: _p, ...base } = process.env;
  const env = { ...(base as Record<string, string>), FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project, SHEETS_API_ROOT: server.url };
  const child = spawn(process.execPath, [join(root, 'dist/functions/cli/ladder.js'), 'nightly', '--date', NIGHTLY_DATE, ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  await Promise.all([reference.clear(), sheetFaults.clear()]);
  await seedNightlyBank(reference.db, sheets, { branches: BRANCHES, customers: CUSTOMERS });
  const run = await ladderNightly(['--concurrency', '4'], 'reliability-cli-reference', reference.host);
  expect(run.stderr).toContain(`${BRANCHES} branches — ${BRANCHES} done, 0 failed`);
}, 120_000);
afterAll(async () => {
  await server.close();
  await Promise.all([reference.db.terminate(), sheetFaults.db.terminate()]);
});

describe('ladder nightly under faults', () => {
  it('a branch whose Sheets read fails with 500 on every attempt is reported FAILED and recorded; the next run finishes it', async () => {
    const { db, host } = sheetFaults;
    await seedNightlyBank(db, sheets, { branches: BRANCHES, customers: CUSTOMERS });
    const b05 = (await db.collection('branches').doc('B05').get()).get('spreadsheetId') as string;
    // The CLI's policy (DEFAULT_BACKOFF) makes 6 attempts, its random waits adding up to at most
    // 0.5 + 1 + 2 + 4 + 8 = 15.5 s, inside its 60 s budget: 6 failures are all used by this run.
    server.failNext(6, 500, (r) => r.spreadsheetId === b05 && r.operation === 'spreadsheets.get');
    const first = await ladderNightly(['--concurrency', '4'], 'reliability-cli-sheet-faults', host);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`${BRANCHES} branches — ${BRANCHES - 1} done, 1 failed, 0 already done before`);
    expect(first.stderr).toMatch(/FAILED B05: spreadsheets\.get: gave up after 6 attempts \(last HTTP 500\), having waited \d+ ms/);
    expect(server.requests.filter((r) => r.spreadsheetId === b05 && r.operation === 'spreadsheets.get').map((r) => r.status)).toEqual([500, 500, 500, 500, 500, 500]);
    const record = (await db.collection('runs').doc(`nightly_${NIGHTLY_DATE}_B05`).get()).data()!;
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/^spreadsheets\.get: gave up after 6 attempts \(last HTTP 500\)/);

    const again = await ladderNightly([], 'reliability-cli-sheet-faults', host);
    expect(again.stderr).toContain(`${BRANCHES} branches — 1 done, 0 failed, ${BRANCHES - 1} already done before`);
    expect(again.code).toBe(0);
    expect(await nightlyOutcome(db, sheets)).toEqual(await nightlyOutcome(reference.db, sheets));
  }, 90_000);

  it('the Firestore emulator stopped mid-run: every branch not finished is reported, no consolidation, exit 3; with the store restored the date ends as an uninterrupted run', async () => {
    let emulator: RunningEmulator | null = await startFirestoreEmulator({ readyTimeoutMs: 60_000 });
    let db: Firestore = createFirestore({ projectId: OUTAGE_PROJECT, emulatorHost: emulator.host });
    const branchIds = await seedNightlyBank(db, sheets, { branches: BRANCHES, customers: CUSTOMERS });
    const spreadsheetIds = await Promise.all(branchIds.map(async (id) => (await db.collection('branches').doc(id).get()).get('spreadsheetId') as string));
    try {
      const running = ladderNightly(['--concurrency', '1'], OUTAGE_PROJECT, emulator.host);
      let doneAtStop = 0;
      for (;;) {
        doneAtStop = (await db.collection('runs').where('status', '==', 'done').count().get()).data().count;
        if (doneAtStop >= 3) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await emulator.stop();
      emulator = null;
      const cut = await running;
      expect(cut.code, cut.stderr).toBe(3); // STORE_UNAVAILABLE_EXIT
      // The branches done before the stop are reported done; each of the others FAILED, either
      // abandoned (in flight) or not run; which are which depends on when the stop landed.
      const summary = /(\d+) branches — (\d+) done, (\d+) failed, 0 already done before/.exec(cut.stderr);
      expect(summary, cut.stderr).not.toBeNull();
      const [, all, done, failed] = summary!.map(Number);
      expect(all).toBe(BRANCHES);
      // One branch runs at a time, so at most the last one the store shows done can lack its
      // answer: its commit can land just before the stop and the answer to the CLI be lost with
      // the emulator. The CLI then reports it abandoned; the resumed run below finds it done.
      expect(done).toBeGreaterThanOrEqual(doneAtStop - 1);
      expect(done! + failed!).toBe(BRANCHES);
      expect(failed).toBeGreaterThan(0);
      const failures = cut.stderr.split('\n').filter((line) => line.startsWith('  FAILED '));
      expect(failures).toHaveLength(failed!);
      for (const line of failures) expect(line).toMatch(/^ {2}FAILED B\d\d: (abandoned|not run): the store did not answer 2 checks in a row \(last: /);
      expect(cut.stderr).toContain('head office NOT consolidated: not attempted: the store did not answer 2 checks in a row');
      expect(cut.stderr).toContain('STOPPED: the store did not answer 2 checks in a row');
      expect(cut.stderr).not.toContain('The client has already been terminated'); // it left without tripping over the client's pending retries
    } finally {
      await db.terminate().catch(() => undefined);
      await emulator?.stop();
    }

    // The store comes back from its backup (an emulator restarts empty): the same bank, the same spreadsheets.
    emulator = await startFirestoreEmulator({ readyTimeoutMs: 60_000 });
    db = createFirestore({ projectId: OUTAGE_PROJECT, emulatorHost: emulator.host });
    try {
      await seedNightlyBank(db, sheets, { branches: BRANCHES, customers: CUSTOMERS, spreadsheetIds });
      const again = await ladderNightly(['--concurrency', '4'], OUTAGE_PROJECT, emulator.host);
      expect(again.stderr).toContain(`${BRANCHES} branches — ${BRANCHES} done, 0 failed`);
      expect(again.code).toBe(0);
      expect(await nightlyOutcome(db, sheets)).toEqual(await nightlyOutcome(reference.db, sheets));
    } finally {
      await db.terminate();
      await emulator.stop();
    }
  }, 240_000);
});
