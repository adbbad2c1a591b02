/**
 * Paces Sheets requests to Google's per-minute quotas: 60 read and 60 write requests a minute
 * per user (a service account is one user), 300 and 300 per project, reads and writes counted
 * apart, refilled every minute; an excess is answered 429 (Google Sheets API, "Usage limits",
 * developers.google.com/sheets/api/limits).
 *
 * A request first takes a slot from a QuotaBudget, for its account and for its project, of its
 * kind (read or write), in the current window. The budget is shared (functions/store/
 * firestore-sheets-quota.ts: every instance of a deployment draws from the same counters), so
 * the limit holds whatever the number of instances. When the window's slots are spent the
 * request waits for the next window instead of collecting 429s.
 *
 * Why windows of 5 s and not one counter a minute: our minute and Google's need not start at
 * the same second. With one counter per minute, 60 requests at 0:59 and 60 at 1:00 would land
 * in one Google minute. With w windows a minute of ⌊limit / (w + 2)⌋ slots each, any 60 s (of
 * Google's, wherever it starts, with up to one window's delay between taking a slot and the
 * request reaching Google) overlaps at most w + 2 windows: at most `limit` requests, by
 * construction. Defaults: limit 56 (Google's 60 less a margin) → 4 slots per 5 s window, 48
 * requests a minute per account and kind, never more than 56 in any 60 s.
 */
export type QuotaKind = 'read' | 'write';

/**
 * Which quota a Sheets method draws from, in one place. Google counts spreadsheets.get,
 * values.get, values.batchGet, getByDataFilter and developerMetadata.get/search as read
 * requests, and spreadsheets.batchUpdate, values.update/batchUpdate/append/clear/batchClear and
 * create as write requests ("Read requests" / "Write requests" per minute, Sheets API usage
 * limits). An unknown method counts as a write: the stricter guess never overspends reads.
 */
export function quotaKindOf(method: string): QuotaKind {
  const READS = ['spreadsheets.get', 'spreadsheets.getByDataFilter', 'values.get', 'values.batchGet', 'values.batchGetByDataFilter', 'developerMetadata.get', 'developerMetadata.search'];
  return READS.includes(method) ? 'read' : 'write';
}

export interface RequestPacer {
  /** waits until a slot of `method`'s quota (quotaKindOf) is free in the current window, then takes it */
  acquire(method: string): Promise<void>;
  /** slots taken so far, and the total time callers waited (ms) */
  stats(): { acquired: number; waitedMs: number };
}

/** The shared counters: one per (key, kind, window). */
export interface QuotaBudget {
  /**
   * takes one slot of `kind` in window `window` from every key in `keys` (all or none, atomically);
   * false when any of them has `limit` (the same index of `limits`) slots taken already
   */
  take(keys: readonly string[], kind: QuotaKind, window: number, limits: readonly number[]): Promise<boolean>;
}

/** Every setting of the quota, with its default (functions/config.ts parses them from the environment). */
export interface QuotaSettings {
  /** the most requests of one kind one account may send in any 60 s (Google: 60) */
  perAccountPerMinute: number;
  /** the same for all accounts of one Cloud project together (Google: 300) */
  perProjectPerMinute: number;
  windowMs: number;
}

export const DEFAULT_QUOTA: QuotaSettings = { perAccountPerMinute: 56, perProjectPerMinute: 280, windowMs: 5_000 };

/** Slots per window so that any 60 s sees at most `perMinute` (see the header). */
export function slotsPerWindow(perMinute: number, windowMs: number): number {
  const windows = Math.ceil(60_000 / windowMs);
  const slots = Math.floor(perMinute / (windows + 2));
  if (slots < 1) throw new Error(`a quota of ${perMinute} a minute is too small for windows of ${windowMs} ms (needs at least ${windows + 2})`);
  return slots;
}

/** The time (and the jitter) the pacing runs on: the process's own, or a simulation's virtual clock. */
export interface PacingClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** spread of wake-ups (Math.random when absent) */
  random?: () => number;
}

export const REAL_PACING_CLOCK: PacingClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export interface QuotaPacerOptions {
  budget: QuotaBudget;
  /** the service account the requests authenticate as */
  account: string;
  /** its Cloud project (the project-wide quota) */
  project: string;
  settings?: QuotaSettings;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** spread of the wake-up after a full window, so instances do not all retry at the same instant */
  random?: () => number;
}

export function createQuotaPacer(options: QuotaPacerOptions): RequestPacer {
  const settings = options.settings ?? DEFAULT_QUOTA;
  const { windowMs } = settings;
  const limits = [slotsPerWindow(settings.perAccountPerMinute, windowMs), slotsPerWindow(settings.perProjectPerMinute, windowMs)];
  const keys = [`account:${options.account}`, `project:${options.project}`];
  const random = options.random ?? Math.random;
  let acquired = 0;
  let waitedMs = 0;
  return {
    async acquire(method) {
      const kind = quotaKindOf(method);
      for (;;) {
        const now = options.now();
        const window = Math.floor(now / windowMs);
        if (await options.budget.take(keys, kind, window, limits)) {
          acquired++;
          return;
        }
        const wait = (window + 1) * windowMs - now + Math.floor(random() * Math.min(250, windowMs / 10));
        waitedMs += wait;
        await options.sleep(wait);
      }
    },
    stats: () => ({ acquired, waitedMs }),
  };
}

/** A budget held in this process only: for tests, and for one process that is the only user of its accounts. */
export function memoryQuotaBudget(): QuotaBudget & { taken(key: string, kind: QuotaKind, window: number): number } {
  const counts = new Map<string, number>();
  const id = (key: string, kind: QuotaKind, window: number) => `${key}|${kind}|${window}`;
  return {
    async take(keys, kind, window, limits) {
      if (keys.some((key, i) => (counts.get(id(key, kind, window)) ?? 0) >= (limits[i] as number))) return false;
      for (const key of keys) counts.set(id(key, kind, window), (counts.get(id(key, kind, window)) ?? 0) + 1);
      return true;
    },
    taken: (key, kind, window) => counts.get(id(key, kind, window)) ?? 0,
  };
}

export interface PacerOptions {
  perMinute: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  windowMs?: number;
}

/**
 * A sliding-window pacer of one process, all methods together: kept for tests that count
 * attempts against a tiny quota. Production pacing is createQuotaPacer over the shared budget.
 */
export function createRequestPacer(options: PacerOptions): RequestPacer {
  if (!Number.isInteger(options.perMinute) || options.perMinute < 1) throw new Error(`a pacer needs a whole number of requests per minute, got ${options.perMinute}`);
  const windowMs = options.windowMs ?? 60_000;
  const started: number[] = [];
  let acquired = 0;
  let waitedMs = 0;
  let queue: Promise<void> = Promise.resolve();
  return {
    acquire() {
      const turn = queue.then(async () => {
        for (;;) {
          const now = options.now();
          while (started.length > 0 && (started[0] as number) <= now - windowMs) started.shift();
          if (started.length < options.perMinute) {
            started.push(now);
            acquired++;
            return;
          }
          const wait = (started[0] as number) + windowMs - now;
          waitedMs += wait;
          await options.sleep(wait);
        }
      });
      queue = turn;
      return turn;
    },
    stats: () => ({ acquired, waitedMs }),
  };
}
