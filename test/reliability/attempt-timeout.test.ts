import { describe, expect, it } from 'vitest';
import { AttemptTimeoutError, RetriesExhaustedError, withAttemptTimeout, withBackoff, type BackoffPolicy } from '../../functions/sheets/backoff.js';

/**
 * The attempt timeout of the Sheets backoff (functions/sheets/backoff.ts), in process. The calls
 * are fakes (promises that never settle, or settle when told), labelled as such; the timer is
 * real but short (50 ms), and nothing here asserts how long anything took.
 */

const never = () => new Promise<never>(() => {}); // fake: a request that is never answered

describe('an attempt that is never answered', () => {
  it('is given up with AttemptTimeoutError, and its signal is aborted so the request is cancelled', async () => {
    let seen: AbortSignal | undefined;
    const error = await withAttemptTimeout('spreadsheets.get', 50, (signal) => {
      seen = signal;
      return never();
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttemptTimeoutError);
    expect((error as Error).message).toBe('spreadsheets.get: no answer within 50 ms');
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
  });

  it('an answer in time is passed through and its signal never fires', async () => {
    let seen: AbortSignal | undefined;
    const value = await withAttemptTimeout('t', 10_000, async (signal) => {
      seen = signal;
      return 'answered';
    });
    expect(value).toBe('answered');
    expect(seen?.aborted).toBe(false);
  });

  it('is retried like a 5xx within maxAttempts, then reported as a timeout', async () => {
    const slept: number[] = [];
    const policy: BackoffPolicy = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, budgetMs: 1_000, random: () => 0.5, sleep: async (ms) => void slept.push(ms), attemptTimeoutMs: 50 };
    let attempts = 0;
    const error = await withBackoff(
      'values.batchUpdate',
      () => {
        attempts++;
        return withAttemptTimeout('values.batchUpdate', policy.attemptTimeoutMs!, never);
      },
      policy,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(attempts).toBe(3);
    // waits 0.5 × 10, 0.5 × 20 between the three attempts
    expect(slept).toEqual([5, 10]);
    expect((error as Error).message).toBe('values.batchUpdate: gave up after 3 attempts (last no answer within 50 ms), having waited 15 ms');
  });

  it('a timeout then an answer succeeds on the second attempt', async () => {
    let attempts = 0;
    const policy: BackoffPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 10, random: () => 0, sleep: async () => {} };
    const value = await withBackoff('t', () => withAttemptTimeout('t', 50, () => (++attempts === 1 ? never() : Promise.resolve('second'))), policy);
    expect(value).toBe('second');
    expect(attempts).toBe(2);
  });
});
