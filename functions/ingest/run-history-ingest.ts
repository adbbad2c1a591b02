import type { Firestore } from '@google-cloud/firestore';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { HISTORY_COLUMNS, ingestHistory } from '../../shared/ingest/history-ingest.js';
import type { RowRejection } from '../../shared/ingest/ingest-files.js';
import { writeHistory } from '../store/firestore-history.js';
import { decodeExtract, parseCsv, type Encoding } from './read-extracts.js';

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
  const parsed = parseCsv(file, text);
  if ('rejection' in parsed) return { file, encoding, read: 0, accepted: 0, writes: 0, rejections: [parsed.rejection] };
  const { columns, rows } = parsed;
  const missing = HISTORY_COLUMNS.find((c) => !columns.includes(c));
  if (missing) {
    return { file, encoding, read: rows.length, accepted: 0, writes: 0, rejections: [{ file, line: 1, column: missing, customerId: null, reason: `the header has no ${missing} column; the whole file was not used`, raw: text.split(/\r?\n/, 1)[0] ?? '' }] };
  }
  const { summaries, rejections } = ingestHistory(rows);
  const writes = await writeHistory(db, summaries);
  return { file, encoding, read: rows.length, accepted: summaries.length, rejections, writes };
}
