import { daysInMonth, parseMonth, type MonthIndex } from './month.js';

/** A calendar date of the bank (Asia/Shanghai), as the month it falls in and its day. */
export interface BusinessDate {
  month: MonthIndex;
  day: number;
}

/** Parses `YYYY-MM-DD` strictly (no 2025-02-30); null when it is not such a date. */
export function parseBusinessDate(text: string): BusinessDate | null {
  const match = /^(\d{4}-\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const month = parseMonth(match[1] as string);
  const day = Number(match[2]);
  if (month === null || day < 1 || day > daysInMonth(month)) return null;
  return { month, day };
}
