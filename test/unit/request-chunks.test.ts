import { describe, expect, it } from 'vitest';
import { chunkRequests, splitRows } from '../../functions/sheets/request-chunks.js';

/** The request splitter: chunks in order, each body within the limit, big entries cut by rows or sent alone. */

const body = (data: readonly unknown[]) => ({ valueInputOption: 'RAW', data });
const size = (data: readonly unknown[]) => Buffer.byteLength(JSON.stringify(body(data)));

describe('chunkRequests', () => {
  // {"valueInputOption":"RAW","data":[]} is 36 bytes; each entry {"range":"'T'!A1","values":[["xxxxxxxxxx"]]} is 44 bytes, +1 comma after the first
  const entry = (row: number) => ({ range: `'T'!A${row}`, values: [['x'.repeat(10)]] });

  it('fills each chunk as far as the limit allows, keeping the order', () => {
    expect(size([])).toBe(36);
    expect(size([entry(1)])).toBe(80);
    // 36 + 44 + 1 + 44 = 125 for two, 170 for three: a limit of 130 holds two a chunk
    const { chunks, oversize } = chunkRequests([1, 2, 3, 4, 5].map(entry), { body, maxBytes: 130 });
    expect(chunks.map((c) => c.map((e) => e.range))).toEqual([["'T'!A1", "'T'!A2"], ["'T'!A3", "'T'!A4"], ["'T'!A5"]]);
    for (const c of chunks) expect(size(c)).toBeLessThanOrEqual(130);
    expect(oversize).toEqual([]);
  });

  it('a limit met exactly is within it', () => {
    expect(chunkRequests([entry(1), entry(2)], { body, maxBytes: 125 }).chunks).toHaveLength(1);
    expect(chunkRequests([entry(1), entry(2)], { body, maxBytes: 124 }).chunks).toHaveLength(2);
  });

  it('cuts an entry too big for a chunk of its own into rows, the second part anchored lower', () => {
    const big = { range: "'客户名单'!N2", values: [['a'], ['b'], ['c'], ['d']] };
    // alone: 36 + 64 = 100 bytes (客户名单 is 12 bytes of UTF-8); each half of two rows: 36 + 52 = 88; both halves: 141
    expect(size([big])).toBe(100);
    const { chunks, oversize } = chunkRequests([big], { body, split: splitRows, maxBytes: 90 });
    expect(chunks).toEqual([[{ range: "'客户名单'!N2", values: [['a'], ['b']] }], [{ range: "'客户名单'!N4", values: [['c'], ['d']] }]]);
    for (const c of chunks) expect(size(c)).toBeLessThanOrEqual(90);
    expect(oversize).toEqual([]);
  });

  it('sends alone, and names, an entry nothing can cut', () => {
    const wide = { range: "'T'!A1", values: [['y'.repeat(200)]] };
    const { chunks, oversize } = chunkRequests([entry(1), wide, entry(3)], { body, split: splitRows, maxBytes: 130 });
    expect(chunks).toEqual([[entry(1)], [wide], [entry(3)]]);
    expect(oversize).toEqual([wide]);
  });
});

describe('splitRows', () => {
  it('halves the rows (the first half the larger); null for one row or a range not anchored at one cell', () => {
    expect(splitRows({ range: "'it''s'!B7", values: [[1], [2], [3]] })).toEqual([
      { range: "'it''s'!B7", values: [[1], [2]] },
      { range: "'it''s'!B9", values: [[3]] },
    ]);
    expect(splitRows({ range: "'T'!A1", values: [[1]] })).toBeNull();
    expect(splitRows({ range: "'T'!A1:B2", values: [[1], [2]] })).toBeNull();
  });
});
