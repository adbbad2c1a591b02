import type { DocumentData, DocumentReference } from '@google-cloud/firestore';
import type { BenchConfig } from './bench-config.js';
import { withBenchEmulator } from './bench-emulator.js';
import { writeInBatches } from './firestore-batches.js';

/**
 * Firestore phase 1: the emulator's raw write rate — small documents, db.batch() commits of
 * 500 — the limit ingest and seeding approach. Measured one commit at a time (writeDay's
 * pattern) and with a few commits in flight, to show what overlapping commits would buy.
 * A run of a second or so on a JVM still swings from one try to the next, so each is
 * measured over a few rounds, interleaved, and the best round is the limit.
 */

export interface WriteRounds {
  /** docs/s of each round */
  rates: number[];
  best: number;
  median: number;
}

export interface FirestoreWriteBenchResult {
  docs: number;
  rounds: number;
  emulatorStartSeconds: number;
  sequential: WriteRounds;
  concurrentCommits: number;
  concurrent: WriteRounds;
}

const CONCURRENT_COMMITS = 4;
const ROUNDS = 3;

export function runFirestoreWriteBench(config: BenchConfig): Promise<FirestoreWriteBenchResult> {
  const docs = config.firestoreRawDocs;
  return withBenchEmulator(async ({ db, startSeconds }) => {
    const small =
      (collection: string) =>
      (i: number): [DocumentReference, DocumentData] => [db.collection(collection).doc(`d${String(i).padStart(7, '0')}`), { customerId: `C${i}`, branchId: `B${i % 40}`, n: i, at: '2026-11-02' }];
    const sequential: number[] = [];
    const concurrent: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // a fresh collection each time: every write creates a document, as a first ingest does
      sequential.push(docs / (await writeInBatches(db, docs, small(`rawSequential${round}`))));
      concurrent.push(docs / (await writeInBatches(db, docs, small(`rawConcurrent${round}`), { inFlight: CONCURRENT_COMMITS })));
    }
    return { docs, rounds: ROUNDS, emulatorStartSeconds: startSeconds, sequential: roundsOf(sequential), concurrentCommits: CONCURRENT_COMMITS, concurrent: roundsOf(concurrent) };
  });
}

function roundsOf(rates: number[]): WriteRounds {
  const sorted = [...rates].sort((a, b) => a - b);
  return { rates, best: sorted[sorted.length - 1]!, median: sorted[Math.floor(sorted.length / 2)]! };
}
