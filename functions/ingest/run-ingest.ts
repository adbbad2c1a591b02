import type { Firestore } from '@google-cloud/firestore';
import { formatCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import { branchIdsNamed, readBranchRegister } from '../../shared/ingest/branch-register.js';
import { ingestDay, type FileCounts } from '../../shared/ingest/day-ingest.js';
import type { IngestFileKind, RawRow, RowRejection } from '../../shared/ingest/ingest-files.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { storedBranchIds, writeBranchRegister, type RegisterWriteReport } from '../store/firestore-branch-register.js';
import { COLLECTIONS } from '../store/collections.js';
import { writeDay, type FactsWriteReport } from '../store/firestore-facts.js';
import { readExtractFiles, readExtracts, type Encoding } from './read-extracts.js';

/**
 * One business date from extract files to Firestore: read and decode, validate, aggregate,
 * write the branch register (when sent) and the month accumulators, and record the run with
 * its counts and every rejected row (runs/{runId} and runs/{runId}/rejects). Bad rows never
 * stop the rest. The files come from a folder (`dir`, the CLI) or as bytes by file name
 * (`files`, the HTTP function; `origin` is recorded on the run to say where they came from).
 */

export type ExtractSource = { dir: string } | { files: ReadonlyMap<string, Uint8Array>; origin: string };

export type IngestOptions = { date: CivilDay; scheme: Scheme; now: () => Date } & ExtractSource;

export interface IngestReport {
  runId: string;
  businessDate: string;
  files: { kind: IngestFileKind; encoding: Encoding; read: number; accepted: number; rejected: number }[];
  missing: IngestFileKind[];
  rejections: RowRejection[];
  register: RegisterWriteReport;
  write: FactsWriteReport;
}

export async function runIngest(db: Firestore, options: IngestOptions): Promise<IngestReport> {
  const startedAt = options.now();
  const extracts = 'dir' in options ? await readExtracts(options.dir) : readExtractFiles(options.files);
  const rows: Partial<Record<IngestFileKind, RawRow[]>> = {};
  for (const file of extracts.files) rows[file.kind] = file.rows;
  // The register first: a staff row's branch may be one branches.csv brings, or one already stored.
  const registerRows = { branches: rows.branches, staff: rows.staff };
  const stored = await storedBranchIds(db, branchIdsNamed(registerRows));
  const register = readBranchRegister(registerRows, stored);
  const registerWrite = await writeBranchRegister(db, register, stored);
  const day = ingestDay(options.date, rows, options.scheme.cardSpendExclusions);
  const write = await writeDay(db, day);
  const businessDate = formatCivilDay(options.date);
  const rejections = [...extracts.rejections, ...register.rejections, ...day.rejections];
  const counts: Partial<Record<IngestFileKind, FileCounts>> = { ...day.counts, ...register.counts };
  const files = extracts.files.map((f) => ({ kind: f.kind, encoding: f.encoding, ...(counts[f.kind] ?? ({ read: 0, accepted: 0, rejected: 0 } satisfies FileCounts)) }));
  const runId = `ingest-${businessDate}-${startedAt.toISOString().replace(/[:.]/g, '')}`;
  const run = db.collection(COLLECTIONS.runs).doc(runId);
  await run.set({
    kind: 'ingest',
    businessDate,
    ...('dir' in options ? { dir: options.dir } : { origin: options.origin }),
    scheme: options.scheme.id,
    files,
    missing: extracts.missing,
    read: files.reduce((n, f) => n + f.read, 0),
    accepted: files.reduce((n, f) => n + f.accepted, 0),
    rejected: rejections.length,
    branchesWritten: registerWrite.branchesWritten,
    customersWritten: write.customersWritten,
    withdrawn: write.withdrawn,
    writes: write.writes,
    mastersUnchanged: write.mastersUnchanged,
    startedAt,
    finishedAt: options.now(),
  });
  for (let i = 0; i < rejections.length; i += 500) {
    const batch = db.batch();
    rejections.slice(i, i + 500).forEach((r, k) => batch.set(run.collection('rejects').doc(String(i + k).padStart(7, '0')), storedRejection(r)));
    await batch.commit();
  }
  return { runId, businessDate, files, missing: extracts.missing, rejections, register: registerWrite, write };
}

/**
 * A rejection as stored in runs/{runId}/rejects: the raw line, reason and customer cut to what a
 * person reads. A line with a 50,000-character cell stays whole in the CLI's rejects file; in
 * Firestore a batch of such lines took the emulator more than ten minutes (and each document
 * is limited to 1 MiB), so one bad extract could hold up the whole run.
 */
export function storedRejection(r: RowRejection): RowRejection & { rawLength?: number } {
  const clipped = { ...r, raw: clip(r.raw, 1_000), reason: clip(r.reason, 1_000), customerId: r.customerId === null ? null : clip(r.customerId, 200) };
  if (typeof r.branchId === 'string') clipped.branchId = clip(r.branchId, 200);
  return r.raw.length > 1_000 ? { ...clipped, rawLength: r.raw.length } : clipped;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
