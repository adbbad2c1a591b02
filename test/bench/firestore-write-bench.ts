import type { DocumentData, DocumentReference } from '@google-cloud/firestore';
import type { BenchConfig } from './bench-config.js';
import { withBenchEmulator } from './bench-emulator.js';
import { writeInBatches } from './firestore-batches.js';

/**
 * Firestore phase 1: the emulator's raw write rate — small documents, db.batch() commits of
 * 500 — the limit ingest and seeding approach. Measured one commit at a time (writeDay's
 * pattern) and with a few commits in flight, to show what overlapping commits would buy.
 */

export interface FirestoreWriteBenchResult {
  docs: number;
  emulatorStartSeconds: number;
  sequentialSeconds: number;
  sequentialDocsPerSecond: number;
  concurrentCommits: number;
  concurrentSeconds: number;
  concurrentDocsPerSecond: number;
}

const CONCURRENT_COMMITS = 4;

export function runFirestoreWriteBench(config: BenchConfig): Promise<FirestoreWriteBenchResult> {
  const docs = config.firestoreRawDocs;
  return withBenchEmulator(async ({ db, startSeconds }) => {
    const small =
      (collection: string) =>
      (i: number): [DocumentReference, DocumentData] => [db.collection(collection).doc(`d${String(i).padStart(7, '0')}`), { customerId: `C${i}`, branchId: `B${i % 40}`, n: i, at: '2026-11-02' }];
    const sequentialSeconds = await writeInBatches(db, docs, small('rawSequential'));
    const concurrentSeconds = await writeInBatches(db, docs, small('rawConcurrent'), { inFlight: CONCURRENT_COMMITS });
    return {
      docs,
      emulatorStartSeconds: startSeconds,
      sequentialSeconds,
      sequentialDocsPerSecond: docs / sequentialSeconds,
      concurrentCommits: CONCURRENT_COMMITS,
      concurrentSeconds,
      concurrentDocsPerSecond: docs / concurrentSeconds,
    };
  });
}
