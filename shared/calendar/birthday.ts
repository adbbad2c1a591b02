import { isLeapYear } from '../month.js';
import { civilDay, type CivilDay } from './civil-date.js';

/**
 * The day a birthday is kept in a given year: 29 February falls on 28 February in common
 * years (the last day of the customer's birth month, which is what branches do).
 */
export function birthdayIn(year: number, birthMonth: number, birthDay: number): CivilDay {
  if (birthMonth === 2 && birthDay === 29 && !isLeapYear(year)) return civilDay(year, 2, 28);
  return civilDay(year, birthMonth, birthDay);
}

/** Whole years of age on a day. */
export function ageOn(day: { year: number; month: number; day: number }, birth: { year: number; month: number; day: number }): number {
  const hadBirthday = day.month > birth.month || (day.month === birth.month && day.day >= birth.day);
  return day.year - birth.year - (hadBirthday ? 0 : 1);
}
