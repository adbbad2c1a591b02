import type { DocumentData, DocumentReference, Firestore } from '@google-cloud/firestore';

/**
 * Writes `count` documents with db.batch() commits of `batchSize` (500, Firestore's limit and
 * what writeDay uses), keeping at most `inFlight` commits outstanding: 1 is writeDay's
 * pattern (each commit awaited before the next batch is built). Returns the seconds taken.
 */
export async function writeInBatches(
  db: Firestore,
  count: number,
  docAt: (i: number) => [DocumentReference, DocumentData],
  options: { batchSize?: number; inFlight?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  const inFlight = Math.max(1, options.inFlight ?? 1);
  const start = process.hrtime.bigint();
  const pending = new Set<Promise<unknown>>();
  for (let first = 0; first < count; first += batchSize) {
    const batch = db.batch();
    for (let i = first; i < Math.min(count, first + batchSize); i++) {
      const [ref, data] = docAt(i);
      batch.set(ref, data);
    }
    const commit = batch.commit().finally(() => pending.delete(commit));
    pending.add(commit);
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
  return Number(process.hrtime.bigint() - start) / 1e9;
}
