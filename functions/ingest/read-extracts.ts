import { parse } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalColumn, fileSpec, INGEST_FILES, type IngestFileKind, type RawRow, type RowRejection } from '../../shared/ingest/ingest-files.js';

/**
 * Reads a date's extract files, from a folder (`ladder ingest`) or from bytes already in memory
 * (the HTTP function): each file is decoded as UTF-8 when it is valid UTF-8 and as GB18030
 * otherwise (both are common in Chinese banks), parsed as CSV with its header row, and turned
 * into rows keyed by canonical column name. A file missing a required column is rejected
 * whole, with the column named; an absent daily file is reported, not an error (an absent
 * register file, branches.csv or staff.csv, means the register is unchanged).
 */

export type Encoding = 'utf-8' | 'gb18030';

/** The file names an extract set may hold (customers.csv, fx.csv, …), in reading order. */
export type ExtractFileName = (typeof INGEST_FILES)[IngestFileKind]['file'];
export const EXTRACT_FILE_NAMES = Object.values(INGEST_FILES).map((spec) => spec.file) as ExtractFileName[];

export interface ExtractFile {
  kind: IngestFileKind;
  /** where the bytes came from: the file's path, or its name when it arrived in memory */
  path: string;
  encoding: Encoding;
  rows: RawRow[];
}

export interface ExtractRead {
  files: ExtractFile[];
  /** daily files not present (the register files are not expected every day) */
  missing: IngestFileKind[];
  rejections: RowRejection[];
}

export function decodeExtract(bytes: Uint8Array): { text: string; encoding: Encoding } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/** The extract files found in a folder by name; other files in it are ignored. */
export async function readExtracts(dir: string): Promise<ExtractRead> {
  const files = new Map<string, Uint8Array>();
  for (const name of EXTRACT_FILE_NAMES) {
    try {
      files.set(name, await readFile(join(dir, name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return readExtractFiles(files, (name) => join(dir, name));
}

/**
 * The extract files given as bytes by file name (customers.csv → bytes …). Names that are not
 * extract files are ignored, as they are in a folder. `pathOf` says where a file came from.
 */
export function readExtractFiles(files: ReadonlyMap<string, Uint8Array>, pathOf: (fileName: string) => string = (name) => name): ExtractRead {
  const result: ExtractRead = { files: [], missing: [], rejections: [] };
  for (const kind of Object.keys(INGEST_FILES) as IngestFileKind[]) {
    const spec = fileSpec(kind);
    const bytes = files.get(spec.file);
    if (bytes === undefined) {
      if (spec.daily) result.missing.push(kind);
      continue;
    }
    const { text, encoding } = decodeExtract(bytes);
    const parsed = parseCsv(spec.file, text, spec.aliases);
    if ('rejection' in parsed) {
      result.rejections.push(parsed.rejection);
      continue;
    }
    const missingColumn = spec.required.find((column) => !parsed.columns.includes(column));
    if (missingColumn) {
      result.rejections.push({ file: spec.file, line: 1, column: missingColumn, customerId: null, reason: `the header has no ${missingColumn} column; the whole file was not used`, raw: text.split(/\r?\n/, 1)[0] ?? '' });
      continue;
    }
    result.files.push({ kind, path: pathOf(spec.file), encoding, rows: parsed.rows });
  }
  return result;
}

/** CSV text with a header row → rows keyed by canonical column (shared by the daily extracts, the register and history.csv). */
export function parseCsv(file: string, text: string, aliases: Readonly<Record<string, string>> = {}): { columns: string[]; rows: RawRow[] } | { rejection: RowRejection } {
  let records: { record: string[]; info: { lines: number }; raw?: string }[];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true, raw: true, bom: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    return { rejection: { file, line, column: null, customerId: null, reason: `not readable as CSV: ${(error as Error).message}`, raw: '' } };
  }
  const [header, ...body] = records;
  if (!header) return { columns: [], rows: [] };
  const columns = header.record.map((h) => canonicalColumn(h, aliases));
  const rows = body.map(({ record, info, raw }) => {
    const cells: Record<string, string> = {};
    columns.forEach((column, i) => {
      cells[column] = record[i] ?? '';
    });
    return { file, line: info.lines, cells, raw: (raw ?? record.join(',')).replace(/\r?\n$/, '') };
  });
  return { columns, rows };
}
