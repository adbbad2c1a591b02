import { describe, expect, it } from 'vitest';
import { parseBusinessDate } from '../../shared/business-date.js';
import { blockEnd, blockStart, daysBetween, daysInMonth, formatMonth, parseMonth } from '../../shared/month.js';

const m = (text: string) => parseMonth(text) as number;

describe('months', () => {
  it('round-trips YYYY-MM', () => {
    for (const text of ['1900-01', '2024-02', '2025-12', '2100-12']) expect(formatMonth(m(text))).toBe(text);
  });

  it.each(['2025-13', '2025-00', '25-01', '2025-1', '1899-12', '2101-01', '2025-01-01', ''])('refuses %j', (text) => {
    expect(parseMonth(text)).toBeNull();
  });

  it.each([
    ['2024-02', 29], // divisible by 4
    ['2025-02', 28],
    ['2100-02', 28], // divisible by 100, not 400
    ['2000-02', 29], // divisible by 400
    ['2025-04', 30],
    ['2025-12', 31],
  ])('%s has %d days', (text, days) => {
    expect(daysInMonth(m(text))).toBe(days);
  });

  it('counts the days of a quarter: Q1 2024 = 31 + 29 + 31 = 91, Q1 2025 = 90', () => {
    expect(daysBetween(m('2024-01'), m('2024-03'))).toBe(91);
    expect(daysBetween(m('2025-01'), m('2025-03'))).toBe(90);
    expect(daysBetween(m('2025-03'), m('2025-02'))).toBe(0);
  });

  it.each([
    ['2025-05', 3, '2025-04', '2025-06'],
    ['2025-12', 3, '2025-10', '2025-12'],
    ['2025-07', 6, '2025-07', '2025-12'],
    ['2025-02', 12, '2025-01', '2025-12'],
    ['2025-02', 1, '2025-02', '2025-02'],
  ])('%s in blocks of %d runs %s … %s', (text, length, start, end) => {
    expect(formatMonth(blockStart(m(text), length))).toBe(start);
    expect(formatMonth(blockEnd(m(text), length))).toBe(end);
  });
});

describe('business dates', () => {
  it('reads a date into its month and day', () => {
    expect(parseBusinessDate('2024-02-29')).toEqual({ month: m('2024-02'), day: 29 });
  });
  it.each(['2025-02-29', '2025-04-31', '2025-4-1', '2025-04-00', 'today'])('refuses %j', (text) => {
    expect(parseBusinessDate(text)).toBeNull();
  });
});
