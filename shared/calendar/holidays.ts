import { Lunar } from 'lunar-typescript';
import { civilDay, type CivilDay } from './civil-date.js';

/**
 * The holidays on which a bank greets its customers (docs/domain.md D2): three on the Gregorian
 * calendar and four on the lunar one. Lunar dates come from lunar-typescript (6tail's
 * astronomical 寿星天文历 tables); test/unit/holidays.test.ts checks them for every year
 * 1900–2100 against the ICU Chinese calendar built into Node and, where the two disagree,
 * against published dates.
 */
export const HOLIDAYS = [
  { key: 'yuandan', zh: '元旦', en: "New Year's Day" },
  { key: 'chunjie', zh: '春节', en: 'Spring Festival' },
  { key: 'yuanxiao', zh: '元宵', en: 'Lantern Festival' },
  { key: 'laodong', zh: '劳动节', en: 'Labour Day' },
  { key: 'duanwu', zh: '端午', en: 'Dragon Boat Festival' },
  { key: 'zhongqiu', zh: '中秋', en: 'Mid-Autumn Festival' },
  { key: 'guoqing', zh: '国庆', en: 'National Day' },
] as const;

export type HolidayKey = (typeof HOLIDAYS)[number]['key'];
export const HOLIDAY_KEYS = HOLIDAYS.map((h) => h.key) as HolidayKey[];

export interface HolidayDate {
  key: HolidayKey;
  zh: string;
  date: CivilDay;
}

/** Lunar month and day of each lunar holiday; the regular month, never a leap (闰) one. */
const LUNAR: Partial<Record<HolidayKey, [number, number]>> = {
  chunjie: [1, 1],
  yuanxiao: [1, 15],
  duanwu: [5, 5],
  zhongqiu: [8, 15],
};
const GREGORIAN: Partial<Record<HolidayKey, [number, number]>> = {
  yuandan: [1, 1],
  laodong: [5, 1],
  guoqing: [10, 1],
};

/**
 * Every greeting holiday of a Gregorian year (1900–2100), in date order. Each falls exactly
 * once a year: the lunar year that starts in Gregorian year Y has its 1st, 5th and 8th months
 * inside Y (春节 always falls between 21 January and 20 February).
 */
export function holidaysOf(year: number): HolidayDate[] {
  if (!Number.isInteger(year) || year < 1900 || year > 2100) throw new RangeError(`holidays are known for 1900–2100, not ${year}`);
  const dates = HOLIDAYS.map(({ key, zh }) => {
    const gregorian = GREGORIAN[key];
    if (gregorian) return { key, zh, date: civilDay(year, gregorian[0], gregorian[1]) };
    const [month, day] = LUNAR[key] as [number, number];
    const solar = Lunar.fromYmd(year, month, day).getSolar();
    return { key, zh, date: civilDay(solar.getYear(), solar.getMonth(), solar.getDay()) };
  });
  return dates.sort((a, b) => a.date - b.date);
}

export function holidayName(key: HolidayKey): string {
  return HOLIDAYS.find((h) => h.key === key)?.zh ?? key;
}
