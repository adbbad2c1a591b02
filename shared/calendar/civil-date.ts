import { daysInMonth, type MonthIndex } from '../month.js';

/**
 * A calendar date of the bank as a day number (days since 1970-01-01), so that "how many
 * days until" is a subtraction. The bank's calendar is Asia/Shanghai: a CivilDay is a
 * local date and never passes through a time zone; turning "now" into one is the
 * adapters' job.
 */
export type CivilDay = number;

export interface YearMonthDay {
  year: number;
  month: number;
  day: number;
}

/** Days from 1970-01-01 (proleptic Gregorian; after H. Hinnant's days_from_civil). */
export function civilDay(year: number, month: number, day: number): CivilDay {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function ymdOf(dayNumber: CivilDay): YearMonthDay {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Parses `YYYY-MM-DD` strictly (1900–2100, real days only); null otherwise. */
export function parseCivilDay(text: string): CivilDay | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year * 12 + month - 1)) return null;
  return civilDay(year, month, day);
}

export function formatCivilDay(dayNumber: CivilDay): string {
  const { year, month, day } = ymdOf(dayNumber);
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** ISO weekday: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(dayNumber: CivilDay): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

/** The Sunday that ends the Monday-to-Sunday week holding the day. */
export function endOfWeek(dayNumber: CivilDay): CivilDay {
  return dayNumber + 7 - isoWeekday(dayNumber);
}

export function monthOfDay(dayNumber: CivilDay): MonthIndex {
  const { year, month } = ymdOf(dayNumber);
  return year * 12 + month - 1;
}

export function firstDayOfMonth(month: MonthIndex): CivilDay {
  return civilDay(Math.floor(month / 12), (month % 12) + 1, 1);
}

export function lastDayOfMonth(month: MonthIndex): CivilDay {
  return firstDayOfMonth(month) + daysInMonth(month) - 1;
}
