import { describe, expect, it } from 'vitest';
import { formatCivilDay, parseCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import type { HolidayKey } from '../../shared/calendar/holidays.js';
import type { CustomerProfile } from '../../shared/customer-profile.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import type { ContactEntry } from '../../shared/service/contact-log.schema.js';
import { nextDue, obligationsOn, statusOf, type Obligation, type ObligationStatus } from '../../shared/service/obligations.js';
import type { Channel, ObligationKind } from '../../shared/service/service-vocabulary.js';
import type { ServiceBand } from '../../shared/service/standards.schema.js';
import { month } from '../support/facts-builder.js';

/**
 * obligations.ts, rule by rule (docs/domain.md D2 and docs/service-standards.md). Every expected date
 * and status below was worked out by hand; the arithmetic is in the case or the comment.
 *
 * Calendar used (checked by counting from 1 January, a Wednesday in 2025 and a Thursday
 * in 2026): June 2025 starts on Sunday 1 June, so Mondays are 2, 9, 16, 23, 30 June and
 * Sundays 1, 8, 15, 22, 29 June; Thursday 10 July 2025 (week ends Sunday 13 July);
 * Tuesday 1 September 2026 (Sunday 20, Friday 25 September); Monday 1 February 2027
 * (week ends Sunday 7 February). Weeks run Monday to Sunday.
 * Holidays used: 端午 2025-05-31, 中秋 2026-09-25, 国庆 2026-10-01, 春节 2025-01-29,
 * 2026-02-17, 2027-02-06, 元宵 2027-02-20, 元旦 2026-01-01.
 * Months: June 30 days, July 31, February 2024 29, February 2025 28.
 */

function day(text: string): CivilDay {
  const parsed = parseCivilDay(text);
  if (parsed === null) throw new Error(`test fixture: "${text}" is not a date`);
  return parsed;
}

const d2Mid = bundledStandards('d2')!.bands.find((b) => b.code === 'mid')!;

/** The d2 mid band with nothing owed; each test switches on only the items it is about. */
function band(over: Partial<ServiceBand>): ServiceBand {
  return {
    ...d2Mid,
    contactsPerMonth: 0,
    productMessagesPerMonth: 0,
    salonsPerYear: 0,
    giftsPerYear: 0,
    headVisitsPerYear: 0,
    birthdayFlowersOrCake: false,
    greetings: { birthday: false, holidays: [], channels: ['phone', 'sms'] },
    ...over,
  };
}

const ALL_HOLIDAYS: HolidayKey[] = ['yuandan', 'chunjie', 'yuanxiao', 'laodong', 'duanwu', 'zhongqiu', 'guoqing'];
const greetingsOnly = (birthday: boolean, holidays: HolidayKey[] = []) => ({ birthday, holidays, channels: ['phone', 'sms'] as Channel[] });

function contact(date: string, kind: ObligationKind, channel: Channel = 'phone', occasion: HolidayKey | null = null): ContactEntry {
  return { customerId: 'C-1', date: day(date), channel, kind, occasion, by: 'M-01', note: '' };
}
const talk = (date: string, channel: Channel = 'phone') => contact(date, 'monthly-contact', channel);

function born(date: string): CustomerProfile {
  const [year, mon, d] = date.split('-').map(Number) as [number, number, number];
  return { birthday: { year, month: mon, day: d }, archive: {}, servicePlan: {} };
}

interface Options {
  /** first month in the band, YYYY-MM; January of today's year unless given */
  since?: string;
  profile?: CustomerProfile;
  log?: ContactEntry[];
}

function obligations(b: ServiceBand, today: string, options: Options = {}): Obligation[] {
  const since = options.since ?? `${today.slice(0, 4)}-01`;
  return obligationsOn(b, month(since), options.profile, options.log ?? [], day(today));
}

/** One obligation as a branch would read it: "due label status", plus "@doneOn" when done. */
function show(o: Obligation): string {
  return `${formatCivilDay(o.due)} ${o.label} ${o.status}${o.doneOn === null ? '' : ` @${formatCivilDay(o.doneOn)}`}`;
}
const shown = (b: ServiceBand, today: string, options: Options = {}) => obligations(b, today, options).map(show);

describe('monthly cadence: with N a month, the k-th is due by day ceil(k × days / N)', () => {
  const cases: { name: string; month: string; n: number; dueDays: number[] }[] = [
    { name: 'N=2, June (30 d): ceil(30/2)=15, ceil(60/2)=30', month: '2025-06', n: 2, dueDays: [15, 30] },
    { name: 'N=2, February 2024 (29 d, leap): ceil(14.5)=15, 29', month: '2024-02', n: 2, dueDays: [15, 29] },
    { name: 'N=2, February 2025 (28 d): 14, 28', month: '2025-02', n: 2, dueDays: [14, 28] },
    { name: 'N=2, December (31 d): ceil(15.5)=16, 31', month: '2025-12', n: 2, dueDays: [16, 31] },
    { name: 'N=4, January (31 d): ceil(7.75)=8, ceil(15.5)=16, ceil(23.25)=24, 31', month: '2025-01', n: 4, dueDays: [8, 16, 24, 31] },
    { name: 'N=4, February 2025 (28 d): 7, 14, 21, 28', month: '2025-02', n: 4, dueDays: [7, 14, 21, 28] },
    { name: 'N=4, February 2024 (29 d): ceil(7.25)=8, ceil(14.5)=15, ceil(21.75)=22, 29', month: '2024-02', n: 4, dueDays: [8, 15, 22, 29] },
    { name: 'N=3, January (31 d): ceil(10.33)=11, ceil(20.67)=21, 31', month: '2025-01', n: 3, dueDays: [11, 21, 31] },
    { name: 'N=3, April (30 d): 10, 20, 30', month: '2025-04', n: 3, dueDays: [10, 20, 30] },
    { name: 'N=3, February 2024 (29 d): ceil(9.67)=10, ceil(19.33)=20, 29', month: '2024-02', n: 3, dueDays: [10, 20, 29] },
    { name: 'N=3, February 2025 (28 d): ceil(9.33)=10, ceil(18.67)=19, 28', month: '2025-02', n: 3, dueDays: [10, 19, 28] },
    { name: 'N=5, June (30 d): 6, 12, 18, 24, 30', month: '2025-06', n: 5, dueDays: [6, 12, 18, 24, 30] },
    { name: 'N=1, June: the one contact is due on the last day, 30', month: '2025-06', n: 1, dueDays: [30] },
    { name: 'N=0: nothing owed', month: '2025-06', n: 0, dueDays: [] },
  ];
  it.each(cases)('$name', (c) => {
    const list = obligations(band({ contactsPerMonth: c.n }), `${c.month}-01`);
    expect(list.map((o) => formatCivilDay(o.due))).toEqual(c.dueDays.map((d) => `${c.month}-${String(d).padStart(2, '0')}`));
    expect(list.map((o) => o.label)).toEqual(c.dueDays.map((_, i) => `第${i + 1}次月度联络`));
    expect(list.map((o) => o.seq)).toEqual(c.dueDays.map((_, i) => i + 1));
  });

  it('product messages follow the same cadence with their own count: 4 in June → 8 (ceil 7.5), 15, 23 (ceil 22.5), 30', () => {
    expect(shown(band({ productMessagesPerMonth: 4 }), '2025-06-01')).toEqual([
      '2025-06-08 第1次产品短信 normal',
      '2025-06-15 第2次产品短信 normal',
      '2025-06-23 第3次产品短信 normal',
      '2025-06-30 第4次产品短信 normal',
    ]);
  });
});

describe('month ends: each month starts afresh', () => {
  const two = band({ contactsPerMonth: 2 });
  const juneLog = [talk('2025-06-10'), talk('2025-06-20')];

  it('on Monday 30 June both June contacts (10 and 20 June) are done', () => {
    expect(shown(two, '2025-06-30', { log: juneLog })).toEqual(['2025-06-15 第1次月度联络 done @2025-06-10', '2025-06-30 第2次月度联络 done @2025-06-20']);
  });

  it('on Tuesday 1 July the same log meets nothing: July owes 16 (ceil 15.5) and 31 July, both beyond Sunday 6 July', () => {
    expect(shown(two, '2025-07-01', { log: juneLog })).toEqual(['2025-07-16 第1次月度联络 normal', '2025-07-31 第2次月度联络 normal']);
  });

  it('a contact on the last day of June does not count for July, nor one of 31 May for June', () => {
    expect(shown(two, '2025-07-02', { log: [talk('2025-06-30')] })).toEqual(['2025-07-16 第1次月度联络 normal', '2025-07-31 第2次月度联络 normal']);
    expect(shown(two, '2025-06-30', { log: [talk('2025-05-31')] })).toEqual(['2025-06-15 第1次月度联络 overdue', '2025-06-30 第2次月度联络 today']);
  });

  it('across the year end: on 31 December the second contact is due today; on 1 January 2026 (Thursday) January owes 16 and 31 January', () => {
    const log = [talk('2025-12-05')];
    expect(shown(two, '2025-12-31', { log })).toEqual(['2025-12-16 第1次月度联络 done @2025-12-05', '2025-12-31 第2次月度联络 today']);
    expect(shown(two, '2026-01-01', { log })).toEqual(['2026-01-16 第1次月度联络 normal', '2026-01-31 第2次月度联络 normal']);
  });
});

describe('status of one open obligation as today moves (Monday-to-Sunday weeks)', () => {
  const two = band({ contactsPerMonth: 2 });
  const cases: { today: string; first: ObligationStatus; second: ObligationStatus; why: string }[] = [
    { today: '2025-06-01', first: 'normal', second: 'normal', why: 'Sunday 1 June ends its own week; 15 and 30 June lie beyond' },
    { today: '2025-06-08', first: 'normal', second: 'normal', why: 'Sunday 8 June: the week ends today, 15 June is next week' },
    { today: '2025-06-09', first: 'this-week', second: 'normal', why: 'Monday 9 June: the week runs to Sunday 15 June' },
    { today: '2025-06-14', first: 'this-week', second: 'normal', why: 'Saturday 14 June, due tomorrow' },
    { today: '2025-06-15', first: 'today', second: 'normal', why: 'due today' },
    { today: '2025-06-16', first: 'overdue', second: 'normal', why: 'one day late; 30 June is after Sunday 22 June' },
    { today: '2025-06-24', first: 'overdue', second: 'normal', why: 'Tuesday 24 June: the week ends Sunday 29 June, 30 June is next week' },
    { today: '2025-06-29', first: 'overdue', second: 'normal', why: 'Sunday 29 June: due tomorrow but in the next week' },
    { today: '2025-06-30', first: 'overdue', second: 'today', why: 'Monday 30 June' },
  ];
  it.each(cases)('on $today: 15 June is $first, 30 June is $second ($why)', (c) => {
    expect(obligations(two, c.today).map((o) => o.status)).toEqual([c.first, c.second]);
  });

  it.each([
    { due: '2025-06-15', doneOn: '2025-06-15', today: '2025-06-20', status: 'done', why: 'done on the due day is in time' },
    { due: '2025-06-15', doneOn: '2025-06-01', today: '2025-06-20', status: 'done', why: 'done early' },
    { due: '2025-06-15', doneOn: '2025-06-16', today: '2025-06-20', status: 'done-late', why: 'done a day after it was due' },
    { due: '2025-06-15', doneOn: null, today: '2025-06-16', status: 'overdue', why: 'open after its day' },
    { due: '2025-06-15', doneOn: null, today: '2025-06-15', status: 'today', why: 'open on its day' },
    { due: '2025-06-15', doneOn: null, today: '2025-06-09', status: 'this-week', why: 'open, due by Sunday' },
    { due: '2025-06-16', doneOn: null, today: '2025-06-15', status: 'normal', why: 'due Monday, seen on Sunday' },
  ] as const)('statusOf: due $due, done $doneOn, on $today → $status ($why)', (c) => {
    expect(statusOf(day(c.due), c.doneOn === null ? null : day(c.doneOn), day(c.today))).toBe(c.status);
  });
});

describe('which contacts count for the monthly contacts (N=2 in June 2025: due 15 and 30 June)', () => {
  const two = band({ contactsPerMonth: 2 });
  const cases: { name: string; today?: string; log: ContactEntry[]; expected: [string, string] }[] = [
    { name: 'two contacts early: both done', log: [talk('2025-06-03'), talk('2025-06-10')], expected: ['2025-06-15 第1次月度联络 done @2025-06-03', '2025-06-30 第2次月度联络 done @2025-06-10'] },
    { name: 'the first contact made on 20 June, after its due day: done late', log: [talk('2025-06-20')], expected: ['2025-06-15 第1次月度联络 done-late @2025-06-20', '2025-06-30 第2次月度联络 today'] },
    { name: 'contacts on 16 and 30 June: first late, second in time', log: [talk('2025-06-16'), talk('2025-06-30')], expected: ['2025-06-15 第1次月度联络 done-late @2025-06-16', '2025-06-30 第2次月度联络 done @2025-06-30'] },
    {
      name: 'a contact of 5 June entered in the log after one of 20 June counts by its date: first done on 5 June',
      log: [talk('2025-06-20'), talk('2025-06-05')],
      expected: ['2025-06-15 第1次月度联络 done @2025-06-05', '2025-06-30 第2次月度联络 done @2025-06-20'],
    },
    { name: 'the same contact logged twice (5 June, phone) counts once', log: [talk('2025-06-05'), talk('2025-06-05')], expected: ['2025-06-15 第1次月度联络 done @2025-06-05', '2025-06-30 第2次月度联络 today'] },
    { name: 'two contacts on one day (5 June by phone and by SMS) count once', log: [talk('2025-06-05', 'phone'), talk('2025-06-05', 'sms')], expected: ['2025-06-15 第1次月度联络 done @2025-06-05', '2025-06-30 第2次月度联络 today'] },
    { name: 'contacts on 5 and 6 June are two', log: [talk('2025-06-05'), talk('2025-06-06')], expected: ['2025-06-15 第1次月度联络 done @2025-06-05', '2025-06-30 第2次月度联络 done @2025-06-06'] },
    { name: 'a gift is not one of the band’s contact channels: it does not count', log: [talk('2025-06-05', 'gift')], expected: ['2025-06-15 第1次月度联络 overdue', '2025-06-30 第2次月度联络 today'] },
    { name: 'a salon on 5 June does not count, a WeChat on 6 June does', log: [talk('2025-06-05', 'salon'), talk('2025-06-06', 'wechat')], expected: ['2025-06-15 第1次月度联络 done @2025-06-06', '2025-06-30 第2次月度联络 today'] },
    { name: 'a contact of another kind (a product SMS) is not a monthly contact', log: [contact('2025-06-05', 'product-message', 'sms')], expected: ['2025-06-15 第1次月度联络 overdue', '2025-06-30 第2次月度联络 today'] },
    { name: 'on 10 June a contact dated 12 June (after today) does not count yet; 15 June is this week', today: '2025-06-10', log: [talk('2025-06-12')], expected: ['2025-06-15 第1次月度联络 this-week', '2025-06-30 第2次月度联络 normal'] },
  ];
  it.each(cases)('$name', (c) => {
    expect(shown(two, c.today ?? '2025-06-30', { log: c.log })).toEqual(c.expected);
  });
});

describe('birthday greetings: due on the day, by phone or SMS, counted from 7 days before, late up to 7 days after', () => {
  const greets = band({ greetings: greetingsOnly(true) });
  const profile = born('1980-06-18'); // Wednesday 18 June 2025
  const greet = (date: string, channel: Channel = 'phone') => contact(date, 'birthday-greeting', channel);
  const cases: { name: string; today?: string; log?: ContactEntry[]; expected: string }[] = [
    { name: 'on Tuesday 10 June, 18 June is next week', today: '2025-06-10', expected: '2025-06-18 生日祝福 normal' },
    { name: 'on Monday 16 June it is this week', today: '2025-06-16', expected: '2025-06-18 生日祝福 this-week' },
    { name: 'on the birthday it is today', today: '2025-06-18', expected: '2025-06-18 生日祝福 today' },
    { name: 'the next day, not made, it is overdue', today: '2025-06-19', expected: '2025-06-18 生日祝福 overdue' },
    { name: 'made on the day by SMS: done', log: [greet('2025-06-18', 'sms')], expected: '2025-06-18 生日祝福 done @2025-06-18' },
    { name: 'made 7 days before (11 June): counts, done', log: [greet('2025-06-11')], expected: '2025-06-18 生日祝福 done @2025-06-11' },
    { name: 'made 8 days before (10 June): does not count', log: [greet('2025-06-10')], expected: '2025-06-18 生日祝福 overdue' },
    { name: 'made 7 days after (25 June): done late', log: [greet('2025-06-25')], expected: '2025-06-18 生日祝福 done-late @2025-06-25' },
    { name: 'made 8 days after (26 June): does not count', log: [greet('2025-06-26')], expected: '2025-06-18 生日祝福 overdue' },
    { name: 'by WeChat on the day: not a greeting channel, does not count', log: [greet('2025-06-18', 'wechat')], expected: '2025-06-18 生日祝福 overdue' },
    { name: 'a visit on the day: not a greeting channel', log: [greet('2025-06-18', 'visit')], expected: '2025-06-18 生日祝福 overdue' },
    { name: 'a monthly contact by phone on the day is not a birthday greeting', log: [talk('2025-06-18')], expected: '2025-06-18 生日祝福 overdue' },
    { name: '10 June (too early) and 20 June: the 20 June greeting counts, late', log: [greet('2025-06-10'), greet('2025-06-20')], expected: '2025-06-18 生日祝福 done-late @2025-06-20' },
    { name: '20 June logged before 12 June: the earliest that counts (12 June) is taken', log: [greet('2025-06-20'), greet('2025-06-12')], expected: '2025-06-18 生日祝福 done @2025-06-12' },
  ];
  it.each(cases)('$name', (c) => {
    expect(shown(greets, c.today ?? '2025-06-30', { profile, log: c.log ?? [] })).toEqual([c.expected]);
  });

  it('without a birthday in the profile (or without a profile) nothing is owed for it', () => {
    expect(obligations(greets, '2025-06-30')).toEqual([]);
    expect(obligations(greets, '2025-06-30', { profile: { archive: {}, servicePlan: {} } })).toEqual([]);
  });

  it('a band whose standard has no birthday greeting owes none even with a birthday known', () => {
    expect(obligations(band({}), '2025-06-16', { profile })).toEqual([]);
  });
});

describe('birthday flowers or cake: arranged by the day before, by any channel, from 14 days before', () => {
  const flowersBand = band({ greetings: greetingsOnly(true), birthdayFlowersOrCake: true });
  const profile = born('1980-06-18');
  const flowers = (date: string, channel: Channel = 'gift') => contact(date, 'birthday-flowers', channel);
  const cases: { name: string; today?: string; log?: ContactEntry[]; flowers: string }[] = [
    { name: 'on Monday 16 June flowers are due 17 June (the day before 18 June), this week', today: '2025-06-16', flowers: '2025-06-17 生日鲜花/蛋糕 this-week' },
    { name: 'on 17 June they are due today', today: '2025-06-17', flowers: '2025-06-17 生日鲜花/蛋糕 today' },
    { name: 'on the birthday, not arranged, they are overdue', today: '2025-06-18', flowers: '2025-06-17 生日鲜花/蛋糕 overdue' },
    { name: 'arranged 14 days before (4 June): done', log: [flowers('2025-06-04')], flowers: '2025-06-17 生日鲜花/蛋糕 done @2025-06-04' },
    { name: 'arranged 15 days before (3 June): does not count', log: [flowers('2025-06-03')], flowers: '2025-06-17 生日鲜花/蛋糕 overdue' },
    { name: 'delivered on a visit on 17 June: done (any channel)', log: [flowers('2025-06-17', 'visit')], flowers: '2025-06-17 生日鲜花/蛋糕 done @2025-06-17' },
    { name: 'delivered on the birthday itself: late (due the day before)', log: [flowers('2025-06-18')], flowers: '2025-06-17 生日鲜花/蛋糕 done-late @2025-06-18' },
  ];
  it.each(cases)('$name', (c) => {
    const list = obligations(flowersBand, c.today ?? '2025-06-30', { profile, log: c.log ?? [] });
    expect(list.filter((o) => o.kind === 'birthday-flowers').map(show)).toEqual([c.flowers]);
    expect(list.filter((o) => o.kind === 'birthday-greeting').map((o) => formatCivilDay(o.due))).toEqual(['2025-06-18']);
  });

  it('a birthday on 1 July: flowers due on 30 June are an obligation of June, listed on 20 June', () => {
    // 20 June: the month runs to 30 June, flowers for 1 July are due 30 June, inside the month (status normal: after Sunday 22 June)
    const list = obligations(flowersBand, '2025-06-20', { profile: born('1980-07-01') });
    expect(list.filter((o) => o.kind === 'birthday-flowers').map(show)).toEqual(['2025-06-30 生日鲜花/蛋糕 normal']);
  });

  it('a birthday on 1 July seen on Tuesday 24 June: flowers due 30 June (next week, after Sunday 29 June) and the greeting 1 July are listed', () => {
    expect(shown(flowersBand, '2025-06-24', { profile: born('1980-07-01') })).toEqual(['2025-06-30 生日鲜花/蛋糕 normal', '2025-07-01 生日祝福 normal']);
  });
});

describe('29 February birthdays: kept on 28 February in common years', () => {
  const flowersBand = band({ greetings: greetingsOnly(true), birthdayFlowersOrCake: true });
  const profile = born('1992-02-29');
  const cases = [
    { year: 2024, greeting: '2024-02-29', flowers: '2024-02-28', why: '2024 is leap' },
    { year: 2025, greeting: '2025-02-28', flowers: '2025-02-27', why: '2025 is common' },
    { year: 2026, greeting: '2026-02-28', flowers: '2026-02-27', why: '2026 is common' },
    { year: 2028, greeting: '2028-02-29', flowers: '2028-02-28', why: '2028 is leap' },
    { year: 2100, greeting: '2100-02-28', flowers: '2100-02-27', why: '2100 is divisible by 100, not 400: common' },
  ];
  it.each(cases)('$year: greeting $greeting, flowers $flowers ($why)', (c) => {
    const list = obligations(flowersBand, `${c.year}-02-10`, { profile });
    expect(list.map((o) => `${o.kind} ${formatCivilDay(o.due)}`)).toEqual([`birthday-flowers ${c.flowers}`, `birthday-greeting ${c.greeting}`]);
  });

  it('missed on 28 February 2025, still listed on 3 March, and a greeting on 1 March is late', () => {
    const greets = band({ greetings: greetingsOnly(true) });
    expect(shown(greets, '2025-03-03', { profile })).toEqual(['2025-02-28 生日祝福 overdue']);
    expect(shown(greets, '2025-03-03', { profile, log: [contact('2025-03-01', 'birthday-greeting')] })).toEqual(['2025-02-28 生日祝福 done-late @2025-03-01']);
  });
});

describe('holiday greetings', () => {
  const holidays = band({ greetings: greetingsOnly(false, ALL_HOLIDAYS) });
  const hello = (date: string, occasion: HolidayKey, channel: Channel = 'phone') => contact(date, 'holiday-greeting', channel, occasion);

  it('Sunday 20 September 2026: 中秋 on Friday 25 September is owed, next week; 国庆 (1 Oct) is more than 7 days off and in October', () => {
    const list = obligations(holidays, '2026-09-20');
    expect(list.map(show)).toEqual(['2026-09-25 中秋问候 normal']);
    expect(list[0]!.occasion).toBe('zhongqiu');
    expect(list[0]!.kind).toBe('holiday-greeting');
  });

  it('on 中秋 itself (Friday 25 September 2026) it is today, and 国庆 on 1 October, within 7 days, is listed too', () => {
    expect(shown(holidays, '2026-09-25')).toEqual(['2026-09-25 中秋问候 today', '2026-10-01 国庆问候 normal']);
  });

  it('Monday 1 February 2027: 春节 on Saturday 6 February is this week, 元宵 on 20 February later', () => {
    expect(shown(holidays, '2027-02-01')).toEqual(['2027-02-06 春节问候 this-week', '2027-02-20 元宵问候 normal']);
  });

  it.each([
    { today: '2025-01-20', due: '2025-01-29' },
    { today: '2026-02-10', due: '2026-02-17' },
    { today: '2027-02-01', due: '2027-02-06' },
  ])('春节 moves with the lunar calendar: seen on $today it is due $due', (c) => {
    expect(obligations(holidays, c.today).filter((o) => o.occasion === 'chunjie').map((o) => formatCivilDay(o.due))).toEqual([c.due]);
  });

  it('a 春节 greeting made 7 days before, on 30 January 2027 (last month), counts', () => {
    const list = obligations(holidays, '2027-02-08', { log: [hello('2027-01-30', 'chunjie')] });
    expect(list.filter((o) => o.occasion === 'chunjie').map(show)).toEqual(['2027-02-06 春节问候 done @2027-01-30']);
  });

  it('a greeting for 元宵 does not meet 春节, and a WeChat greeting for 春节 does not count', () => {
    const list = obligations(holidays, '2027-02-08', { log: [hello('2027-02-06', 'yuanxiao'), hello('2027-02-06', 'chunjie', 'wechat')] });
    expect(list.filter((o) => o.occasion === 'chunjie').map(show)).toEqual(['2027-02-06 春节问候 overdue']);
  });

  it('端午 2025 fell on 31 May: on 3 June it is still listed, overdue', () => {
    expect(shown(holidays, '2025-06-03')).toEqual(['2025-05-31 端午问候 overdue']);
  });

  it('端午 greeted by SMS on 7 June (7 days late): done late', () => {
    expect(shown(holidays, '2025-06-07', { log: [hello('2025-06-07', 'duanwu', 'sms')] })).toEqual(['2025-05-31 端午问候 done-late @2025-06-07']);
  });

  it('on 8 June, 8 days after 端午, a greeting no longer counts and June (no holiday) owes none', () => {
    expect(obligations(holidays, '2025-06-08')).toEqual([]);
  });

  it('across the year end: Tuesday 30 December 2025 lists 元旦 2026 and a 3 January birthday, both this week (to Sunday 4 January)', () => {
    const withBirthday = band({ greetings: greetingsOnly(true, ALL_HOLIDAYS) });
    expect(shown(withBirthday, '2025-12-30', { profile: born('1970-01-03') })).toEqual(['2026-01-01 元旦问候 this-week', '2026-01-03 生日祝福 this-week']);
  });

  it('a band that greets only 春节 owes nothing for 中秋', () => {
    expect(obligations(band({ greetings: greetingsOnly(false, ['chunjie']) }), '2026-09-20')).toEqual([]);
  });
});

describe('yearly items: spread over the months in the band this year, due at month ends', () => {
  const cases: { name: string; over: Partial<ServiceBand>; since: string; today: string; dues: string[] }[] = [
    { name: '2 salons from January: month ceil(1×12/2)=6 and 12 → 30 June, 31 December', over: { salonsPerYear: 2 }, since: '2025-01', today: '2025-03-10', dues: ['2025-06-30 第1次理财沙龙', '2025-12-31 第2次理财沙龙'] },
    { name: '3 salons from January: months 4, 8, 12 → 30 April, 31 August, 31 December', over: { salonsPerYear: 3 }, since: '2025-01', today: '2025-03-10', dues: ['2025-04-30 第1次理财沙龙', '2025-08-31 第2次理财沙龙', '2025-12-31 第3次理财沙龙'] },
    { name: 'joined in July, 2 salons: owes ceil(2×6/12)=1, due at month ceil(6/1)=6 of the stay → 31 December', over: { salonsPerYear: 2 }, since: '2025-07', today: '2025-07-10', dues: ['2025-12-31 第1次理财沙龙'] },
    { name: 'joined in July, 3 salons: owes ceil(18/12)=2, months ceil(6/2)=3 and 6 of the stay → 30 September, 31 December', over: { salonsPerYear: 3 }, since: '2025-07', today: '2025-07-10', dues: ['2025-09-30 第1次理财沙龙', '2025-12-31 第2次理财沙龙'] },
    { name: 'joined in April (9 months), 3 salons: owes ceil(27/12)=3, months 3, 6, 9 of the stay → June, September, December', over: { salonsPerYear: 3 }, since: '2025-04', today: '2025-04-10', dues: ['2025-06-30 第1次理财沙龙', '2025-09-30 第2次理财沙龙', '2025-12-31 第3次理财沙龙'] },
    { name: 'joined in April, 2 salons: owes ceil(18/12)=2, months ceil(9/2)=5 and 9 → 31 August, 31 December', over: { salonsPerYear: 2 }, since: '2025-04', today: '2025-04-10', dues: ['2025-08-31 第1次理财沙龙', '2025-12-31 第2次理财沙龙'] },
    { name: 'joined in December, 2 salons: owes ceil(2/12)=1, 31 December', over: { salonsPerYear: 2 }, since: '2025-12', today: '2025-12-05', dues: ['2025-12-31 第1次理财沙龙'] },
    { name: '1 gift a year from January: 31 December', over: { giftsPerYear: 1 }, since: '2025-01', today: '2025-03-10', dues: ['2025-12-31 第1次礼品'] },
    { name: '2 gifts from January: 30 June, 31 December', over: { giftsPerYear: 2 }, since: '2025-01', today: '2025-03-10', dues: ['2025-06-30 第1次礼品', '2025-12-31 第2次礼品'] },
    { name: '1 gift, joined in October: owes ceil(3/12)=1, 31 December', over: { giftsPerYear: 1 }, since: '2025-10', today: '2025-10-10', dues: ['2025-12-31 第1次礼品'] },
    { name: '2 head-of-branch visits from January: 30 June, 31 December', over: { headVisitsPerYear: 2 }, since: '2025-01', today: '2025-03-10', dues: ['2025-06-30 第1次行长拜访', '2025-12-31 第2次行长拜访'] },
    { name: 'leap year changes nothing: 2 salons from January 2024 → 30 June, 31 December 2024', over: { salonsPerYear: 2 }, since: '2024-01', today: '2024-02-29', dues: ['2024-06-30 第1次理财沙龙', '2024-12-31 第2次理财沙龙'] },
  ];
  it.each(cases)('$name', (c) => {
    expect(obligations(band(c.over), c.today, { since: c.since }).map((o) => `${formatCivilDay(o.due)} ${o.label}`)).toEqual(c.dues);
  });

  const salons = band({ salonsPerYear: 2 });
  const salon = (date: string, channel: Channel = 'salon') => contact(date, 'salon', channel);

  it('a salon in March meets the first (due 30 June); on 10 July the second is still open', () => {
    expect(shown(salons, '2025-07-10', { log: [salon('2025-03-15')] })).toEqual(['2025-06-30 第1次理财沙龙 done @2025-03-15', '2025-12-31 第2次理财沙龙 normal']);
  });

  it('no salon by 10 July: the first is overdue; one on 5 July is done late', () => {
    expect(shown(salons, '2025-07-10')).toEqual(['2025-06-30 第1次理财沙龙 overdue', '2025-12-31 第2次理财沙龙 normal']);
    expect(shown(salons, '2025-07-10', { log: [salon('2025-07-05')] })).toEqual(['2025-06-30 第1次理财沙龙 done-late @2025-07-05', '2025-12-31 第2次理财沙龙 normal']);
  });

  it('joined in July: a salon attended in March, before the band, does not count', () => {
    expect(shown(salons, '2025-07-10', { since: '2025-07', log: [salon('2025-03-15')] })).toEqual(['2025-12-31 第1次理财沙龙 normal']);
  });

  it('the same salon logged twice (15 March, channel salon) counts once', () => {
    expect(shown(salons, '2025-07-10', { log: [salon('2025-03-15'), salon('2025-03-15')] })).toEqual(['2025-06-30 第1次理财沙龙 done @2025-03-15', '2025-12-31 第2次理财沙龙 normal']);
  });

  it('one salon on one day logged by two channels (salon and meeting) counts once, as two contacts on one day do', () => {
    expect(shown(salons, '2025-07-10', { log: [salon('2025-03-15', 'salon'), salon('2025-03-15', 'meeting')] })).toEqual(['2025-06-30 第1次理财沙龙 done @2025-03-15', '2025-12-31 第2次理财沙龙 normal']);
  });
});

describe('the next due item: the earliest-due one not done', () => {
  // contacts 2, birthday 18 June with flowers, all holidays (none in June 2025 after 端午 31 May), 2 salons from January
  const full = band({ contactsPerMonth: 2, greetings: greetingsOnly(true, ALL_HOLIDAYS), birthdayFlowersOrCake: true, salonsPerYear: 2 });
  const profile = born('1980-06-18');

  it('on 10 June the list runs 15 June contact, 17 June flowers, 18 June greeting, 30 June contact and salon, 31 December salon', () => {
    const list = obligations(full, '2025-06-10', { profile });
    expect(list.map((o) => formatCivilDay(o.due))).toEqual(['2025-06-15', '2025-06-17', '2025-06-18', '2025-06-30', '2025-06-30', '2025-12-31']);
    expect(new Set(list.map((o) => o.label))).toEqual(new Set(['第1次月度联络', '生日鲜花/蛋糕', '生日祝福', '第2次月度联络', '第1次理财沙龙', '第2次理财沙龙']));
    expect(nextDue(list)?.label).toBe('第1次月度联络');
  });

  it('with the first contact done (5 June), the flowers due 17 June are next', () => {
    expect(nextDue(obligations(full, '2025-06-10', { profile, log: [talk('2025-06-05')] }))?.label).toBe('生日鲜花/蛋糕');
  });

  it('with the contact and the flowers done, the greeting due 18 June is next', () => {
    const log = [talk('2025-06-05'), contact('2025-06-09', 'birthday-flowers', 'gift')];
    const next = nextDue(obligations(full, '2025-06-10', { profile, log }));
    expect(next && show(next)).toBe('2025-06-18 生日祝福 normal');
  });

  it('on 20 June with nothing done, the overdue 15 June contact comes before the overdue flowers and greeting', () => {
    const list = obligations(full, '2025-06-20', { profile });
    const next = nextDue(list);
    expect(next && show(next)).toBe('2025-06-15 第1次月度联络 overdue');
    expect(list.filter((o) => o.status === 'overdue').map((o) => o.label)).toEqual(['第1次月度联络', '生日鲜花/蛋糕', '生日祝福']);
  });

  it('a done-late item is not next: the late 15 June contact (made 16 June) is skipped', () => {
    const next = nextDue(obligations(full, '2025-06-20', { profile, log: [talk('2025-06-16')] }));
    expect(next?.label).toBe('生日鲜花/蛋糕');
  });

  it('nothing is next when nothing is owed or everything is done', () => {
    expect(nextDue([])).toBeNull();
    expect(nextDue(obligations(band({ contactsPerMonth: 1 }), '2025-06-30', { log: [talk('2025-06-02')] }))).toBeNull();
  });
});
