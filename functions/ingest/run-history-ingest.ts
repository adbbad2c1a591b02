import type { Firestore } from '@google-cloud/firestore';
import { parse } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { HISTORY_COLUMNS, ingestHistory } from '../../shared/ingest/history-ingest.js';
import { canonicalColumn, type RawRow, type RowRejection } from '../../shared/ingest/ingest-files.js';
import { writeHistory } from '../store/firestore-history.js';
import { decodeExtract, type Encoding } from './read-extracts.js';

/** `ladder ingest-history FILE`: past months' totals (history.csv) into the month documents. */
export interface HistoryReport {
  file: string;
  encoding: Encoding;
  read: number;
  accepted: number;
  rejections: RowRejection[];
  writes: number;
}

export async function runHistoryIngest(db: Firestore, path: string): Promise<HistoryReport> {
  const file = basename(path);
  const { text, encoding } = decodeExtract(await readFile(path));
  const records = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true, raw: true, bom: true }) as unknown as { record: string[]; info: { lines: number }; raw?: string }[];
  const [header, ...body] = records;
  const columns = (header?.record ?? []).map(canonicalColumn);
  const missing = HISTORY_COLUMNS.find((c) => !columns.includes(c));
  if (missing) {
    return { file, encoding, read: body.length, accepted: 0, writes: 0, rejections: [{ file, line: 1, column: missing, customerId: null, reason: `the header has no ${missing} column; the whole file was not used`, raw: header?.raw ?? '' }] };
  }
  const rows: RawRow[] = body.map(({ record, info, raw }) => ({
    file,
    line: info.lines,
    cells: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''])),
    raw: (raw ?? record.join(',')).replace(/\r?\n$/, ''),
  }));
  const { summaries, rejections } = ingestHistory(rows);
  const writes = await writeHistory(db, summaries);
  return { file, encoding, read: rows.length, accepted: summaries.length, rejections, writes };
}
