import { parseArgs } from 'node:util';

/** What one bench run measures; every phase gets the same copy, so they see the same customers. */
export interface BenchConfig {
  schemeId: string;
  seed: number;
  /** first fact month of every generated customer (MonthIndex) */
  firstMonth: number;
  monthsPerCustomer: number;
  customers: number;
  chunkSize: number;
  baselineSample: number;
  baselineWarmup: number;
  pipelineLines: number;
}

export const DEFAULT_CONFIG: BenchConfig = {
  schemeId: 'boc',
  seed: 20240601,
  firstMonth: 2023 * 12, // 2023-01 … 2024-12: 24 months, a leap February included
  monthsPerCustomer: 24,
  customers: 1_000_000,
  chunkSize: 10_000,
  baselineSample: 5_000,
  baselineWarmup: 250,
  pipelineLines: 200_000,
};

/** `--customers N --sample N --lines N --seed N` shrink or vary a run (for trying things out); defaults are the benchmark. */
export function parseBenchArgs(args: string[]): BenchConfig {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string' },
      sample: { type: 'string' },
      lines: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  const whole = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got "${text}"`);
    return n;
  };
  return {
    ...DEFAULT_CONFIG,
    customers: whole('customers', values.customers, DEFAULT_CONFIG.customers),
    baselineSample: whole('sample', values.sample, DEFAULT_CONFIG.baselineSample),
    pipelineLines: whole('lines', values.lines, DEFAULT_CONFIG.pipelineLines),
    seed: whole('seed', values.seed, DEFAULT_CONFIG.seed),
  };
}
