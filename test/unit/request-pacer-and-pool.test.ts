import { describe, expect, it } from 'vitest';
import { runBranchPool, type BranchOutcome, type PoolProgress } from '../../functions/nightly/branch-pool.js';
import { createRequestPacer } from '../../functions/sheets/request-pacer.js';

/** The pacer and the branch pool on a fake clock (a test double: time moves only when the code sleeps). */

function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => (now += ms),
    sleeps,
  };
}

describe('the request pacer', () => {
  it('lets the minute’s quota through at once, then waits for the oldest slot to leave the window', async () => {
    const clock = fakeClock();
    const pacer = createRequestPacer({ perMinute: 3, now: clock.now, sleep: clock.sleep });
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      await pacer.acquire('values.batchUpdate');
      times.push(clock.now());
      clock.advance(1_000); // each request takes a second
    }
    // 3 at 0, 1, 2 s; the 4th waits until 60 s (the first leaves the window), 5th 61, 6th 62; 7th at 120
    expect(times).toEqual([0, 1_000, 2_000, 60_000, 61_000, 62_000, 120_000]);
    expect(pacer.stats()).toEqual({ acquired: 7, waitedMs: 57_000 + 57_000 });
  });

  it('never lets more than the quota into any window, with many callers at once', async () => {
    const clock = fakeClock();
    const pacer = createRequestPacer({ perMinute: 5, now: clock.now, sleep: clock.sleep });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => pacer.acquire('values.batchUpdate').then(() => times.push(clock.now()))));
    expect(times).toHaveLength(12);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(5);
    expect(Math.max(...times)).toBe(120_000); // 5 at 0, 5 at 60 s, 2 at 120 s
  });

  it('refuses a quota that is not a positive whole number', () => {
    expect(() => createRequestPacer({ perMinute: 0, now: () => 0, sleep: async () => {} })).toThrow('whole number');
  });
});

describe('the branch pool', () => {
  it('runs every branch with at most N at once, and one failure does not stop the others', async () => {
    const clock = fakeClock();
    let inFlight = 0;
    let most = 0;
    const progress: PoolProgress[] = [];
    const outcomes = await runBranchPool(
      ['B1', 'B2', 'B3', 'B4', 'B5'],
      async (branchId): Promise<BranchOutcome> => {
        inFlight++;
        most = Math.max(most, inFlight);
        await clock.sleep(100);
        inFlight--;
        if (branchId === 'B2') throw new Error('Sheets unreachable');
        if (branchId === 'B4') return { branchId, status: 'failed', durationMs: 100, error: 'recorded failure' };
        return { branchId, status: 'done', durationMs: 100 };
      },
      { concurrency: 2, now: clock.now, onProgress: (p) => progress.push(p) },
    );
    expect(most).toBe(2);
    expect(outcomes.map((o) => [o.branchId, o.status]).sort()).toEqual([
      ['B1', 'done'],
      ['B2', 'failed'],
      ['B3', 'done'],
      ['B4', 'failed'],
      ['B5', 'done'],
    ]);
    expect(outcomes.find((o) => o.branchId === 'B2')?.error).toBe('Sheets unreachable');
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ total: 5, finished: 5, failed: 2, running: [], etaMs: 0 });
    // This fake clock is one timeline: the two first sleeps move it to 200 ms before B1 resumes,
    // so the first ETA is 200 ms / 1 finished × 4 left = 800 ms.
    const first = progress.find((p) => p.finished === 1)!;
    expect(first.etaMs).toBe(800);
    expect(progress.filter((p) => p.last !== null)).toHaveLength(5);
  });

  it('gives an ETA from the pace so far', async () => {
    const clock = fakeClock();
    const etas: (number | null)[] = [];
    await runBranchPool(
      ['B1', 'B2', 'B3', 'B4'],
      async (branchId) => {
        await clock.sleep(1_000);
        return { branchId, status: 'done', durationMs: 1_000 };
      },
      { concurrency: 1, now: clock.now, onProgress: (p) => p.last && etas.push(p.etaMs) },
    );
    // one at a time, 1 s each: after 1 → 3 s left, after 2 → 2 s, after 3 → 1 s, after 4 → 0
    expect(etas).toEqual([3_000, 2_000, 1_000, 0]);
  });
});
