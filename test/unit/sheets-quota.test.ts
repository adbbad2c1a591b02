import { describe, expect, it } from 'vitest';
import { parseSheetsQuotaConfig } from '../../functions/config.js';
import { DEFAULT_BACKOFF, RetriesExhaustedError, withBackoff, type BackoffPolicy } from '../../functions/sheets/backoff.js';
import { createQuotaPacer, DEFAULT_QUOTA, memoryQuotaBudget, quotaKindOf, slotsPerWindow } from '../../functions/sheets/request-pacer.js';
import { accountIndexFor } from '../../functions/sheets/sharded-sheets-gateway.js';

/** The Sheets quota pacing, the 429 wait and the account settings, on fake clocks (test doubles: time moves only when the code sleeps). */

function fakeClock(start = 0) {
  let now = start;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), advance: (ms: number) => (now += ms) };
}

/** A fake clock for callers waiting at once: a sleep ends when time reaches it, the earliest first (time moves only to the next sleeper's end). */
function fakeTimers(start = 0) {
  let now = start;
  const pending: { at: number; wake: () => void }[] = [];
  const tick = () => {
    pending.sort((a, b) => a.at - b.at);
    const next = pending.shift();
    if (next === undefined) return;
    now = Math.max(now, next.at);
    next.wake();
  };
  return {
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        pending.push({ at: now + ms, wake });
        setImmediate(tick);
      }),
  };
}

/** the most of `times` inside any 60 s */
function mostInAnyMinute(times: number[]): number {
  return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + 60_000).length));
}

describe('which quota a Sheets method draws from', () => {
  it.each([
    ['spreadsheets.get', 'read'],
    ['values.get', 'read'],
    ['values.batchGet', 'read'],
    ['developerMetadata.search', 'read'],
    ['spreadsheets.batchUpdate', 'write'],
    ['values.batchUpdate', 'write'],
    ['values.update', 'write'],
    ['values.append', 'write'],
    ['values.clear', 'write'],
    ['something.new', 'write'],
  ] as const)('%s is a %s', (method, kind) => {
    expect(quotaKindOf(method)).toBe(kind);
  });
});

describe('the quota pacer over a budget', () => {
  it('takes 4 slots per 5 s window by default (56 a minute ÷ 14 windows), so any 60 s sees at most 52 of a kind', async () => {
    expect(slotsPerWindow(DEFAULT_QUOTA.perAccountPerMinute, DEFAULT_QUOTA.windowMs)).toBe(4);
    const clock = fakeTimers();
    const pacer = createQuotaPacer({ budget: memoryQuotaBudget(), account: 'a', project: 'p', now: clock.now, sleep: clock.sleep, random: () => 0 });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 130 }, () => pacer.acquire('spreadsheets.get').then(() => times.push(clock.now()))));
    expect(times).toHaveLength(130);
    // fixed 5 s windows of 4: 12 windows a minute = 48 in an aligned minute, at most 13 windows (52) in any 60 s
    expect(times.filter((t) => t < 60_000)).toHaveLength(48);
    expect(mostInAnyMinute(times)).toBeLessThanOrEqual(52);
  });

  it('counts reads and writes apart: a full read window does not hold a write', async () => {
    const clock = fakeClock();
    const pacer = createQuotaPacer({ budget: memoryQuotaBudget(), account: 'a', project: 'p', now: clock.now, sleep: clock.sleep, random: () => 0 });
    for (let i = 0; i < 4; i++) await pacer.acquire('spreadsheets.get');
    await pacer.acquire('values.batchUpdate');
    expect(clock.now()).toBe(0);
    await pacer.acquire('values.get');
    expect(clock.now()).toBe(5_000);
  });

  it('shares one account’s budget between two pacers (two instances), and gives another account its own', async () => {
    const clock = fakeClock();
    const budget = memoryQuotaBudget();
    const make = (account: string) => createQuotaPacer({ budget, account, project: 'p', now: clock.now, sleep: clock.sleep, random: () => 0 });
    const [one, two, other] = [make('a'), make('a'), make('b')];
    for (let i = 0; i < 2; i++) await one.acquire('values.batchUpdate');
    for (let i = 0; i < 2; i++) await two.acquire('values.batchUpdate');
    await other.acquire('values.batchUpdate');
    expect(clock.now()).toBe(0);
    await two.acquire('values.batchUpdate'); // the account's 5th write in the window: waits for the next one
    expect(clock.now()).toBe(5_000);
    expect(budget.taken('account:a', 'write', 0)).toBe(4);
    expect(budget.taken('project:p', 'write', 0)).toBe(5);
  });

  it('holds the project’s limit over all its accounts', async () => {
    const clock = fakeTimers();
    const budget = memoryQuotaBudget();
    const settings = { perAccountPerMinute: 56, perProjectPerMinute: 84, windowMs: 5_000 }; // project: 6 a window
    const pacers = ['a', 'b', 'c'].map((account) => createQuotaPacer({ budget, account, project: 'p', settings, now: clock.now, sleep: clock.sleep, random: () => 0 }));
    const times: number[] = [];
    await Promise.all(pacers.flatMap((p) => Array.from({ length: 4 }, () => p.acquire('spreadsheets.get').then(() => times.push(clock.now())))));
    expect(times.filter((t) => t === 0)).toHaveLength(6);
    expect(times.filter((t) => t === 5_000)).toHaveLength(6);
  });

  it('refuses a quota too small for its windows', () => {
    expect(() => slotsPerWindow(13, 5_000)).toThrow('too small');
  });
});

