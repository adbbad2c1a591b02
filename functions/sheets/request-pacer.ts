/**
 * Paces calls to a per-minute quota (Google Sheets: requests per minute per project), shared by
 * every branch a process runs at once: a call takes a slot; when the minute's slots are used, it
 * waits for the next minute instead of collecting 429s. A 429 that still comes (another process
 * shares the project) is left to the backoff. Clock and sleep are injected so it can be tested
 * without waiting.
 */
export interface RequestPacer {
  /** waits until a slot in the current window is free, then takes it */
  acquire(): Promise<void>;
  /** slots taken so far, and the total time callers waited (ms) */
  stats(): { acquired: number; waitedMs: number };
}

export interface PacerOptions {
  perMinute: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  windowMs?: number;
}

export function createRequestPacer(options: PacerOptions): RequestPacer {
  if (!Number.isInteger(options.perMinute) || options.perMinute < 1) throw new Error(`a pacer needs a whole number of requests per minute, got ${options.perMinute}`);
  const windowMs = options.windowMs ?? 60_000;
  // Start times of the calls in the last window (a sliding window: never more than perMinute in any 60 s).
  const started: number[] = [];
  let acquired = 0;
  let waitedMs = 0;
  // Callers are served in arrival order: each waits for the one before it.
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
