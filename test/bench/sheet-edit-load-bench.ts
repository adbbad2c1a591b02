import { DateTime } from 'luxon';
import { loadavg } from 'node:os';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { checkSheetEditLoad, runSheetEditLoad, sendSheetEdit } from '../support/sheet-edit-load.js';
import type { BenchConfig } from './bench-config.js';
import { BENCH_PROJECT, withBenchEmulator } from './bench-emulator.js';
import { seedBranch } from './bench-branch-seed.js';
import { serveBenchFunction } from './bench-function-server.js';
import { schemeFor } from './engine-bench.js';
import { latencyStats, type LatencyStats } from './latency-stats.js';

/**
 * Spreadsheet phase 3 (load): `sheetEdit` served by the real functions-framework (a
 * child process, as in the latency phase) on an emulator of this phase's own, under
 * `loadConcurrency` editors sending signed one-row edits back to back for `loadSeconds`
 * (test/support/sheet-edit-load.ts: one edit in 10 goes to one of two customers every editor
 * shares, the rest to customers of the editor's own). Reports throughput, latency, answers
 * other than 200, and the check that no edit was lost or doubled (the edit log and the
 * customers read back). The load test in test/reliability runs the same at 20 × 5 s.
 */

export interface SheetEditLoadBenchResult {
  loadAverage: { start: number[]; end: number[] };
  concurrency: number;
  seconds: number;
  branchCustomers: number;
  edits: number;
  /** edits answered per second over the whole run */
  throughput: number;
  latency: LatencyStats;
  non200: number;
  /** edits not answered 200 with both cells accepted and the computed cells, or lost or doubled in the store */
  problemCount: number;
  problems: string[];
  editLogEntries: number;
  expectedEntries: number;
}

const SECRET = 'bench-sheet-edit-load-secret-0123456789';
const BRANCH = 'E02';
const SPREADSHEET = 'BENCH-SHEET-E02';
const HOT = 2;

export function runSheetEditLoadBench(config: BenchConfig): Promise<SheetEditLoadBenchResult> {
  const scheme = schemeFor(config);
  // the hot customers and four of its own for each editor
  const customers = HOT + 4 * config.loadConcurrency;
  return withBenchEmulator(async ({ db, host }) => {
    const today = parseCivilDay(DateTime.now().setZone('Asia/Shanghai').toISODate() ?? '')!;
    const seeded = await seedBranch(db, { branchId: BRANCH, spreadsheetId: SPREADSHEET, customers, seed: config.seed, scheme, today, engineStates: true });
    const server = await serveBenchFunction('sheetEdit', { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: BENCH_PROJECT, SHEET_EDIT_SECRET: SECRET });
    try {
      const target = { url: server.url, secret: SECRET, branchId: BRANCH, spreadsheetId: SPREADSHEET };
      // Warm-up (not counted): the framework's first requests load code and fill the JIT.
      for (let i = 0; i < 10; i++) await sendSheetEdit(target, 999, i, seeded.customerIds[HOT]!);
      await db.recursiveDelete(db.collection('editLog'));
      const loadAtStart = loadavg();
      const result = await runSheetEditLoad({ ...target, customerIds: seeded.customerIds, hot: HOT, hotEvery: 10, concurrency: config.loadConcurrency, durationMs: config.loadSeconds * 1_000 });
      const loadAtEnd = loadavg();
      process.stderr.write(`  ${result.sent.length} edits by ${config.loadConcurrency} editors in ${(result.elapsedMs / 1000).toFixed(1)} s; checking the store …\n`);
      const check = await checkSheetEditLoad(db, BRANCH, result);
      return {
        loadAverage: { start: loadAtStart, end: loadAtEnd },
        concurrency: config.loadConcurrency,
        seconds: result.elapsedMs / 1000,
        branchCustomers: customers,
        edits: result.sent.length,
        throughput: result.sent.length / (result.elapsedMs / 1000),
        latency: latencyStats(result.sent.map((s) => s.millis)),
        non200: result.sent.filter((s) => s.status !== 200).length,
        problemCount: check.problems.length,
        problems: check.problems.slice(0, 10),
        editLogEntries: check.editLogEntries,
        expectedEntries: check.expectedEntries,
      };
    } finally {
      await server.stop();
    }
  });
}
