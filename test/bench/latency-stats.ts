/** Latency figures of a series of sequential requests, in milliseconds. */
export interface LatencyStats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Percentiles by nearest rank: the smallest sample with at least p % of the samples at or
 * below it (so p50 of 1..200 is the 100th sample and p99 of 50 samples is the largest).
 */
export function latencyStats(millis: readonly number[]): LatencyStats {
  if (millis.length === 0) throw new Error('latencyStats: no samples');
  const sorted = [...millis].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { count: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted[sorted.length - 1]!, mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}
