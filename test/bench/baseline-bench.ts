import type { CustomerFacts } from '../../shared/customer-facts.js';
import { formatMonth } from '../../shared/month.js';
import { createTierEngine, type TierAssessment } from '../../shared/tier-engine.js';
import type { BenchConfig } from './bench-config.js';
import { schemeFor } from './engine-bench.js';
import { averageThresholdsOf, createCustomerGenerator, nextChunk } from './generate-customers.js';
import { collectGarbage } from './memory-probe.js';
import { createRulesEngineBaseline, type BaselineOutcome } from './rules-engine-baseline.js';

/**
 * Phase 2: the first `baselineSample` customers of the same stream through json-rules-engine
 * and through our engine; every customer's levels, tier history, final tier and watch flag
 * must agree.
 */

export interface Mismatch {
  customerId: string;
  what: string;
  ours: string;
  baseline: string;
}

export interface BaselineBenchResult {
  sample: number;
  warmup: number;
  rulesEngineRuns: number;
  baselineSeconds: number;
  baselinePerSecond: number;
  oursSeconds: number;
  oursRounds: number;
  oursPerSecond: number;
  agreed: number;
  mismatchCount: number;
  /** the first few, for the report */
  mismatches: Mismatch[];
}

const MISMATCHES_SHOWN = 10;
const OURS_ROUNDS = 10;

export async function runBaselineBench(config: BenchConfig): Promise<BaselineBenchResult> {
  const scheme = schemeFor(config);
  const next = createCustomerGenerator({ ...config, averageThresholds: averageThresholdsOf(scheme) });
  const sample = nextChunk(next, config.baselineSample);
  const baseline = createRulesEngineBaseline(scheme);
  const engine = createTierEngine(scheme);
  const warmup = Math.min(config.baselineWarmup, sample.length);

  for (let i = 0; i < warmup; i++) {
    await baseline(sample[i]!);
    engine.assess(sample[i]!);
  }

  collectGarbage();
  const baselineOutcomes: BaselineOutcome[] = [];
  const baselineStart = process.hrtime.bigint();
  for (const customer of sample) baselineOutcomes.push(await baseline(customer));
  const baselineSeconds = Number(process.hrtime.bigint() - baselineStart) / 1e9;

  // A few thousand customers take our engine milliseconds: repeat the sample for a steadier figure.
  collectGarbage();
  let oursTiers = 0;
  const oursStart = process.hrtime.bigint();
  for (let round = 0; round < OURS_ROUNDS; round++) for (const customer of sample) oursTiers += engine.assess(customer).tier;
  const oursSeconds = Number(process.hrtime.bigint() - oursStart) / 1e9;
  if (oursTiers < 0) throw new Error('unreachable: keeps the timed loop from being optimised away');
  const ours = sample.map((customer) => engine.assess(customer));

  const code = (tier: number) => scheme.tiers[tier]?.code ?? `#${tier}`;
  const mismatches: Mismatch[] = [];
  let mismatchCount = 0;
  let rulesEngineRuns = 0;
  sample.forEach((customer, i) => {
    const b = baselineOutcomes[i]!;
    rulesEngineRuns += b.levels.length;
    const problem = compare(customer, ours[i]!, b, code);
    if (problem === null) return;
    mismatchCount++;
    if (mismatches.length < MISMATCHES_SHOWN) mismatches.push(problem);
  });

  return {
    sample: sample.length,
    warmup,
    rulesEngineRuns,
    baselineSeconds,
    baselinePerSecond: sample.length / baselineSeconds,
    oursSeconds,
    oursRounds: OURS_ROUNDS,
    oursPerSecond: (OURS_ROUNDS * sample.length) / oursSeconds,
    agreed: sample.length - mismatchCount,
    mismatchCount,
    mismatches,
  };
}

/** The first disagreement between the two engines for one customer, or null. */
function compare(customer: CustomerFacts, a: TierAssessment, b: BaselineOutcome, code: (tier: number) => string): Mismatch | null {
  const id = customer.customerId;
  const firstAssessment = a.firstAssessment ?? 0;
  const at = (k: number) => formatMonth(firstAssessment + k * a.periodMonths);
  if (a.levels.length !== b.levels.length) {
    return { customerId: id, what: 'number of assessments', ours: String(a.levels.length), baseline: String(b.levels.length) };
  }
  for (let k = 0; k < b.levels.length; k++) {
    if (a.levels[k] !== b.levels[k]) return { customerId: id, what: `level at ${at(k)}`, ours: code(a.levels[k]!), baseline: code(b.levels[k]!) };
    if (a.tiers[k] !== b.tiers[k]) return { customerId: id, what: `tier after ${at(k)}`, ours: code(a.tiers[k]!), baseline: code(b.tiers[k]!) };
  }
  if (a.tier !== b.tier) return { customerId: id, what: 'final tier', ours: code(a.tier), baseline: code(b.tier) };
  if (a.watch !== b.watch) return { customerId: id, what: 'watch', ours: String(a.watch), baseline: String(b.watch) };
  return null;
}
