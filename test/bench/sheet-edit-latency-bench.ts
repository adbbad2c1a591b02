import { loadavg } from 'node:os';
import { DateTime } from 'luxon';
import { parseCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import { bundledStandards, DEFAULT_STANDARDS_ID } from '../../shared/service/bundled-standards.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { signRequest, SIGNATURE_HEADER } from '../../functions/http/request-signature.js';
import { processSheetEdit, type SheetEditRowAnswer } from '../../functions/http/sheet-edit-function.js';
import type { SheetEditRequest } from '../../functions/store/firestore-sheet-edits.js';
import type { BenchConfig } from './bench-config.js';
import { BENCH_PROJECT, withBenchEmulator } from './bench-emulator.js';
import { COLLECTIONS } from '../../functions/store/collections.js';
import { seedBranch } from './bench-branch-seed.js';
import { serveBenchFunction } from './bench-function-server.js';
import { schemeFor } from './engine-bench.js';
import { latencyStats, type LatencyStats } from './latency-stats.js';

/**
 * Spreadsheet phase 2: how long a manager's edit takes to come back with its computed cells.
 * The `sheetEdit` function is served by the real functions-framework from the built entry
 * module (a child process), on an emulator of this phase's own, seeded with a branch of
 * generated customers; requests of 1 row and of `editBatchRows` rows (2 cells a row: 工作单位
 * and 手机号码) are signed as Apps Script would sign them and sent one at a time — sequential,
 * no concurrency — and timed from sending to the whole answer read.
 *
 * The named baseline is the same request straight into processSheetEdit in this process, on
 * the same emulator: the store transaction and the re-evaluation without HTTP, the framework,
 * the signature check and body validation. The two are interleaved request by request (which
 * goes first alternates) so both see the same machine. The edit log both append to is
 * emptied after every pair (not timed): the emulator's queries slow down as the database
 * grows (about 22 ms a query on an empty database, 62 ms with 80,000 other documents, seen
 * on this machine), which Firestore's indexed queries do not, and a 500-row edit appends
 * 1,000 entries.
 */

export interface EditSeries {
  rowsPerRequest: number;
  /** requests sent on each path before measuring (not counted) */
  warmUp: number;
  /** bytes of one request body */
  bodyBytes: number;
  http: LatencyStats;
  inProcess: LatencyStats;
}

export interface SheetEditLatencyBenchResult {
  /** os.loadavg() (1, 5, 15 minutes) when the measuring began and ended: the machine is shared */
  loadAverage: { start: number[]; end: number[] };
  branchCustomers: number;
  seedSeconds: number;
  series: EditSeries[];
}

const SECRET = 'bench-sheet-edit-secret-0123456789';
const BRANCH = 'E01';
const SPREADSHEET = 'BENCH-SHEET-E01';

/** The bank's business date as the entry module computes it (Asia/Shanghai), so both paths evaluate the same day. */
function todayInShanghai(): CivilDay {
  return parseCivilDay(DateTime.now().setZone('Asia/Shanghai').toISODate() ?? '')!;
}

export function runSheetEditLatencyBench(config: BenchConfig): Promise<SheetEditLatencyBenchResult> {
  const scheme = schemeFor(config);
  const standards = bundledStandards(DEFAULT_STANDARDS_ID)!;
  const customers = config.editBatchRows;
  return withBenchEmulator(async ({ db, host }) => {
    const seeded = await seedBranch(db, { branchId: BRANCH, spreadsheetId: SPREADSHEET, customers, seed: config.seed, scheme, today: todayInShanghai(), engineStates: true });
    const server = await serveBenchFunction('sheetEdit', { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: BENCH_PROJECT, SHEET_EDIT_SECRET: SECRET });
    try {
      const engine = createTierEngine(scheme);
      const deps = { db, scheme, standards, now: () => new Date(), today: todayInShanghai };
      let edits = 0;
      /** `rows` rows starting at customer `first` (wrapping), each with two valid cells that differ every time. */
      const requestOf = (rows: number, first: number): SheetEditRequest => ({
        branchId: BRANCH,
        spreadsheetId: SPREADSHEET,
        editor: 'bench@bank.example',
        rows: Array.from({ length: rows }, (_, k) => {
          const n = (first + k) % customers;
          edits++;
          return { row: n + 2, customerId: seeded.customerIds[n]!, cells: { 工作单位: `单位${edits}`, 手机号码: `139${String(edits % 1e8).padStart(8, '0')}` } };
        }),
      });

      const overHttp = async (request: SheetEditRequest): Promise<number> => {
        const raw = JSON.stringify(request);
        const start = process.hrtime.bigint();
        const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signRequest(SECRET, raw, Math.floor(Date.now() / 1000)) }, body: raw });
        const body = (await response.json()) as { rows?: SheetEditRowAnswer[] };
        const millis = Number(process.hrtime.bigint() - start) / 1e6;
        if (response.status !== 200) throw new Error(`sheet-edit bench: HTTP ${response.status}: ${JSON.stringify(body).slice(0, 500)}\n${server.output().slice(-2000)}`);
        checkAnswer('over HTTP', request, body.rows ?? []);
        return millis;
      };
      const inProcess = async (request: SheetEditRequest): Promise<number> => {
        const start = process.hrtime.bigint();
        const rows = await processSheetEdit(deps, engine, request);
        const millis = Number(process.hrtime.bigint() - start) / 1e6;
        checkAnswer('in process', request, rows);
        return millis;
      };

      const emptyEditLog = () => db.recursiveDelete(db.collection(COLLECTIONS.editLog));
      const series = async (rowsPerRequest: number, requests: number, warmUp: number): Promise<EditSeries> => {
        for (let i = 0; i < warmUp; i++) {
          await overHttp(requestOf(rowsPerRequest, i * rowsPerRequest));
          await inProcess(requestOf(rowsPerRequest, i * rowsPerRequest));
          await emptyEditLog();
        }
        const http: number[] = [];
        const local: number[] = [];
        for (let i = 0; i < requests; i++) {
          const a = requestOf(rowsPerRequest, i * rowsPerRequest);
          const b = requestOf(rowsPerRequest, i * rowsPerRequest);
          if (i % 2 === 0) {
            http.push(await overHttp(a));
            local.push(await inProcess(b));
          } else {
            local.push(await inProcess(b));
            http.push(await overHttp(a));
          }
          await emptyEditLog();
        }
        return { rowsPerRequest, warmUp, bodyBytes: Buffer.byteLength(JSON.stringify(requestOf(rowsPerRequest, 0))), http: latencyStats(http), inProcess: latencyStats(local) };
      };

      // Warm-up: the first calls load code and fill the JIT on both sides; one large edit does it for large ones.
      const loadAtStart = loadavg();
      const single = await series(1, config.editSingleRequests, 10);
      process.stderr.write(`  ${config.editSingleRequests} edits of 1 row measured\n`);
      const batch = await series(config.editBatchRows, config.editBatchRequests, 1);
      return { loadAverage: { start: loadAtStart, end: loadavg() }, branchCustomers: customers, seedSeconds: seeded.seconds, series: [single, batch] };
    } finally {
      await server.stop();
    }
  });
}

/** Every edited row answered, both cells accepted, its computed cells present: a timing of a failing edit would be worthless. */
function checkAnswer(path: string, request: SheetEditRequest, rows: readonly SheetEditRowAnswer[]): void {
  if (rows.length !== request.rows.length) throw new Error(`sheet-edit bench (${path}): ${rows.length} rows answered for ${request.rows.length} sent`);
  for (const row of rows) {
    if (row.accepted.length !== 2 || row.refused.length > 0) throw new Error(`sheet-edit bench (${path}): row ${row.row} (${row.customerId}): accepted ${row.accepted.join(',')}, refused ${JSON.stringify(row.refused)}`);
    if (row.computed === null) throw new Error(`sheet-edit bench (${path}): row ${row.row} (${row.customerId}) came back without computed cells`);
  }
}
