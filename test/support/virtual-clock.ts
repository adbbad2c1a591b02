/**
 * A virtual clock for simulating hours of a run in seconds: time stands still while there is
 * work to do, and jumps to the next timer only when everything is waiting. Timers live in a
 * priority queue ordered by due time, then by the order they were set (as Node fires timers
 * due at the same moment), and one fires at a time, with every promise callback it sets off run
 * before the next (as Node drains microtasks between timers).
 *
 * "Everything is waiting" is read from the event loop: after a `setImmediate` turn, every
 * promise callback and process.nextTick queued before it has run, however deep the chain. So the
 * code under simulation must wait only on this clock's timers — no real timers, no real I/O, and
 * no yielding through setImmediate (an immediate queued after the clock's is not waited for) —
 * or `run` reports a deadlock (nothing scheduled, the work not done) instead of waiting for ever.
 * The product code the night simulation runs uses none of them once its clocks are injected.
 */

export interface VirtualTimer {
  readonly at: number;
  readonly seq: number;
  cancelled: boolean;
  readonly callback: () => void;
}

export interface VirtualClock {
  now(): number;
  /** `callback` at now() + ms (0 or less: at now(), after what is already due) */
  setTimeout(callback: () => void, ms: number): VirtualTimer;
  clearTimeout(timer: unknown): void;
  sleep(ms: number): Promise<void>;
  /** timers set and not yet fired or cancelled */
  pending(): number;
  /** runs `main` to its end, moving time to each next timer whenever nothing else can run */
  run<T>(main: () => Promise<T>): Promise<T>;
}

export class SimulationDeadlockError extends Error {
  override readonly name = 'SimulationDeadlockError';
}

export function virtualClock(start = 0): VirtualClock {
  let now = start;
  let seq = 0;
  let live = 0;
  const heap: VirtualTimer[] = [];
  const before = (a: VirtualTimer, b: VirtualTimer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const push = (timer: VirtualTimer) => {
    heap.push(timer);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): VirtualTimer | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < heap.length && before(heap[l]!, heap[least]!)) least = l;
      if (r < heap.length && before(heap[r]!, heap[least]!)) least = r;
      if (least === i) break;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
    return top;
  };
  const nextLive = (): VirtualTimer | undefined => {
    for (let t = pop(); t !== undefined; t = pop()) if (!t.cancelled) return t;
    return undefined;
  };
  const idle = () => new Promise<void>((resolve) => setImmediate(resolve));

  const clock: VirtualClock = {
    now: () => now,
    setTimeout(callback, ms) {
      const timer: VirtualTimer = { at: now + Math.max(0, Number.isFinite(ms) ? ms : 0), seq: seq++, cancelled: false, callback };
      live++;
      push(timer);
      return timer;
    },
    clearTimeout(timer) {
      const t = timer as VirtualTimer | undefined;
      if (t === undefined || t === null || t.cancelled || typeof t.seq !== 'number') return;
      t.cancelled = true;
      live--;
    },
    sleep: (ms) => new Promise<void>((resolve) => void clock.setTimeout(resolve, ms)),
    pending: () => live,
    async run<T>(main: () => Promise<T>): Promise<T> {
      type Outcome = { settled: false } | { settled: true; ok: true; value: T } | { settled: true; ok: false; error: unknown };
      let result: Outcome = { settled: false } as Outcome;
      new Promise<T>((resolve) => resolve(main())).then(
        (value) => void (result = { settled: true, ok: true, value }),
        (error: unknown) => void (result = { settled: true, ok: false, error }),
      );
      for (;;) {
        await idle();
        const seen = result as Outcome;
        if (seen.settled) {
          if (seen.ok) return seen.value;
          throw seen.error;
        }
        const timer = nextLive();
        if (timer === undefined) throw new SimulationDeadlockError(`at ${new Date(now).toISOString()} nothing is scheduled and the simulated work has not finished: something waits on a real timer, real I/O or a promise nobody settles`);
        live--;
        timer.cancelled = true;
        now = Math.max(now, timer.at);
        timer.callback();
      }
    },
  };
  return clock;
}
