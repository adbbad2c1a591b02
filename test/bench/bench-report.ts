import { formatMonth } from '../../shared/month.js';
import type { BenchConfig } from './bench-config.js';
import type { PhaseResults } from './bench-phases.js';
import type { Mismatch } from './baseline-bench.js';

/** The targets the figures are held against (the acceptance figures). */
export const TARGETS = {
  customersPerSecond: 1_000_000,
  peakRssMiB: 1024,
  speedUp: 20,
} as const;

export interface BenchContext {
  config: BenchConfig;
  schemeLabel: string;
  rulesEngineVersion: string;
}

/** A table row (measure, figure, target), or a section heading. */
export type Row = [measure: string, figure: string, target: string] | string;

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (s: number) => `${s.toFixed(2)} s`;
const mib = (n: number) => `${count(n)} MiB`;
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

/** The whole report: a heading, one table with a section per phase (then `moreRows`, e.g. the Firestore sections), then one verdict line per target. */
export function formatReport(context: BenchContext, results: Pick<PhaseResults, 'baseline' | 'engine' | 'pipeline'>, moreRows: readonly Row[] = []): string {
  const { engine, baseline, pipeline } = results;
  const { config } = context;
  const speedUp = engine.customersPerSecond / baseline.baselinePerSecond;
  const tiers = Object.entries(engine.finalTiers)
    .map(([code, n]) => `${code} ${percent(n, engine.customers)}`)
    .join(' · ');
  const rows: Row[] = [
    `Engine: createTierEngine(${config.schemeId}).assess — replay, watch and gap, one core`,
    ['customers × months', `${count(engine.customers)} × ${config.monthsPerCustomer}`, ''],
    ['assessments replayed', count(engine.assessments), ''],
    ['assess time (generation excluded)', seconds(engine.assessSeconds), ''],
    ['throughput', `${count(engine.customersPerSecond)} customers/s`, `≥ ${count(TARGETS.customersPerSecond)} customers/s`],
    ['time per customer', `${((1e6 * engine.assessSeconds) / engine.customers).toFixed(2)} µs`, ''],
    ['peak RSS (maxRSS, whole phase)', mib(engine.memory.maxRssMiB), `≤ ${mib(TARGETS.peakRssMiB)}`],
    ['peak heap used / committed (sampled)', `${mib(engine.memory.heapUsedMiB)} / ${mib(engine.memory.heapTotalMiB)}`, ''],
    ['generating the customers (not timed)', seconds(engine.generateSeconds), ''],
    ['final tiers', tiers, ''],
    ['on watch / ever retained / ever downgraded', `${percent(engine.onWatch, engine.customers)} / ${percent(engine.everRetained, engine.customers)} / ${percent(engine.everDowngraded, engine.customers)}`, ''],
    `Baseline: json-rules-engine ${context.rulesEngineVersion}, the same scheme as one rule per tier`,
    ['customers sampled (first of the same stream)', `${count(baseline.sample)} (after ${count(baseline.warmup)} warm-up)`, ''],
    ['rules-engine runs (one per assessment)', count(baseline.rulesEngineRuns), ''],
    ['baseline time', seconds(baseline.baselineSeconds), ''],
    ['baseline throughput', `${count(baseline.baselinePerSecond)} customers/s`, ''],
    ['ours on the same sample', `${count(baseline.oursPerSecond)} customers/s (${baseline.oursRounds} rounds)`, ''],
    ['speed-up (ours 1M run / baseline)', `${speedUp.toFixed(1)}×`, `≥ ${TARGETS.speedUp}×`],
    ['cross-check: levels, tiers, final tier, watch', `${count(baseline.agreed)} / ${count(baseline.sample)} agree`, 'all'],
    'CLI pipeline: readline → JSON.parse → zod → assess → JSON out (runJsonLines + assessLineProcessor)',
    ['lines (generated on demand, output discarded)', count(pipeline.lines), ''],
    ['time', seconds(pipeline.seconds), ''],
    ['throughput', `${count(pipeline.linesPerSecond)} lines/s`, 'informational'],
    ['throughput without line generation', `${count(pipeline.linesPerSecondExcludingGeneration)} lines/s`, ''],
    ['input / output text', `${mib(pipeline.inputMiB)} / ${mib(pipeline.outputMiB)}`, ''],
    ['RSS after 10% of lines / at the end', `${mib(pipeline.rssAtTenthMiB)} / ${mib(pipeline.rssAtEndMiB)}`, ''],
    ['peak RSS (maxRSS) / peak heap used', `${mib(pipeline.memory.maxRssMiB)} / ${mib(pipeline.memory.heapUsedMiB)}`, ''],
    ...moreRows,
  ];
  const verdicts = [
    verdict(engine.customersPerSecond >= TARGETS.customersPerSecond, 'engine throughput', `${count(engine.customersPerSecond)} customers/s`, `≥ ${count(TARGETS.customersPerSecond)}`),
    verdict(engine.memory.maxRssMiB <= TARGETS.peakRssMiB, 'engine peak memory', `${mib(engine.memory.maxRssMiB)} maxRSS`, `≤ ${mib(TARGETS.peakRssMiB)}`),
    verdict(speedUp >= TARGETS.speedUp, 'speed-up over json-rules-engine', `${speedUp.toFixed(1)}×`, `≥ ${TARGETS.speedUp}×`),
    verdict(baseline.mismatchCount === 0, 'cross-check with json-rules-engine', `${count(baseline.agreed)} / ${count(baseline.sample)} customers agree`, 'all'),
  ];
  return [heading(context), '', table(rows), '', ...verdicts].join('\n');
}

export function heading(context: BenchContext): string {
  const { config } = context;
  const months = `${config.monthsPerCustomer} months from ${formatMonth(config.firstMonth)}`;
  return (
    `wealth-ladder bench — scheme ${context.schemeLabel}; Node ${process.version} ${process.platform}/${process.arch}\n` +
    `generated customers: seed ${config.seed}, ${months}; every phase reads the same stream, in its own process`
  );
}

export function formatMismatches(mismatches: readonly Mismatch[], total: number): string {
  const lines = mismatches.map((m) => `  ${m.customerId}: ${m.what}: ours ${m.ours}, json-rules-engine ${m.baseline}`);
  const more = total > mismatches.length ? [`  … and ${count(total - mismatches.length)} more`] : [];
  return [`CROSS-CHECK FAILED: ${count(total)} customers differ between the engine and the json-rules-engine baseline`, ...lines, ...more].join('\n');
}

function verdict(pass: boolean, what: string, figure: string, target: string): string {
  return `${pass ? 'PASS' : 'MISS'}  ${what}: ${figure} (target ${target})`;
}

/** Rows as a text table: measure │ figure │ target, a rule around each section heading. */
export function table(rows: readonly Row[]): string {
  const cells = rows.filter((r): r is [string, string, string] => typeof r !== 'string');
  const width = [0, 1, 2].map((c) => Math.max(...cells.map((r) => r[c]!.length)));
  const rule = '─'.repeat(width[0]! + width[1]! + width[2]! + 8);
  const out = [
    ` ${'measure'.padEnd(width[0]!)}  │ ${'figure'.padEnd(width[1]!)}  │ target`,
  ];
  for (const row of rows) {
    if (typeof row === 'string') {
      out.push(rule, ` ${row}`, rule);
      continue;
    }
    out.push(` ${row[0].padEnd(width[0]!)}  │ ${row[1].padEnd(width[1]!)}  │ ${row[2]}`);
  }
  out.push(rule);
  return out.join('\n');
}
