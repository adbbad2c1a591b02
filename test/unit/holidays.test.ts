import { describe, expect, it } from 'vitest';
import { birthdayIn } from '../../shared/calendar/birthday.js';
import { civilDay, endOfWeek, formatCivilDay, isoWeekday, parseCivilDay, ymdOf } from '../../shared/calendar/civil-date.js';
import { holidaysOf, type HolidayKey } from '../../shared/calendar/holidays.js';

/**
 * Lunar holidays are checked two ways, so that no single source is trusted unchecked:
 * 1. against dates published by the Purple Mountain Observatory / Hong Kong Observatory
 *    calendars, listed here by hand for many years;
 * 2. against a second, independent implementation — the ICU Chinese calendar built into
 *    Node — for every year 1900–2100. Where ICU disagrees with our library, the year must be
 *    in the published table and our date must match the published one.
 */

const PUBLISHED: Record<number, Partial<Record<HolidayKey, string>>> = {
  1900: { chunjie: '1900-01-31' },
  1949: { chunjie: '1949-01-29' },
  1954: { chunjie: '1954-02-03', yuanxiao: '1954-02-17' },
  1976: { chunjie: '1976-01-31' },
  1980: { chunjie: '1980-02-16' },
  1990: { chunjie: '1990-01-27' },
  1995: { chunjie: '1995-01-31' },
  1997: { chunjie: '1997-02-07' },
  1998: { chunjie: '1998-01-28' },
  1999: { chunjie: '1999-02-16' },
  2000: { chunjie: '2000-02-05' },
  2001: { chunjie: '2001-01-24' },
  2002: { chunjie: '2002-02-12' },
  2003: { chunjie: '2003-02-01' },
  2004: { chunjie: '2004-01-22' },
  2005: { chunjie: '2005-02-09' },
  2006: { chunjie: '2006-01-29' },
  2007: { chunjie: '2007-02-18' },
  2008: { chunjie: '2008-02-07' },
  2009: { chunjie: '2009-01-26' },
  2010: { chunjie: '2010-02-14' },
  2011: { chunjie: '2011-02-03' },
  2012: { chunjie: '2012-01-23' },
  2013: { chunjie: '2013-02-10' },
  2014: { chunjie: '2014-01-31' },
  2015: { chunjie: '2015-02-19', duanwu: '2015-06-20', zhongqiu: '2015-09-27' },
  2016: { chunjie: '2016-02-08', duanwu: '2016-06-09', zhongqiu: '2016-09-15' },
  2017: { chunjie: '2017-01-28', duanwu: '2017-05-30', zhongqiu: '2017-10-04' },
  2018: { chunjie: '2018-02-16', duanwu: '2018-06-18', zhongqiu: '2018-09-24' },
  2019: { chunjie: '2019-02-05', duanwu: '2019-06-07', zhongqiu: '2019-09-13' },
  2020: { chunjie: '2020-01-25', duanwu: '2020-06-25', zhongqiu: '2020-10-01' },
  2021: { chunjie: '2021-02-12', duanwu: '2021-06-14', zhongqiu: '2021-09-21' },
  2022: { chunjie: '2022-02-01', duanwu: '2022-06-03', zhongqiu: '2022-09-10' },
  2023: { chunjie: '2023-01-22', duanwu: '2023-06-22', zhongqiu: '2023-09-29' },
  2024: { chunjie: '2024-02-10', yuanxiao: '2024-02-24', duanwu: '2024-06-10', zhongqiu: '2024-09-17' },
  2025: { chunjie: '2025-01-29', yuanxiao: '2025-02-12', duanwu: '2025-05-31', zhongqiu: '2025-10-06' },
  2026: { chunjie: '2026-02-17', yuanxiao: '2026-03-03', duanwu: '2026-06-19', zhongqiu: '2026-09-25' },
  2027: { chunjie: '2027-02-06', yuanxiao: '2027-02-20', duanwu: '2027-06-09', zhongqiu: '2027-09-15' },
  2028: { chunjie: '2028-01-26', duanwu: '2028-05-28', zhongqiu: '2028-10-03' },
  2029: { chunjie: '2029-02-13' },
  2030: { chunjie: '2030-02-03', yuanxiao: '2030-02-17' },
};

function holidayDate(year: number, key: HolidayKey): string {
  const found = holidaysOf(year).find((h) => h.key === key);
  return formatCivilDay(found!.date);
}

