import { describe, expect, it } from 'vitest';
import { latencyStats } from '../../test/bench/latency-stats.js';

/** The bench's percentiles (nearest rank), on samples whose answer can be counted by hand. */

describe('latencyStats (nearest rank)', () => {
  it('1 … 200 in any order: p50 is the 100th sample, p95 the 190th, p99 the 198th', () => {
    // ceil(0.50 × 200) = 100, ceil(0.95 × 200) = 190, ceil(0.99 × 200) = 198; mean (1 + 200) / 2 = 100.5
    const samples = Array.from({ length: 200 }, (_, i) => ((i * 37) % 200) + 1);
    expect(new Set(samples).size).toBe(200);
    expect(latencyStats(samples)).toEqual({ count: 200, p50: 100, p95: 190, p99: 198, max: 200, mean: 100.5 });
  });

  it('50 samples: p95 is the 48th and p99 the largest', () => {
    // ceil(0.95 × 50) = 48 (47.5 rounded up), ceil(0.99 × 50) = 50, ceil(0.5 × 50) = 25
    const samples = Array.from({ length: 50 }, (_, i) => 10 * (50 - i));
    expect(latencyStats(samples)).toMatchObject({ p50: 250, p95: 480, p99: 500, max: 500 });
  });

  it('one sample is every percentile; no sample is an error', () => {
    expect(latencyStats([7.5])).toEqual({ count: 1, p50: 7.5, p95: 7.5, p99: 7.5, max: 7.5, mean: 7.5 });
    expect(() => latencyStats([])).toThrow('no samples');
  });
});
