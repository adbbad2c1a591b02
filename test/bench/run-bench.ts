import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { groupRuns, parseBenchArgs, type BenchConfig } from './bench-config.js';
import type { PhaseName, PhaseResults } from './bench-phases.js';
import { nightStateRows, nightStateVerdict } from './night-state-bench.js';
import { formatMismatches, formatReport, heading, table, type BenchContext, type Row } from './bench-report.js';
import { firestoreRows, ingestVerdicts } from './firestore-report.js';
import { sheetEditRows, sheetEditVerdicts, sheetsRequestRows, sheetsVerdicts } from './sheets-report.js';
import { sheetEditLoadRows, sheetEditLoadVerdict } from './sheet-edit-load-report.js';
import { quotaRows, quotaVerdict } from './quota-bench.js';
import { nightSimRows, nightSimVerdicts } from './night-sim-bench.js';

/**
 * `npm run bench`: runs each phase in a child process of its own (so each maxRSS is that
 * phase's), the cross-check first — timing an engine that disagrees with the baseline
 * would be pointless — and prints one report. Exit 0 even when a target is missed (this
 * is a measurement), 1 when the cross-check finds a difference, 2 when anything crashes.
 */

const PHASE_ENTRY = fileURLToPath(new URL('./bench-phase.js', import.meta.url));

function runPhase<P extends PhaseName>(phase: P, config: BenchConfig): Promise<PhaseResults[P]> {
  const started = process.hrtime.bigint();
  process.stderr.write(`▸ ${phase} …\n`);
  return new Promise((resolve, reject) => {
    let result: PhaseResults[P] | undefined;
    const child = fork(PHASE_ENTRY, [phase, JSON.stringify(config)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (message: { phase: string; result: PhaseResults[P] }) => {
      if (message.phase === phase) result = message.result;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 && result !== undefined) {
        process.stderr.write(`  ${phase} done in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s\n`);
        resolve(result);
      } else reject(new Error(`phase ${phase} failed (${signal ?? `exit code ${code}`}${code === 0 ? ', no result sent' : ''})`));
    });
  });
}

async function main(): Promise<number> {
  const config = parseBenchArgs(process.argv.slice(2));
  const scheme = bundledScheme(config.schemeId);
  if (scheme === null) throw new Error(`no bundled scheme "${config.schemeId}"`);
  const context: BenchContext = {
    config,
    schemeLabel: `${scheme.id} ${scheme.version} (${scheme.tiers.map((t) => t.code).join(' < ')}; assess ${scheme.assess}, retain ${scheme.retain})`,
    rulesEngineVersion: (createRequire(import.meta.url)('json-rules-engine/package.json') as { version: string }).version,
  };
  process.stderr.write(heading(context) + '\n');

  // --only picks groups of phases; the engine report needs its three phases together.
  let core: Pick<PhaseResults, 'baseline' | 'engine' | 'pipeline'> | null = null;
  if (groupRuns(config, 'engine')) {
    const baseline = await runPhase('baseline', config);
    if (baseline.mismatchCount > 0) {
      process.stdout.write(formatMismatches(baseline.mismatches, baseline.mismatchCount) + '\n');
      return 1;
    }
    const engine = await runPhase('engine', config);
    const pipeline = await runPhase('pipeline', config);
    core = { baseline, engine, pipeline };
  }
  // Each Firestore phase starts and stops an emulator of its own, one after the other.
  const more: Row[] = [];
  const firestoreVerdicts: string[] = [];
  if (!config.firestore) more.push('Firestore and spreadsheet phases skipped (--skip-firestore)');
  if (groupRuns(config, 'firestore')) {
    const firestoreWrite = await runPhase('firestoreWrite', config);
    const ingest = await runPhase('ingest', config);
    const nightlyRead = await runPhase('nightlyRead', config);
    more.push(...firestoreRows({ firestoreWrite, ingest, nightlyRead }));
    firestoreVerdicts.push(...ingestVerdicts({ firestoreWrite, ingest }));
  }
  const verdicts: string[] = [...firestoreVerdicts];
  if (groupRuns(config, 'sheet-requests')) {
    const sheets = await runPhase('sheets', config);
    more.push(...sheetsRequestRows(sheets));
    verdicts.push(...sheetsVerdicts(sheets));
  }
  if (groupRuns(config, 'sheet-edit')) {
    const sheetEdit = await runPhase('sheetEdit', config);
    more.push(...sheetEditRows(sheetEdit));
    verdicts.push(...sheetEditVerdicts(sheetEdit));
  }
  if (groupRuns(config, 'sheet-edit-load')) {
    const load = await runPhase('sheetEditLoad', config);
    more.push(...sheetEditLoadRows(load));
    verdicts.push(sheetEditLoadVerdict(load));
  }
  if (groupRuns(config, 'quota')) {
    const quota = await runPhase('quota', config);
    more.push(...quotaRows(quota));
    verdicts.push(quotaVerdict(quota));
  }
  if (groupRuns(config, 'night-state')) {
    const nightState = await runPhase('nightState', config);
    more.push(...nightStateRows(nightState));
    verdicts.push(nightStateVerdict(nightState));
  }
  if (groupRuns(config, 'night-sim')) {
    const nightSim = await runPhase('nightSim', config);
    more.push(...nightSimRows(nightSim));
    verdicts.push(...nightSimVerdicts(nightSim));
  }
  const report = core !== null ? formatReport(context, core, more) : [heading(context), `(only ${config.only?.join(', ')})`, '', table(more)].join('\n');
  process.stdout.write('\n' + [report, ...verdicts].join('\n') + '\n');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
