import type { VirtualClock } from '../virtual-clock.js';

/**
 * A model of Pub/Sub pushing to Cloud Functions, on the virtual clock: a publish resolves after
 * `publishMs`; a message waits in its topic until one of the function's at most `maxInstances`
 * instances is free, each instance handling one message at a time; a handler that throws has its
 * message delivered again after `redeliverMs` (up to `maxDeliveries` deliveries). What it leaves
 * out, and so is optimistic about: cold starts, and Pub/Sub's own back-off when every instance
 * is busy (here a message is handed over the moment an instance frees up). A handler that runs
 * past `timeoutMs` is counted (a deployed function would be stopped there), not stopped.
 */

export interface FunctionDeployment {
  maxInstances: number;
  timeoutMs: number;
  redeliverMs?: number;
  maxDeliveries?: number;
}

export interface FunctionStats {
  /** handler runs, redeliveries included */
  invocations: number;
  redelivered: number;
  /** messages given up after maxDeliveries */
  dropped: number;
  /** handler runs longer than the function's timeout */
  overTimeout: number;
  /** instance time spent in handlers (what 2nd-gen functions bill), and the longest run */
  busyMs: number;
  longestMs: number;
}

interface Subscriber {
  deployment: Required<FunctionDeployment>;
  handle: (message: unknown) => Promise<void>;
  queue: { message: unknown; deliveries: number }[];
  running: number;
  stats: FunctionStats;
}

export class ModelledPubSub {
  private readonly topics = new Map<string, Subscriber>();
  /** publishes in flight, messages queued or handled, redeliveries waiting */
  private outstanding = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly clock: VirtualClock,
    private readonly publishMs: number,
  ) {}

  /** the function `handle` subscribed to `topic`; its figures, kept up to date */
  deploy(topic: string, deployment: FunctionDeployment, handle: (message: unknown) => Promise<void>): FunctionStats {
    const stats: FunctionStats = { invocations: 0, redelivered: 0, dropped: 0, overTimeout: 0, busyMs: 0, longestMs: 0 };
    this.topics.set(topic, { deployment: { redeliverMs: 10_000, maxDeliveries: 5, ...deployment }, handle, queue: [], running: 0, stats });
    return stats;
  }

  async publish(topic: string, message: unknown): Promise<void> {
    const subscriber = this.topics.get(topic);
    if (subscriber === undefined) throw new Error(`no function subscribes to ${topic}`);
    this.outstanding++;
    await this.clock.sleep(this.publishMs);
    subscriber.queue.push({ message: JSON.parse(JSON.stringify(message)), deliveries: 0 });
    this.dispatch(subscriber);
  }

  /** resolves when nothing is published, queued, handled or waiting to be delivered again */
  idle(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private dispatch(s: Subscriber): void {
    while (s.running < s.deployment.maxInstances && s.queue.length > 0) {
      const item = s.queue.shift()!;
      s.running++;
      void this.deliver(s, item);
    }
  }

  private async deliver(s: Subscriber, item: { message: unknown; deliveries: number }): Promise<void> {
    const started = this.clock.now();
    item.deliveries++;
    s.stats.invocations++;
    let failed = false;
    try {
      await s.handle(item.message);
    } catch {
      failed = true;
    }
    const ms = this.clock.now() - started;
    s.stats.busyMs += ms;
    s.stats.longestMs = Math.max(s.stats.longestMs, ms);
    if (ms > s.deployment.timeoutMs) s.stats.overTimeout++;
    s.running--;
    if (failed && item.deliveries < s.deployment.maxDeliveries) {
      s.stats.redelivered++;
      this.clock.setTimeout(() => {
        s.queue.push(item);
        this.dispatch(s);
      }, s.deployment.redeliverMs);
    } else {
      if (failed) s.stats.dropped++;
      this.done();
    }
    this.dispatch(s);
  }

  private done(): void {
    if (--this.outstanding > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