describe('a 429 waits out the quota window', () => {
  const quota429 = (headers?: Record<string, string>) => Object.assign(new Error('HTTP 429'), { response: { status: 429, headers: new Headers(headers) } });
  const policyOn = (clock: ReturnType<typeof fakeClock>, overrides: Partial<BackoffPolicy> = {}): BackoffPolicy & { slept: number[] } => {
    const slept: number[] = [];
    return { ...DEFAULT_BACKOFF, random: () => 0.5, now: clock.now, sleep: async (ms) => void (slept.push(ms), clock.advance(ms)), ...overrides, slept };
  };

  it('waits as long as Retry-After says', async () => {
    const clock = fakeClock(10_000);
    const p = policyOn(clock);
    let calls = 0;
    expect(await withBackoff('t', async () => (calls++ === 0 ? Promise.reject(quota429({ 'retry-after': '7' })) : 'ok'), p)).toBe('ok');
    expect(p.slept).toEqual([7_000]);
  });

  it('without Retry-After, waits until the next minute boundary plus jitter (0.5 × 2 s)', async () => {
    const clock = fakeClock(125_000); // 5 s into the third minute
    const p = policyOn(clock);
    let calls = 0;
    expect(await withBackoff('t', async () => (calls++ === 0 ? Promise.reject(quota429()) : 'ok'), p)).toBe('ok');
    expect(p.slept).toEqual([55_000 + 1_000]);
  });

  it('by default outlasts two refused minutes (the old budget gave up after one)', async () => {
    const clock = fakeClock(0);
    const p = policyOn(clock);
    let calls = 0;
    expect(await withBackoff('t', async () => (calls++ < 2 ? Promise.reject(quota429()) : 'ok'), p)).toBe('ok');
    expect(p.slept).toEqual([61_000, 60_000]); // to 60 s + 1 s jitter, then from 61 s to 120 s + 1 s
    expect(calls).toBe(3);
  });

  it('still gives up when the wait would pass the budget', async () => {
    const clock = fakeClock(0);
    const p = policyOn(clock, { budgetMs: 100_000 });
    const error = await withBackoff('t', () => Promise.reject(quota429()), p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(p.slept).toEqual([61_000]);
  });

  it('keeps the jittered exponential backoff for a 5xx', async () => {
    const clock = fakeClock(0);
    const p = policyOn(clock);
    let calls = 0;
    const error500 = Object.assign(new Error('HTTP 500'), { response: { status: 500 } });
    await withBackoff('t', async () => (calls++ < 2 ? Promise.reject(error500) : 'ok'), p);
    expect(p.slept).toEqual([250, 500]); // 0.5 × 500, 0.5 × 1000
  });
});

describe('the accounts setting', () => {
  const noKeyFile = () => ({});
  it('is one account, the default credentials, when nothing is set', () => {
    expect(parseSheetsQuotaConfig({ GOOGLE_CLOUD_PROJECT: 'bank' }, noKeyFile)).toEqual({ accounts: [{ account: 'default', project: 'bank', credentials: 'default' }], perAccountPerMinute: 56, perProjectPerMinute: 280 });
  });

  it('lists impersonated emails (their project from the email) and key files (account and project from the file)', () => {
    const config = parseSheetsQuotaConfig({ SHEETS_SERVICE_ACCOUNTS: 'sheets-1@bank-a.iam.gserviceaccount.com, /keys/two.json' }, (path) => ({ client_email: `two@bank-b.iam.gserviceaccount.com`, project_id: path === '/keys/two.json' ? 'bank-b' : 'wrong' }));
    expect(config.accounts).toEqual([
      { account: 'sheets-1@bank-a.iam.gserviceaccount.com', project: 'bank-a', credentials: { impersonate: 'sheets-1@bank-a.iam.gserviceaccount.com' } },
      { account: 'two@bank-b.iam.gserviceaccount.com', project: 'bank-b', credentials: { keyFile: '/keys/two.json' } },
    ]);
  });

  it.each([
    [{ SHEETS_SERVICE_ACCOUNTS: 'someone@example.com' }, 'neither a key file'],
    [{ SHEETS_SERVICE_ACCOUNTS: 'a@bank-p.iam.gserviceaccount.com,a@bank-p.iam.gserviceaccount.com' }, 'twice'],
    [{ SHEETS_ACCOUNT_REQUESTS_PER_MINUTE: '61' }, 'from 14 to 60'],
    [{ SHEETS_PROJECT_REQUESTS_PER_MINUTE: 'lots' }, 'from 14 to 300'],
  ])('refuses %j', (env, message) => {
    expect(() => parseSheetsQuotaConfig(env, noKeyFile)).toThrow(message);
  });

  it('maps a spreadsheet to the same account every time, and spreads many over all accounts', () => {
    expect(accountIndexFor('sheet-42', 3)).toBe(accountIndexFor('sheet-42', 3));
    const counts = [0, 0, 0];
    for (let i = 0; i < 300; i++) counts[accountIndexFor(`spreadsheet-${i}`, 3)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(70);
  });
});