describe('holidays of a year', () => {
  it('lists the seven greeting holidays of 2026 in date order', () => {
    expect(holidaysOf(2026).map((h) => `${h.zh} ${formatCivilDay(h.date)}`)).toEqual([
      '元旦 2026-01-01',
      '春节 2026-02-17',
      '元宵 2026-03-03',
      '劳动节 2026-05-01',
      '端午 2026-06-19',
      '中秋 2026-09-25',
      '国庆 2026-10-01',
    ]);
  });

  const cases = Object.entries(PUBLISHED).flatMap(([year, dates]) => Object.entries(dates).map(([key, date]) => [Number(year), key as HolidayKey, date] as const));
  it.each(cases)('%d %s is on the published date %s', (year, key, date) => {
    expect(holidayDate(year, key)).toBe(date);
  });

  it('puts 端午 in the regular fifth month in 2028, a year with a leap fifth month (闰五月)', () => {
    // The leap month runs 2028-06-23 … 2028-07-21; 端午 is on the fifth day of the regular one.
    expect(holidayDate(2028, 'duanwu')).toBe('2028-05-28');
  });

  it('agrees with Node’s ICU Chinese calendar for 1900–2100, except where published dates settle it', () => {
    const icu = new Intl.DateTimeFormat('en-u-ca-chinese', { timeZone: 'UTC', month: 'numeric', day: 'numeric' });
    const lunarDays: Record<string, HolidayKey> = { '1-1': 'chunjie', '1-15': 'yuanxiao', '5-5': 'duanwu', '8-15': 'zhongqiu' };
    const disagreements: string[] = [];
    let compared = 0;
    for (let year = 1900; year <= 2100; year++) {
      const byIcu = new Map<HolidayKey, string>();
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const parts = Object.fromEntries(icu.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
        const key = lunarDays[`${parts.month}-${parts.day}`];
        if (key) byIcu.set(key, new Date(t).toISOString().slice(0, 10));
      }
      for (const key of ['chunjie', 'yuanxiao', 'duanwu', 'zhongqiu'] as const) {
        compared++;
        const ours = holidayDate(year, key);
        if (byIcu.get(key) === ours) continue;
        disagreements.push(`${year} ${key}`);
        // A disagreement is only acceptable where a published date says we are right.
        expect(PUBLISHED[year]?.[key], `${year} ${key}: ours ${ours}, ICU ${byIcu.get(key)}, no published date to settle it`).toBe(ours);
      }
    }
    expect(compared).toBe(201 * 4);
    // Few, and each settled above (ICU places 春节 1954, 2027 and 2030 a day off).
    expect(disagreements.length).toBeLessThanOrEqual(8);
  });

  it('refuses years outside 1900–2100', () => {
    expect(() => holidaysOf(1899)).toThrow(RangeError);
    expect(() => holidaysOf(2101)).toThrow(RangeError);
  });
});

describe('civil dates', () => {
  it.each([
    ['1970-01-01', 0, 4],
    ['2000-02-29', 11016, 2],
    ['2026-11-29', 20786, 7],
    ['1900-01-01', -25567, 1],
    ['2100-12-31', 47846, 5],
  ])('%s is day %d, weekday %d', (text, dayNumber, weekday) => {
    expect(parseCivilDay(text)).toBe(dayNumber);
    expect(formatCivilDay(dayNumber)).toBe(text);
    expect(isoWeekday(dayNumber)).toBe(weekday);
  });

  it('round-trips every day 1900–2100', () => {
    for (let d = civilDay(1900, 1, 1); d <= civilDay(2100, 12, 31); d++) {
      const { year, month, day } = ymdOf(d);
      expect(civilDay(year, month, day)).toBe(d);
    }
  });

  it('ends the week on Sunday: Wednesday 2026-11-25 → Sunday 2026-11-29; a Sunday ends its own week', () => {
    expect(formatCivilDay(endOfWeek(parseCivilDay('2026-11-25')!))).toBe('2026-11-29');
    expect(formatCivilDay(endOfWeek(parseCivilDay('2026-11-29')!))).toBe('2026-11-29');
  });

  it.each(['2025-02-29', '2026-13-01', '1899-12-31', '2026-1-1'])('refuses %j', (text) => {
    expect(parseCivilDay(text)).toBeNull();
  });
});

describe('birthdays', () => {
  it('keeps 29 February on 28 February in common years and on the 29th in leap years', () => {
    expect(formatCivilDay(birthdayIn(2025, 2, 29))).toBe('2025-02-28');
    expect(formatCivilDay(birthdayIn(2028, 2, 29))).toBe('2028-02-29');
    expect(formatCivilDay(birthdayIn(2100, 2, 29))).toBe('2100-02-28'); // 2100 is not a leap year
    expect(formatCivilDay(birthdayIn(2026, 12, 31))).toBe('2026-12-31');
  });
});
