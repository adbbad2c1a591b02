/**
 * Retries a call that Google answers with 429 (quota) or a 5xx, within a bounded number of
 * attempts and a bounded total wait. A 5xx (or an attempt that timed out) waits an exponential
 * backoff with full jitter. A 429 waits out the quota's window: Google refills the per-minute
 * quotas each minute ("Usage limits", Sheets API), so retrying within seconds only collects more
 * 429s — it waits `Retry-After` when the answer has one, else until the next minute boundary
 * plus up to `quotaJitterMs` (when the policy names `quotaWindowMs`; a policy without it treats
 * a 429 like a 5xx). Randomness, the clock, sleeping and the attempt timer are injected so the
 * policy can be tested without waiting (and a whole night simulated on a virtual clock).
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
  /** Google's quota window (60 s): a 429 without Retry-After waits until the next boundary of it */
  quotaWindowMs?: number;
  /** the most added at random to that wait, so that waiting callers do not all retry at once */
  quotaJitterMs?: number;
  /** the clock the window boundary is read from (Date.now when absent) */
  now?: () => number;
  /** where the attempt timeout is scheduled (the process's own timers, REAL_TIMERS, when absent) */
  timers?: TimerSource;
}

/** A place to schedule a callback: the process's timers, or a simulation's virtual clock. */
export interface TimerSource {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: TimerSource = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A Sheets request that never answers must not hold a branch (or a function instance) for
 * ever. 60 s is far above what one batched write takes, and 6 attempts of it plus the 150 s
 * budget stay under the 9 minutes an event-driven Cloud Function may run. The budget outlasts
 * two quota windows, so a 429 is waited out rather than failing the branch.
 */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;

export const DEFAULT_BACKOFF: BackoffPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 16_000,
  budgetMs: 150_000,
  attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS,
  quotaWindowMs: 60_000,
  quotaJitterMs: 2_000,
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
 * ignores the signal. `timers` schedules the timeout (the process's timers by default).
 */
export async function withAttemptTimeout<T>(what: string, timeoutMs: number, call: (signal: AbortSignal) => Promise<T>, timers: TimerSource = REAL_TIMERS): Promise<T> {
  const controller = new AbortController();
  let timer: unknown;
  const timedOut = new Promise<never>((_, reject) => {
    timer = timers.setTimeout(() => {
      const error = new AttemptTimeoutError(what, timeoutMs);
      reject(error);
      controller.abort(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), timedOut]);
  } finally {
    timers.clearTimeout(timer);
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

/** The connection closed before an answer came (reset, hang-up): retried like a 5xx; the server may or may not have acted on the request. */
export function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return statusOf(error) === null && (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(String((error as { message?: unknown })?.message)));
}

export function isRetryable(status: number | null): boolean {
  return status === 429 || (status !== null && status >= 500 && status <= 599);
}

/**
 * The `Retry-After` of a googleapis error's response, in ms (seconds or an HTTP date), or null.
 * gaxios 7 gives the response headers as a fetch Headers object; older ones as a plain object.
 */
export function retryAfterMs(error: unknown, now: number): number | null {
  const headers = (error as { response?: { headers?: unknown } })?.response?.headers as { get?: (name: string) => string | null } | Record<string, unknown> | undefined;
  if (headers === undefined || headers === null) return null;
  const raw = typeof headers.get === 'function' ? headers.get('retry-after') : (headers as Record<string, unknown>)['retry-after'];
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** How long to wait before attempt `attempt + 1` after `error` (status `status`). */
function delayAfter(error: unknown, status: number | null, attempt: number, policy: BackoffPolicy): number {
  if (status === 429) {
    const now = (policy.now ?? Date.now)();
    const retryAfter = retryAfterMs(error, now);
    if (retryAfter !== null) return retryAfter;
    if (policy.quotaWindowMs !== undefined) {
      const window = policy.quotaWindowMs;
      return (Math.floor(now / window) + 1) * window - now + Math.floor(policy.random() * (policy.quotaJitterMs ?? 0));
    }
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * ceiling);
}

export async function withBackoff<T>(what: string, call: () => Promise<T>, policy: BackoffPolicy = DEFAULT_BACKOFF): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const status = statusOf(error);
      const timedOut = error instanceof AttemptTimeoutError;
      if (!timedOut && !isConnectionLost(error) && !isRetryable(status)) throw error;
      const delay = delayAfter(error, status, attempt, policy);
      if (attempt >= policy.maxAttempts || waited + delay > policy.budgetMs) {
        const last = timedOut ? `no answer within ${error.timeoutMs} ms` : status === null ? 'connection lost' : `HTTP ${status}`;
        throw new RetriesExhaustedError(`${what}: gave up after ${attempt} attempts (last ${last}), having waited ${waited} ms`, attempt, status);
      }
      waited += delay;
      await policy.sleep(delay);
    }
  }
}
