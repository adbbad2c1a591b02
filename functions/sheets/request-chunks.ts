/**
 * Request bodies Google accepts: the entries of one write (value ranges for values.batchUpdate,
 * data-filter value ranges for values.batchUpdateByDataFilter, …) cut into consecutive chunks
 * whose serialized JSON body stays within MAX_REQUEST_BYTES. Google recommends payloads of at
 * most 2 MB and refuses a body over 10 MiB with 400 INVALID_ARGUMENT "Request payload size
 * exceeds the limit: 10485760 bytes." (seen by users: jlolling/talendcomp_tGoogleSheet#1,
 * SCRT-HQ/PSGSuite#62), so one first night of 100,000 customers (~24 MB) must go in several.
 *
 * Deterministic: the entries keep their order, each chunk is filled as far as it goes before
 * the next one starts. An entry too big for a chunk of its own is split by `split` (e.g. into
 * two halves of its rows) until its parts fit; one that cannot be split further is sent alone,
 * over the limit, and listed in `oversize` for the caller to say so.
 */

/** the payload Google recommends, in bytes of UTF-8 JSON: the one setting every values write is cut by */
export const MAX_REQUEST_BYTES = 2_000_000;

export interface ChunkOptions<E> {
  /** the request body for these entries; the entries must appear in it as one JSON array, in order (as `data: entries`) */
  body: (entries: readonly E[]) => unknown;
  /** two (or more) entries that together write what `entry` writes, or null when it cannot be cut */
  split?: (entry: E) => E[] | null;
  maxBytes?: number;
}

export interface Chunks<E> {
  /** the entries of each request, in the order to send them */
  chunks: E[][];
  /** entries sent alone although their body is over the limit (nothing could cut them) */
  oversize: E[];
}

export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

export function chunkRequests<E>(entries: readonly E[], options: ChunkOptions<E>): Chunks<E> {
  const maxBytes = options.maxBytes ?? MAX_REQUEST_BYTES;
  // a body is its envelope plus its entries, comma-separated, in the array the envelope holds
  const envelope = jsonBytes(options.body([]));
  const alone = (bytes: number) => envelope + bytes;
  const chunks: E[][] = [];
  const oversize: E[] = [];
  let current: E[] = [];
  let size = envelope;
  const close = () => {
    if (current.length > 0) chunks.push(current);
    current = [];
    size = envelope;
  };
  const place = (entry: E): void => {
    const bytes = jsonBytes(entry);
    if (alone(bytes) > maxBytes) {
      const parts = options.split?.(entry) ?? null;
      if (parts !== null && parts.length > 1) {
        for (const part of parts) place(part);
        return;
      }
      close();
      chunks.push([entry]);
      oversize.push(entry);
      return;
    }
    const added = bytes + (current.length > 0 ? 1 : 0);
    if (size + added > maxBytes) close();
    size += bytes + (current.length > 0 ? 1 : 0);
    current.push(entry);
  };
  for (const entry of entries) place(entry);
  close();
  return { chunks, oversize };
}

interface RowsRange {
  range?: string | null;
  values?: unknown[][] | null;
}

/**
 * A value range anchored at one cell (`'客户名单'!N2`, as the writers send them) cut into two
 * halves of its rows, the second anchored that many rows lower; null for a single row or a
 * range that is not anchored at one cell.
 */
export function splitRows<R extends RowsRange>(entry: R): R[] | null {
  const rows = entry.values ?? [];
  const anchor = /^(.*!)?\$?([A-Z]+)\$?(\d+)$/.exec(entry.range ?? '');
  if (rows.length < 2 || anchor === null) return null;
  const half = Math.ceil(rows.length / 2);
  const [, sheet = '', column, row] = anchor as unknown as [string, string | undefined, string, string];
  return [
    { ...entry, values: rows.slice(0, half) },
    { ...entry, range: `${sheet}${column}${Number(row) + half}`, values: rows.slice(half) },
  ];
}
