import { describe, expect, it } from 'vitest';
import { RetriesExhaustedError, withBackoff, type BackoffPolicy } from '../../functions/sheets/backoff.js';
import { columnLetters, quoteTab } from '../../functions/sheets/google-sheets-gateway.js';

/** Unit tests with a fake call and a fake sleep (recorded, not waited): the backoff policy only. */

function policy(overrides: Partial<BackoffPolicy> = {}): BackoffPolicy & { slept: number[] } {
  const slept: number[] = [];
  return { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, budgetMs: 10_000, random: () => 0.5, sleep: async (ms) => void slept.push(ms), ...overrides, slept };
}

const failing = (statuses: number[]) => {
  let calls = 0;
  return {
    call: async () => {
      const status = statuses[calls++];
      if (status !== undefined) throw Object.assign(new Error(`HTTP ${status}`), { response: { status } });
      return 'ok';
    },
    calls: () => calls,
  };
};

describe('backoff on Google errors', () => {
  it('retries 429 and 5xx with exponential, jittered waits: 0.5 × 100, 0.5 × 200, 0.5 × 400', async () => {
    const p = policy();
    const f = failing([429, 500, 503]);
    expect(await withBackoff('t', f.call, p)).toBe('ok');
    expect(f.calls()).toBe(4);
    expect(p.slept).toEqual([50, 100, 200]);
  });

  it('caps each wait at maxDelayMs', async () => {
    const p = policy({ random: () => 0.999, maxAttempts: 8, budgetMs: 100_000 });
    await withBackoff('t', failing([429, 429, 429, 429, 429, 429]).call, p);
    expect(Math.max(...p.slept)).toBeLessThanOrEqual(1_000);
  });

  it('does not retry a 400 or a 403', async () => {
    const f = failing([400]);
    await expect(withBackoff('t', f.call, policy())).rejects.toThrow('HTTP 400');
    expect(f.calls()).toBe(1);
  });

  it('gives up after maxAttempts, saying so', async () => {
    const f = failing([429, 429, 429, 429, 429, 429]);
    const error = await withBackoff('values.batchUpdate', f.call, policy({ maxAttempts: 3 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as RetriesExhaustedError).attempts).toBe(3);
    expect((error as Error).message).toContain('values.batchUpdate: gave up after 3 attempts (last HTTP 429)');
  });

  it('gives up when the next wait would exceed the budget', async () => {
    const p = policy({ random: () => 1, budgetMs: 250 }); // waits 100, then 200 would make 300 > 250
    const f = failing([500, 500, 500]);
    await expect(withBackoff('t', f.call, p)).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(p.slept).toEqual([100]);
  });
});

describe('A1 notation', () => {
  it.each([
    [0, 'A'],
    [25, 'Z'],
    [26, 'AA'],
    [51, 'AZ'],
    [52, 'BA'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ])('column %d is %s', (index, letters) => {
    expect(columnLetters(index)).toBe(letters);
  });

  it('quotes tab names and doubles quotes in them', () => {
    expect(quoteTab('客户名单')).toBe("'客户名单'");
    expect(quoteTab("It's")).toBe("'It''s'");
  });
});
