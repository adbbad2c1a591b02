import { describe, expect, it } from 'vitest';
import { watchStore } from '../../functions/nightly/store-watch.js';

/**
 * The store watch of the local nightly run (functions/nightly/store-watch.ts), in process, with
 * fake probes (labelled): a scripted list of outcomes per check. Timers are real but a few ms;
 * nothing asserts a duration.
 */

type Outcome = 'ok' | 'fails' | 'hangs';

/** fake probe: answers each check as scripted, then 'ok' for ever */
function scriptedProbe(script: Outcome[]) {
  let checks = 0;
  const probe = () => {
    const outcome = script[checks++] ?? 'ok';
    if (outcome === 'ok') return Promise.resolve();
    if (outcome === 'fails') return Promise.reject(new Error('14 UNAVAILABLE: No connection established\nmore detail'));
    return new Promise<never>(() => {});
  };
  return { probe, checks: () => checks };
}

const fast = { intervalMs: 2, timeoutMs: 20, failuresToTrip: 2 };

describe('the store watch', () => {
  it('trips after two checks in a row fail or go unanswered, and says why (first line of the error)', async () => {
    const { probe, checks } = scriptedProbe(['ok', 'fails', 'hangs']);
    const watch = watchStore(probe, fast);
    const why = await watch.down;
    expect(why).toBe('the store did not answer 2 checks in a row (last: no answer within 20 ms)');
    expect(watch.isDown()).toBe(why);
    expect(checks()).toBe(3);
    watch.stop();
  });

  it('one answered check resets the count: fail, ok, fail, fail trips on the fourth', async () => {
    const { probe, checks } = scriptedProbe(['fails', 'ok', 'fails', 'fails']);
    const watch = watchStore(probe, fast);
    expect(await watch.down).toBe('the store did not answer 2 checks in a row (last: 14 UNAVAILABLE: No connection established)');
    expect(checks()).toBe(4);
    watch.stop();
  });

  it('while the store answers it never trips, and stop() ends the checks', async () => {
    const { probe, checks } = scriptedProbe([]);
    const watch = watchStore(probe, fast);
    await new Promise((r) => setTimeout(r, 50));
    expect(watch.isDown()).toBeNull();
    watch.stop();
    const after = checks();
    expect(after).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(checks()).toBeLessThanOrEqual(after + 1); // at most the check already under way
    expect(watch.isDown()).toBeNull();
  });
});
