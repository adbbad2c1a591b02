import { parse } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalColumn, INGEST_FILES, type IngestFileKind, type RawRow, type RowRejection } from '../../shared/ingest/ingest-files.js';

/**
 * Reads a date's extract files from a folder: each file is decoded as UTF-8 when it is valid
 * UTF-8 and as GB18030 otherwise (both are common in Chinese banks), parsed as CSV with its
 * header row, and turned into rows keyed by canonical column name. A file missing a required
 * column is rejected whole, with the column named; an absent file is reported, not an error.
 */

export type Encoding = 'utf-8' | 'gb18030';

export interface ExtractFile {
  kind: IngestFileKind;
  path: string;
  encoding: Encoding;
  rows: RawRow[];
}

export interface ExtractRead {
  files: ExtractFile[];
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

export async function readExtracts(dir: string): Promise<ExtractRead> {
  const result: ExtractRead = { files: [], missing: [], rejections: [] };
  for (const kind of Object.keys(INGEST_FILES) as IngestFileKind[]) {
    const spec = INGEST_FILES[kind];
    const path = join(dir, spec.file);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        result.missing.push(kind);
        continue;
      }
      throw error;
    }
    const { text, encoding } = decodeExtract(bytes);
    const parsed = parseCsv(spec.file, text);
    if ('rejection' in parsed) {
      result.rejections.push(parsed.rejection);
      continue;
    }
    const missingColumn = spec.required.find((column) => !parsed.columns.includes(column));
    if (missingColumn) {
      result.rejections.push({ file: spec.file, line: 1, column: missingColumn, customerId: null, reason: `the header has no ${missingColumn} column; the whole file was not used`, raw: text.split(/\r?\n/, 1)[0] ?? '' });
      continue;
    }
    result.files.push({ kind, path, encoding, rows: parsed.rows });
  }
  return result;
}

function parseCsv(file: string, text: string): { columns: string[]; rows: RawRow[] } | { rejection: RowRejection } {
  let records: { record: string[]; info: { lines: number }; raw?: string }[];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true, raw: true, bom: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    return { rejection: { file, line, column: null, customerId: null, reason: `not readable as CSV: ${(error as Error).message}`, raw: '' } };
  }
  const [header, ...body] = records;
  if (!header) return { columns: [], rows: [] };
  const columns = header.record.map(canonicalColumn);
  const rows = body.map(({ record, info, raw }) => {
    const cells: Record<string, string> = {};
    columns.forEach((column, i) => {
      cells[column] = record[i] ?? '';
    });
    return { file, line: info.lines, cells, raw: (raw ?? record.join(',')).replace(/\r?\n$/, '') };
  });
  return { columns, rows };
}
