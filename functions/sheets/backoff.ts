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
  /**
   * longest one attempt may go unanswered before it is aborted and counted as a retryable
   * failure (DEFAULT_ATTEMPT_TIMEOUT_MS when absent); used by callers that run each attempt
   * through withAttemptTimeout (the branch-sheet gateway)
   */
  attemptTimeoutMs?: number;
}

/**
 * A Sheets request that never answers must not hold a branch (or a function instance) for
 * ever. 60 s is far above what one batched write takes, and 6 attempts of it plus the 60 s
 * budget stay under the 9 minutes an event-driven Cloud Function may run.
 */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;

export const DEFAULT_BACKOFF: BackoffPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 16_000,
  budgetMs: 60_000,
  attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS,
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

/** An attempt that got no answer within its time: aborted, and retried like a 5xx. */
export class AttemptTimeoutError extends Error {
  override readonly name = 'AttemptTimeoutError';
  constructor(
    what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what}: no answer within ${timeoutMs} ms`);
  }
}

/**
 * Runs one attempt with an AbortSignal that fires after `timeoutMs` (pass it to the client,
 * so the request is really cancelled); rejects with AttemptTimeoutError then, even if the call
 * ignores the signal.
 */
export async function withAttemptTimeout<T>(what: string, timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new AttemptTimeoutError(what, timeoutMs);
      reject(error);
      controller.abort(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
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
      const timedOut = error instanceof AttemptTimeoutError;
      if (!timedOut && !isRetryable(status)) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.floor(policy.random() * ceiling);
      if (attempt >= policy.maxAttempts || waited + delay > policy.budgetMs) {
        const last = timedOut ? `no answer within ${error.timeoutMs} ms` : `HTTP ${status}`;
        throw new RetriesExhaustedError(`${what}: gave up after ${attempt} attempts (last ${last}), having waited ${waited} ms`, attempt, status);
      }
      waited += delay;
      await policy.sleep(delay);
    }
  }
}
