import type { Firestore } from '@google-cloud/firestore';
import { google, type sheets_v4 } from 'googleapis';
import { parseCivilDay, formatCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import { CUSTOMER_TAB, LIST_TABS } from '../../shared/sheets/branch-layout.js';
import { bundledStandards, DEFAULT_STANDARDS_ID } from '../../shared/service/bundled-standards.js';
import { runNightlyBranch, type NightlyBranchDeps } from '../../functions/nightly/run-branch.js';
import { googleSheetsGateway, rowRuns, tabValues, type SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { COLLECTIONS } from '../../functions/store/collections.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';
import type { BenchConfig } from './bench-config.js';
import { withBenchEmulator } from './bench-emulator.js';
import { seedBranch, SEED_MONTHS } from './bench-branch-seed.js';
import { schemeFor } from './engine-bench.js';
import { naiveSheetsGateway } from './naive-sheets-writer.js';

/**
 * Spreadsheet phase 1: Sheets API requests per branch per nightly run. For each branch size a
 * branch of generated customers is seeded in an emulator of its own, and runNightlyBranch is
 * run with the project's gateway (googleapis over HTTP to the Sheets API test server, which
 * records every request) and with the naive one-request-per-row writer, each into a
 * spreadsheet of its own, three times: the first run (an empty spreadsheet), a re-run the same
 * day, and the next day's run. Both writers must leave identical spreadsheets, or the phase fails.
 * The test server runs in this process: wall times include its work, and a local round trip
 * is far cheaper than one to Google, so the request counts are the figures that carry over.
 */

export const SHEETS_BENCH_TODAY = '2026-11-10';
/**
 * Above this many customers the naive writer's requests are counted, not sent: the test
 * server copies the whole spreadsheet on every write request (so that a batch is atomic),
 * which makes n one-row requests cost n copies of an n-row sheet — 14 ms a request on a
 * 1,000-row sheet, 156 ms on a 10,000-row one, about half an hour a naive run at 10,000
 * customers — a cost of the stand-in, not of Google.
 */
export const NAIVE_SEND_LIMIT = 2_000;
const RUNS = [
  { kind: 'first', label: 'first run (new spreadsheet)', dayOffset: 0 },
  { kind: 'sameDay', label: 'same-day re-run', dayOffset: 0 },
  { kind: 'nextDay', label: 'next day’s run', dayOffset: 1 },
] as const;
export type RunKind = (typeof RUNS)[number]['kind'];
export const RUN_LABELS: Record<RunKind, string> = Object.fromEntries(RUNS.map((r) => [r.kind, r.label])) as Record<RunKind, string>;
type Writer = 'ours' | 'naive';

export interface SheetsRunFigures {
  requests: number;
  /** requests by operation (values.batchUpdate, spreadsheets.get, …) */
  operations: Record<string, number>;
  /** answered other than 200 (retried by the backoff) */
  failed: number;
  /** the whole runNightlyBranch: Firestore read, engine, tier events and Sheets */
  seconds: number;
  /** inside the Sheets gateway's calls */
  sheetsSeconds: number;
  cellsWritten: number;
  /** the largest request body sent, KiB of JSON */
  largestBodyKiB: number;
  /**
   * For the naive writer on a large branch: its one-per-row value requests were counted, not
   * sent one by one (they went out as one batch). `requests` includes them; the times do not.
   */
  rowRequestsCounted: boolean;
  /** the requests the run's own report counts (retries not counted) */
  selfReported: number;
  /** the run failed: why (the requests up to the failure are counted) */
  error: string | null;
}

export interface SheetsBranchFigures {
  customers: number;
  seedDocs: number;
  seedSeconds: number;
  /** the runs up to the first that failed (a failed run ends the branch: the next ones would measure something else) */
  runs: Partial<Record<RunKind, Record<Writer, SheetsRunFigures>>>;
}

export interface SheetsBenchResult {
  today: string;
  months: number;
  branches: SheetsBranchFigures[];
}

export function runSheetsBench(config: BenchConfig): Promise<SheetsBenchResult> {
  const scheme = schemeFor(config);
  const standards = bundledStandards(DEFAULT_STANDARDS_ID)!;
  const today = parseCivilDay(SHEETS_BENCH_TODAY)!;
  return withBenchEmulator(async ({ db }) => {
    const server = await startSheetsApiServer();
    try {
      const sheets = google.sheets({ version: 'v4', auth: 'bench-api-key', rootUrl: server.url });
      const base = { db, scheme, standards, now: () => new Date() };
      const bench = new BranchBench(db, server, sheets, base);
      // Warm-up (not reported): the first calls through googleapis, the server and the engine pay for loading and JIT.
      await bench.measure('W0', 10, config.seed, today);
      const branches: SheetsBranchFigures[] = [];
      for (const [i, customers] of config.sheetBranchSizes.entries()) {
        branches.push(await bench.measure(`S${i + 1}`, customers, config.seed + i, today));
        process.stderr.write(`  branch of ${customers.toLocaleString('en-US')} customers measured\n`);
      }
      return { today: SHEETS_BENCH_TODAY, months: SEED_MONTHS, branches };
    } finally {
      await server.close();
    }
  });
}

class BranchBench {
  constructor(
    private readonly db: Firestore,
    private readonly server: SheetsApiServer,
    private readonly sheets: sheets_v4.Sheets,
    private readonly base: Omit<NightlyBranchDeps, 'sheets'>,
  ) {}

  /**
   * Seeds one branch, then runs it with each writer, each writer on a spreadsheet of its own:
   * a first run into a new spreadsheet (one default tab, as spreadsheets.create leaves it),
   * a same-day re-run and the next day's run. A run that fails is recorded with why, and ends
   * the branch; the phase goes on with the next size.
   */
  async measure(branchId: string, customers: number, seed: number, today: CivilDay): Promise<SheetsBranchFigures> {
    const spreadsheets: Record<Writer, string> = { ours: await this.createSpreadsheet(`${branchId} ours`), naive: await this.createSpreadsheet(`${branchId} naive`) };
    const seeded = await seedBranch(this.db, { branchId, spreadsheetId: spreadsheets.ours, customers, seed, scheme: this.base.scheme, today });
    const countRows = customers > NAIVE_SEND_LIMIT;
    const gateways: Record<Writer, SheetsGateway> = { ours: googleSheetsGateway(this.sheets), naive: countRows ? googleSheetsGateway(this.sheets) : naiveSheetsGateway(this.sheets) };
    const runs: SheetsBranchFigures['runs'] = {};
    for (const run of RUNS) {
      const day = today + run.dayOffset;
      // Each writer's first run must create the same tier events.
      if (run.kind === 'first') await this.deleteTierEvents(branchId);
      const ours = await this.runOnce(branchId, spreadsheets.ours, gateways.ours, day, false);
      if (run.kind === 'first') await this.deleteTierEvents(branchId);
      const naive = await this.runOnce(branchId, spreadsheets.naive, gateways.naive, day, countRows);
      runs[run.kind] = { ours, naive };
      if (ours.error !== null || naive.error !== null) break;
      if (ours.cellsWritten !== naive.cellsWritten) throw new Error(`sheets bench: ${branchId} ${run.kind}: ours wrote ${ours.cellsWritten} cells, the naive writer ${naive.cellsWritten}`);
      await this.assertSameSheets(branchId, run.kind, spreadsheets);
    }
    this.server.requests.length = 0; // the recorded bodies of a 10,000-customer branch are large
    return { customers, seedDocs: seeded.docs, seedSeconds: seeded.seconds, runs };
  }

  /** One nightly run; with `countRows`, each values.batchUpdate is counted as the one-row requests the naive writer would have sent. */
  private async runOnce(branchId: string, spreadsheetId: string, gateway: SheetsGateway, day: CivilDay, countRows: boolean): Promise<SheetsRunFigures> {
    await this.db.collection(COLLECTIONS.branches).doc(branchId).set({ branchId, spreadsheetId });
    let rowRequests = 0;
    let batches = 0;
    let largestRow = 0;
    const counted: SheetsGateway = {
      ...gateway,
      writeCells: (id, writes) => {
        if (writes.length > 0) {
          const rows = rowRuns(writes);
          rowRequests += rows.length;
          batches++;
          for (const range of rows) largestRow = Math.max(largestRow, Buffer.byteLength(JSON.stringify({ valueInputOption: 'RAW', data: [range] })));
        }
        return gateway.writeCells(id, writes);
      },
    };
    const timed = timedGateway(countRows ? counted : gateway);
    const from = this.server.requests.length;
    const start = process.hrtime.bigint();
    let cellsWritten = 0;
    let selfReported = 0;
    let error: string | null = null;
    try {
      const report = await runNightlyBranch({ ...this.base, sheets: timed.gateway }, branchId, day);
      if (report.skipped.length > 0) throw new Error(`sheets bench: ${branchId} on ${formatCivilDay(day)}: ${report.skipped.length} customers skipped, first: ${JSON.stringify(report.skipped[0])}`);
      cellsWritten = report.cellsWritten;
      selfReported = report.sheetRequests;
    } catch (e) {
      if ((e as Error).message.startsWith('sheets bench:')) throw e;
      error = firstLine((e as Error).message);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const requests = this.server.requests.slice(from).filter((r) => r.spreadsheetId === spreadsheetId);
    const operations: Record<string, number> = {};
    let largestBody = 0;
    for (const r of requests) {
      operations[r.operation] = (operations[r.operation] ?? 0) + 1;
      // a counted run's batch is not a request the naive writer would have sent
      if (r.body !== undefined && !(countRows && r.operation === 'values.batchUpdate')) largestBody = Math.max(largestBody, Buffer.byteLength(JSON.stringify(r.body)));
    }
    largestBody = Math.max(largestBody, largestRow);
    const extra = countRows ? rowRequests - batches : 0;
    if (extra !== 0) operations['values.batchUpdate'] = (operations['values.batchUpdate'] ?? 0) + extra;
    return { rowRequestsCounted: countRows, requests: requests.length + extra, operations, failed: requests.filter((r) => r.status !== 200).length, seconds, sheetsSeconds: timed.seconds(), cellsWritten, largestBodyKiB: largestBody / 1024, selfReported, error };
  }

  private async createSpreadsheet(title: string): Promise<string> {
    const created = await this.sheets.spreadsheets.create({ requestBody: { properties: { title } } });
    return created.data.spreadsheetId!;
  }

  private async deleteTierEvents(branchId: string): Promise<void> {
    const events = await this.db.collection(COLLECTIONS.tierEvents).where('branchId', '==', branchId).get();
    for (let i = 0; i < events.docs.length; i += 500) {
      const batch = this.db.batch();
      for (const doc of events.docs.slice(i, i + 500)) batch.delete(doc.ref);
      await batch.commit();
    }
  }

  /** The cross-check: both writers must leave every tab cell for cell the same. */
  private async assertSameSheets(branchId: string, kind: RunKind, spreadsheets: Record<Writer, string>): Promise<void> {
    const tabs = [CUSTOMER_TAB, ...LIST_TABS.map((t) => t.name)];
    const reader = googleSheetsGateway(this.sheets);
    const [ours, naive] = await Promise.all([reader.read(spreadsheets.ours), reader.read(spreadsheets.naive)]);
    for (const tab of tabs) {
      const a = tabValues(ours, tab);
      const b = tabValues(naive, tab);
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`sheets bench: ${branchId} ${kind}: tab ${tab} differs between the gateway (${a.length} rows) and the naive writer (${b.length} rows)`);
      if (tab === CUSTOMER_TAB && a.length < 2) throw new Error(`sheets bench: ${branchId} ${kind}: ${tab} has no customer rows`);
    }
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** The gateway with the seconds spent inside its calls added up. */
function timedGateway(gateway: SheetsGateway): { gateway: SheetsGateway; seconds: () => number } {
  let nanos = 0n;
  const timed = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const start = process.hrtime.bigint();
    try {
      return await call(...args);
    } finally {
      nanos += process.hrtime.bigint() - start;
    }
  };
  return {
    gateway: { read: timed(gateway.read.bind(gateway)), updateStructure: timed(gateway.updateStructure.bind(gateway)), writeCells: timed(gateway.writeCells.bind(gateway)) },
    seconds: () => Number(nanos) / 1e9,
  };
}
