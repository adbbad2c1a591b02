import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, retryAfterMs, statusOf } from '../../functions/sheets/backoff.js';
import { googleSheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { firestoreQuotaBudget } from '../../functions/store/firestore-sheets-quota.js';
import { ModelledFirestore } from '../support/night-sim/modelled-firestore.js';
import { ModelledSheetsApi } from '../support/night-sim/modelled-sheets.js';
import { MEASURED_COSTS } from '../support/night-sim/night-costs.js';
import { NIGHT_START, simulateNight, type NightSimResult } from '../support/night-sim/simulate-night.js';
import { virtualClock } from '../support/virtual-clock.js';

/**
 * The simulated night (test/support/night-sim) on a small bank: the deployed steps, pacers and
 * backoff on the virtual clock against the modelled quota. Nothing here reads the wall clock.
 */

const BRANCHES = 80;
const night = (accountsPerProject: number[]) => simulateNight({ branches: BRANCHES, customersPerBranch: 1_000, readsPerCustomer: 2, accountsPerProject });

describe('the models under the simulated night', () => {
  it('answers the 61st read of one account within a minute 429 as the test server does, and googleapis-shaped', async () => {
    const clock = virtualClock(NIGHT_START);
    const api = new ModelledSheetsApi(clock, MEASURED_COSTS.sheets);
    const sheets = api.clientFor('a@p.iam.gserviceaccount.com', 'p');
    const answers = await clock.run(() => Promise.allSettled(Array.from({ length: 61 }, () => sheets.spreadsheets.get({ spreadsheetId: 'S' }))));
    const refused = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(statusOf(refused[0]!.reason)).toBe(429);
    expect(retryAfterMs(refused[0]!.reason, clock.now())).toBeNull();
    expect(api.report()).toMatchObject({ refused: 1, mostPerUser: { read: 60, write: 0 } });
  });

  it('answers an unpaced burst with 429s, which the backoff waits out to the next minute (the control for the 0 × 429 below)', async () => {
    const clock = virtualClock(NIGHT_START);
    const api = new ModelledSheetsApi(clock, MEASURED_COSTS.sheets);
    const gateway = googleSheetsGateway(api.clientFor('a@p.iam.gserviceaccount.com', 'p'), { ...DEFAULT_BACKOFF, now: clock.now, sleep: clock.sleep, random: () => 0.5, timers: clock });
    await clock.run(() => Promise.all(Array.from({ length: BRANCHES }, (_, i) => gateway.read(`S${i}`))));
    expect(api.report().refused).toBe(BRANCHES - 60);
    expect(api.requests.filter((r) => r.status === 200)).toHaveLength(BRANCHES);
    expect(clock.now() - NIGHT_START).toBeGreaterThanOrEqual(60_000);
  });

  it('lets the quota budget’s transactions take the last slot once, however many ask at the same moment', async () => {
    const clock = virtualClock(NIGHT_START);
    const fs = new ModelledFirestore(clock, MEASURED_COSTS.firestore);
    const budget = firestoreQuotaBudget(fs.asFirestore(), { now: clock.now, sleep: clock.sleep });
    const taken = await clock.run(() => Promise.all(Array.from({ length: 5 }, () => budget.take(['account:a', 'project:p'], 'read', 7, [1, 20]))));
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(fs.writes).toBe(2);
  });
});

describe(`a simulated ordinary night of ${BRANCHES} branches`, () => {
  let one: NightSimResult;
  let two: NightSimResult;
  beforeAll(async () => {
    one = await night([1]);
    two = await night([2]);
  });

  it('runs every branch with the shipped pacing and no 429, on one account and on two', () => {
    for (const r of [one, two]) {
      expect(r.failedBranches).toBe(0);
      expect(r.branchesDone).toBe(BRANCHES);
      expect(r.answered429).toBe(0);
      expect(r.mostPerUser.read).toBeLessThanOrEqual(56);
      expect(r.mostPerUser.write).toBeLessThanOrEqual(56);
      expect(r.consolidatedAt).not.toBeNull();
    }
  });

  it('sends each branch sheet 1 read and 1 write, as docs/branch-sheet.md counts an ordinary night', () => {
    for (const r of [one, two]) expect(r.perBranch).toEqual({ reads: [1, 1], writes: [1, 1] });
    expect(one.requests).toEqual({ reads: BRANCHES + 1, writes: BRANCHES + one.headOfficeRequests - 1 });
  });

  it('ends later with fewer accounts: 80 reads at 4 a 5 s window need 20 windows on one account', () => {
    expect(one.lastSheetCurrentAt).not.toBeNull();
    expect(two.lastSheetCurrentAt).not.toBeNull();
    expect(one.lastSheetCurrentAt!).toBeGreaterThan(two.lastSheetCurrentAt!);
    // one account: 4 slots a window, so the 80th read goes in the 20th window at the earliest
    expect(one.lastSheetCurrentAt! - NIGHT_START).toBeGreaterThanOrEqual((BRANCHES / 4 - 1) * 5_000);
  });

  it('counts the night’s Firestore reads from the modelled customers: 2 a customer and the branch’s own', () => {
    expect(one.firestore.reads).toBeGreaterThanOrEqual(BRANCHES * 1_000 * 2);
    expect(one.firestore.reads).toBeLessThan(BRANCHES * (1_000 * 2 + 200));
  });

  it('is the same night every time (seeded jitter, virtual time)', async () => {
    expect(await night([1])).toEqual(one);
  });
});
