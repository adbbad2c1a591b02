/**
 * Retries a call that Google answers with 429 (quota) or a 5xx, with exponential backoff and
 * full jitter, within a bounded number of attempts and a bounded total wait. Randomness and
 * sleeping are injected so the policy can be tested without waiting.
 */
export interface BackoffPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** total time the retries may wait, across attempts */
  budgetMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 16_000,
  budgetMs: 60_000,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RetriesExhaustedError extends Error {
  override readonly name = 'RetriesExhaustedError';
  constructor(
    message: string,
    readonly attempts: number,
    readonly lastStatus: number | null,
  ) {
    super(message);
  }
}

/** HTTP status of a googleapis (gaxios) error, if it has one. */
export function statusOf(error: unknown): number | null {
  const e = error as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  for (const candidate of [e?.response?.status, e?.status, e?.code]) {
    if (typeof candidate === 'number') return candidate;
    if (typeof candidate === 'string' && /^\d{3}$/.test(candidate)) return Number(candidate);
  }
  return null;
}

export function isRetryable(status: number | null): boolean {
  return status === 429 || (status !== null && status >= 500 && status <= 599);
}

export async function withBackoff<T>(what: string, call: () => Promise<T>, policy: BackoffPolicy = DEFAULT_BACKOFF): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const status = statusOf(error);
      if (!isRetryable(status)) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.floor(policy.random() * ceiling);
      if (attempt >= policy.maxAttempts || waited + delay > policy.budgetMs) {
        throw new RetriesExhaustedError(`${what}: gave up after ${attempt} attempts (last HTTP ${status}), having waited ${waited} ms`, attempt, status);
      }
      waited += delay;
      await policy.sleep(delay);
    }
  }
}
