import { describe, expect, it } from 'vitest';
import { ceilDiv, floorDiv, formatYuan, parseYuan } from '../../shared/money.js';

describe('parseYuan reads yuan into integer fen without floating point', () => {
  it.each([
    ['200000', 20_000_000],
    ['200000.00', 20_000_000],
    ['0.1', 10],
    ['0.01', 1],
    ['1,234.56', 123_456],
    [' 42 ', 4_200],
    [1234.1, 123_410], // JSON.parse gives 1234.1; its shortest spelling is read, so no 1234.0999… error
    [0.29, 29], // 0.29 × 100 = 28.999999999999996 in floating point: reading the spelling gives 29
    [1.15, 115], // 1.15 × 100 = 114.99999999999999 in floating point
    [0, 0],
    ['-5.5', -550],
    ['1000000000000', 100_000_000_000_000],
  ])('%j → %d fen', (input, fen) => {
    expect(parseYuan(input)).toEqual({ ok: true, fen });
  });

  it.each([
    ['12.345', 'too-many-decimals'],
    [0.001, 'too-many-decimals'],
    [1e-7, 'too-many-decimals'],
    ['abc', 'not-a-number'],
    ['', 'not-a-number'],
    ['1e5', 'not-a-number'],
    [Number.NaN, 'not-a-number'],
    [Number.POSITIVE_INFINITY, 'not-a-number'],
    [true, 'not-a-number'],
    [null, 'not-a-number'],
    ['1000000000000.01', 'too-large'],
    [1e21, 'too-large'],
    ['99999999999999999', 'too-large'],
  ])('%j is refused as %s', (input, problem) => {
    expect(parseYuan(input)).toEqual({ ok: false, problem });
  });
});

describe('formatYuan writes exactly two decimals', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [10, '0.10'],
    [123_456, '1234.56'],
    [20_000_000, '200000.00'],
    [-5, '-0.05'],
    [100_000_000_000_000, '1000000000000.00'],
  ])('%d fen → %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });
});

describe('integer division stays exact near 2^53', () => {
  it.each([
    [7, 2, 3, 4],
    [6, 3, 2, 2],
    [0, 5, 0, 0],
    [-7, 2, -4, -3],
    [9_007_199_254_740_991, 3, 3_002_399_751_580_330, 3_002_399_751_580_331], // 2^53−1 = 3 × 3002399751580330 + 1
  ])('%d / %d: floor %d, ceil %d', (n, d, floor, ceil) => {
    expect(floorDiv(n, d)).toBe(floor);
    expect(ceilDiv(n, d)).toBe(ceil);
  });
});
