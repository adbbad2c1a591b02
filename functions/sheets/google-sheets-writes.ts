import type { sheets_v4 } from 'googleapis';
import { COLUMN_METADATA_KEY } from '../../shared/sheets/sheet-contract.js';
import type { CellWrite } from './google-sheets-gateway.js';
import { rowRuns, rowSpans } from './google-sheets-gateway.js';

/**
 * The writes as values.batchUpdateByDataFilter entries (DataFilterValueRange), addressed so that
 * a column inserted, moved or deleted, or a tab renamed, between the run's read and its write
 * cannot put a value anywhere but where the plan meant it:
 * - a cell of a layout column (`header` and `sheetId` given) is written through the column's
 *   developer metadata (key wealth-ladder.column, value the header, a COLUMN location on that
 *   tab): the metadata travels with its column, and a column-metadata filter selects the whole
 *   column, row 1 down (Google's metadata guide, "Read and write values associated with
 *   metadata"), so one entry per column carries the column top to bottom with `null` for every
 *   row not written ("existing values in the matched ranges remain unaffected" — the API skips a
 *   null, an empty string would clear the cell);
 * - any other cell of a tab given by `sheetId` (the list tabs) is written by a GridRange on that
 *   sheet id, one per row run: a renamed tab keeps its id;
 * - a cell given by title alone is written by an A1 range, as values.batchUpdate does.
 * Rows stay numbers: a sort in the gap moves the rows under the values, and the next run, which
 * finds rows by 客户号, rewrites what is then wrong.
 *
 * The order of the writes within an entry is the order of the rows; a layout column that has
 * lost its metadata by write time (deleted in the gap) matches nothing, and its values are not
 * written anywhere.
 */
export function dataFilterWrites(writes: readonly CellWrite[]): sheets_v4.Schema$DataFilterValueRange[] {
  const byColumn = new Map<string, { sheetId: number; header: string; rows: Map<number, string | number> }>();
  const byGrid: CellWrite[] = [];
  const byTitle: CellWrite[] = [];
  for (const w of writes) {
    if (w.sheetId !== undefined && w.header !== undefined) {
      const key = `${w.sheetId}\u0000${w.header}`;
      const entry = byColumn.get(key) ?? { sheetId: w.sheetId, header: w.header, rows: new Map() };
      entry.rows.set(w.row, w.value);
      byColumn.set(key, entry);
    } else if (w.sheetId !== undefined) byGrid.push(w);
    else byTitle.push(w);
  }
  const out: sheets_v4.Schema$DataFilterValueRange[] = [];
  for (const { sheetId, header, rows } of byColumn.values()) {
    let last = 0; // a loop, not Math.max(...): a column of a large branch has more rows than a call takes arguments
    for (const row of rows.keys()) last = Math.max(last, row);
    out.push({
      dataFilter: columnFilter(sheetId, header),
      majorDimension: 'COLUMNS',
      values: [Array.from({ length: last }, (_, i) => rows.get(i + 1) ?? null)],
    });
  }
  for (const run of gridRuns(byGrid)) out.push(run);
  for (const range of rowRuns(byTitle)) out.push({ dataFilter: { a1Range: range.range as string }, majorDimension: 'ROWS', values: range.values as unknown[][] });
  return out;
}

/** The column tagged `header` on the tab `sheetId`, wherever it is now. */
export function columnFilter(sheetId: number, header: string): sheets_v4.Schema$DataFilter {
  return {
    developerMetadataLookup: {
      metadataKey: COLUMN_METADATA_KEY,
      metadataValue: header,
      locationType: 'COLUMN',
      // every column of that tab (no indexes: unbounded), intersecting: the tag's own column
      metadataLocation: { dimensionRange: { sheetId, dimension: 'COLUMNS' } },
      locationMatchingStrategy: 'INTERSECTING_LOCATION',
    },
  };
}

/** One GridRange entry per row of a tab, exactly as wide as the cells written (null in between). */
function gridRuns(writes: readonly CellWrite[]): sheets_v4.Schema$DataFilterValueRange[] {
  return rowSpans(writes, (w) => w.sheetId as number).map(({ write, first, last, values }) => ({
    dataFilter: { gridRange: { sheetId: write.sheetId as number, startRowIndex: write.row - 1, endRowIndex: write.row, startColumnIndex: first - 1, endColumnIndex: last } },
    majorDimension: 'ROWS',
    values: [values],
  }));
}

/** Whether a batch is addressed by metadata or sheet id (sent by data filter) rather than by title alone. */
export function addressedByDataFilter(writes: readonly CellWrite[]): boolean {
  return writes.some((w) => w.sheetId !== undefined);
}
