/**
 * Watches the store while a long run goes on. The Firestore client rides over an outage by
 * retrying each call itself, for up to 10 minutes per write (its default deadline), so a run
 * whose store has gone away would sit on every branch in turn for hours. Every `intervalMs` the
 * watch reads one small document and gives up on that read after `timeoutMs`; after
 * `failuresToTrip` probes in a row failed or went unanswered, the store is taken as
 * unavailable and `down` resolves with why. One successful probe resets the count.
 */

export interface StoreWatch {
  /** resolves (once) with the reason when the store is taken as unavailable; never rejects */
  down: Promise<string>;
  /** the reason, once down; null while the store answers */
  isDown(): string | null;
  stop(): void;
}

export interface StoreWatchOptions {
  intervalMs: number;
  timeoutMs: number;
  failuresToTrip: number;
}

/** A probe every 10 s, each given 15 s: an outage is noticed within about 50 s. */
export const DEFAULT_STORE_WATCH: StoreWatchOptions = { intervalMs: 10_000, timeoutMs: 15_000, failuresToTrip: 2 };

export function watchStore(probe: () => Promise<unknown>, options: StoreWatchOptions = DEFAULT_STORE_WATCH): StoreWatch {
  let reason: string | null = null;
  let stopped = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let trip!: (why: string) => void;
  const down = new Promise<string>((resolve) => (trip = resolve));

  const once = async (): Promise<string | null> => {
    let probeTimer: ReturnType<typeof setTimeout> | undefined;
    const unanswered = new Promise<string>((resolve) => {
      probeTimer = setTimeout(() => resolve(`no answer within ${options.timeoutMs} ms`), options.timeoutMs);
    });
    try {
      return await Promise.race([probe().then(() => null), unanswered]);
    } catch (error) {
      return firstLine((error as Error).message);
    } finally {
      clearTimeout(probeTimer);
    }
  };
  const tick = async () => {
    const problem = await once();
    if (stopped) return;
    failures = problem === null ? 0 : failures + 1;
    if (problem !== null && failures >= options.failuresToTrip) {
      reason = `the store did not answer ${failures} checks in a row (last: ${problem})`;
      trip(reason);
      return;
    }
    timer = setTimeout(() => void tick(), options.intervalMs);
  };
  timer = setTimeout(() => void tick(), options.intervalMs);

  return {
    down,
    isDown: () => reason,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
