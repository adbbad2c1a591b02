import { describe, expect, it } from 'vitest';
import { SimulationDeadlockError, virtualClock } from '../support/virtual-clock.js';

/** The virtual clock the night simulation runs on: time moves only when everything waits, to the next timer. */

describe('the virtual clock', () => {
  it('fires timers by due time, and timers due at the same time in the order they were set', async () => {
    const clock = virtualClock(1_000);
    const fired: string[] = [];
    await clock.run(async () => {
      for (const [name, ms] of [['c', 30], ['a', 10], ['b1', 20], ['b2', 20], ['zero', 0]] as const) clock.setTimeout(() => fired.push(`${name}@${clock.now()}`), ms);
      await clock.sleep(100);
    });
    expect(fired).toEqual(['zero@1000', 'a@1010', 'b1@1020', 'b2@1020', 'c@1030']);
    expect(clock.now()).toBe(1_100);
  });

  it('does not move time while any promise callback can still run: a timer set after many awaits is not skipped', async () => {
    const clock = virtualClock(0);
    const fired: string[] = [];
    await clock.run(async () => {
      clock.setTimeout(() => fired.push(`late@${clock.now()}`), 50);
      const chain = (async () => {
        for (let i = 0; i < 1_000; i++) await Promise.resolve();
        await new Promise<void>((resolve) => process.nextTick(resolve));
        clock.setTimeout(() => fired.push(`early@${clock.now()}`), 10);
      })();
      await chain;
      await clock.sleep(60);
    });
    expect(fired).toEqual(['early@10', 'late@50']);
  });

  it('stands still while work runs, and a sleep ends exactly its length later', async () => {
    const clock = virtualClock(500);
    const seen = await clock.run(async () => {
      const before = clock.now();
      let spin = 0;
      for (let i = 0; i < 1e5; i++) spin += i;
      const during = clock.now();
      await Promise.all([clock.sleep(250), clock.sleep(100)]);
      return { before, during, after: clock.now(), spin };
    });
    expect(seen).toMatchObject({ before: 500, during: 500, after: 750 });
  });

  it('never fires a cleared timer, nor moves time to it', async () => {
    const clock = virtualClock(0);
    let fired = false;
    await clock.run(async () => {
      const timer = clock.setTimeout(() => (fired = true), 1_000);
      await clock.sleep(10);
      clock.clearTimeout(timer);
      clock.clearTimeout(timer);
      clock.clearTimeout(undefined);
    });
    expect(fired).toBe(false);
    expect(clock.now()).toBe(10);
    expect(clock.pending()).toBe(0);
  });

  it('reports a deadlock when the work waits on something no timer will settle', async () => {
    const clock = virtualClock(0);
    await expect(clock.run(() => new Promise<void>(() => {}))).rejects.toBeInstanceOf(SimulationDeadlockError);
  });

  it('passes on the work’s result and its failure', async () => {
    const clock = virtualClock(0);
    await expect(clock.run(async () => (await clock.sleep(5), 'done'))).resolves.toBe('done');
    await expect(
      clock.run(async () => {
        await clock.sleep(5);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});
