import type { BenchConfig } from './bench-config.js';
import { runBaselineBench, type BaselineBenchResult } from './baseline-bench.js';
import { runEngineBench, type EngineBenchResult } from './engine-bench.js';
import { runFirestoreWriteBench, type FirestoreWriteBenchResult } from './firestore-write-bench.js';
import { runIngestBench, type IngestBenchResult } from './ingest-bench.js';
import { runNightlyReadBench, type NightlyReadBenchResult } from './nightly-read-bench.js';
import { runPipelineBench, type PipelineBenchResult } from './pipeline-bench.js';
import { runSheetEditLatencyBench, type SheetEditLatencyBenchResult } from './sheet-edit-latency-bench.js';
import { runSheetEditLoadBench, type SheetEditLoadBenchResult } from './sheet-edit-load-bench.js';
import { runSheetsBench, type SheetsBenchResult } from './sheets-bench.js';
import { runQuotaBench, type QuotaBenchResult } from './quota-bench.js';
import { runNightStateBench, type NightStateBenchResult } from './night-state-bench.js';
import { runNightSimBench, type NightSimBenchResult } from './night-sim-bench.js';

/** The measurements, by name. Each runs in a process of its own so its maxRSS is its own. */
export interface PhaseResults {
  baseline: BaselineBenchResult;
  engine: EngineBenchResult;
  pipeline: PipelineBenchResult;
  firestoreWrite: FirestoreWriteBenchResult;
  ingest: IngestBenchResult;
  nightlyRead: NightlyReadBenchResult;
  sheets: SheetsBenchResult;
  sheetEdit: SheetEditLatencyBenchResult;
  sheetEditLoad: SheetEditLoadBenchResult;
  quota: QuotaBenchResult;
  nightState: NightStateBenchResult;
  nightSim: NightSimBenchResult;
}

export type PhaseName = keyof PhaseResults;

export const PHASES: { [P in PhaseName]: (config: BenchConfig) => PhaseResults[P] | Promise<PhaseResults[P]> } = {
  baseline: runBaselineBench,
  engine: runEngineBench,
  pipeline: runPipelineBench,
  firestoreWrite: runFirestoreWriteBench,
  ingest: runIngestBench,
  nightlyRead: runNightlyReadBench,
  sheets: runSheetsBench,
  sheetEdit: runSheetEditLatencyBench,
  sheetEditLoad: runSheetEditLoadBench,
  quota: runQuotaBench,
  nightState: runNightStateBench,
  nightSim: runNightSimBench,
};

export function isPhaseName(name: string | undefined): name is PhaseName {
  return name !== undefined && Object.hasOwn(PHASES, name);
}
