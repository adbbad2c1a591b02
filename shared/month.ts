/**
 * Calendar months as small integers: index = year × 12 + (month − 1).
 * Integer months make the engine's month arithmetic exact and allocation-free;
 * strings (`YYYY-MM`) exist only at the edges.
 */
export type MonthIndex = number;

/** Years the bank's calendar covers; anything outside is an input error, not a date. */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2100;

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;
const DAYS_IN_COMMON_YEAR = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Parses `YYYY-MM`; returns null for anything else (callers turn that into a located error). */
export function parseMonth(text: string): MonthIndex | null {
  const match = MONTH_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12 || year < FIRST_YEAR || year > LAST_YEAR) return null;
  return year * 12 + month - 1;
}

export function formatMonth(index: MonthIndex): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${year}-${month < 10 ? '0' : ''}${month}`;
}

export function yearOf(index: MonthIndex): number {
  return Math.floor(index / 12);
}

/** 0 = January … 11 = December. */
export function monthOfYear(index: MonthIndex): number {
  return index - Math.floor(index / 12) * 12;
}

/** Calendar length of the month: 28–31. */
export function daysInMonth(index: MonthIndex): number {
  const month = monthOfYear(index);
  if (month === 1 && isLeapYear(yearOf(index))) return 29;
  return DAYS_IN_COMMON_YEAR[month] as number;
}

/** Total calendar days of the months first … last inclusive (0 when last < first). */
export function daysBetween(first: MonthIndex, last: MonthIndex): number {
  let days = 0;
  for (let m = first; m <= last; m++) days += daysInMonth(m);
  return days;
}

/** First month of the calendar-aligned block of `length` months (1, 3, 6 or 12) holding `index`. */
export function blockStart(index: MonthIndex, length: number): MonthIndex {
  return index - (index % length);
}

/** Last month of that block: the month an assessment of that period is made at. */
export function blockEnd(index: MonthIndex, length: number): MonthIndex {
  return blockStart(index, length) + length - 1;
}

export const QUARTER_MONTHS = 3;
