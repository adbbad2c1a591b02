import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCivilDay, parseCivilDay } from '../../shared/calendar/civil-date.js';
import { ingestDay } from '../../shared/ingest/day-ingest.js';
import type { IngestFileKind, RawRow } from '../../shared/ingest/ingest-files.js';
import { readExtracts } from '../../functions/ingest/read-extracts.js';
import { runIngest } from '../../functions/ingest/run-ingest.js';
import type { BenchConfig } from './bench-config.js';
import { withBenchEmulator } from './bench-emulator.js';
import { schemeFor } from './engine-bench.js';
import { businessDays, writeExtracts } from './ingest-extracts.js';

/**
 * Firestore phase 2: `ladder ingest` end to end — runIngest per business date over generated
 * extract files, into an emulator of its own. Then the first date is sent again (the
 * correction path, whose query finds every customer already written for that date), and the
 * read-and-validate part is timed alone, without Firestore, to show where the time goes.
 */

export interface IngestDateResult {
  date: string;
  seconds: number;
  rowsRead: number;
  balanceRows: number;
  customersWritten: number;
  writes: number;
  /** master rows the same as the last applied, not written */
  mastersUnchanged: number;
}

export interface IngestBenchResult {
  customers: number;
  extractMiB: number;
  generateSeconds: number;
  dates: IngestDateResult[];
  seconds: number;
  balanceRows: number;
  customersWritten: number;
  writes: number;
  resend: IngestDateResult;
  /** readExtracts + ingestDay of one date, no Firestore */
  readAndValidateSeconds: number;
}

export const INGEST_FIRST_DATE = '2026-11-02';

export async function runIngestBench(config: BenchConfig): Promise<IngestBenchResult> {
  const scheme = schemeFor(config);
  const root = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  try {
    const generateStart = process.hrtime.bigint();
    const dates = businessDays(parseCivilDay(INGEST_FIRST_DATE)!, config.ingestDates);
    let bytes = 0;
    const dirs = dates.map((date) => {
      const dir = join(root, formatCivilDay(date));
      bytes += writeExtracts(dir, date, config.ingestCustomers, config.seed).bytes;
      return dir;
    });
    const generateSeconds = Number(process.hrtime.bigint() - generateStart) / 1e9;

    return await withBenchEmulator(async ({ db }) => {
      const ingestOne = async (index: number): Promise<IngestDateResult> => {
        const start = process.hrtime.bigint();
        const report = await runIngest(db, { date: dates[index]!, dir: dirs[index]!, scheme, now: () => new Date() });
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (report.rejections.length > 0) throw new Error(`ingest bench: ${report.rejections.length} generated rows rejected, first: ${JSON.stringify(report.rejections[0])}`);
        const balances = report.files.find((f) => f.kind === 'balances');
        return {
          date: report.businessDate,
          seconds,
          rowsRead: report.files.reduce((n, f) => n + f.read, 0),
          balanceRows: balances?.accepted ?? 0,
          customersWritten: report.write.customersWritten,
          writes: report.write.writes,
          mastersUnchanged: report.write.mastersUnchanged,
        };
      };
      const results: IngestDateResult[] = [];
      for (let i = 0; i < dates.length; i++) results.push(await ingestOne(i));
      const resend = await ingestOne(0);

      const start = process.hrtime.bigint();
      const extracts = await readExtracts(dirs[0]!);
      const rows: Partial<Record<IngestFileKind, RawRow[]>> = {};
      for (const file of extracts.files) rows[file.kind] = file.rows;
      ingestDay(dates[0]!, rows, scheme.cardSpendExclusions);
      const readAndValidateSeconds = Number(process.hrtime.bigint() - start) / 1e9;

      const sum = (pick: (r: IngestDateResult) => number) => results.reduce((n, r) => n + pick(r), 0);
      return {
        customers: config.ingestCustomers,
        extractMiB: bytes / (1024 * 1024),
        generateSeconds,
        dates: results,
        seconds: sum((r) => r.seconds),
        balanceRows: sum((r) => r.balanceRows),
        customersWritten: sum((r) => r.customersWritten),
        writes: sum((r) => r.writes),
        resend,
        readAndValidateSeconds,
      };
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
