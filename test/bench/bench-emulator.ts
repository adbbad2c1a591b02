import type { Firestore } from '@google-cloud/firestore';
import { clearEmulator, startFirestoreEmulator } from '../../functions/emulator/firestore-emulator.js';
import { createFirestore } from '../../functions/config.js';
import { writeInBatches } from './firestore-batches.js';

/**
 * Gives a Firestore phase an emulator of its own for as long as the phase runs: started,
 * warmed up (a cold JVM would bill its JIT to whichever measurement came first), emptied, and always
 * stopped — on success, on failure, and on Ctrl-C or SIGTERM, because the emulator runs in
 * a process group of its own that the terminal's signal never reaches.
 */

export const BENCH_PROJECT = 'demo-wealth-ladder-bench';

// The JVM's write rate climbs for the first ~100,000 documents (11k → 45k docs/s seen on
// this machine kind) and then holds; every phase warms up the same way so they compare.
const WARM_UP_DOCS = 100_000;

export interface BenchFirestore {
  db: Firestore;
  /** seconds from spawning the emulator to its first answer */
  startSeconds: number;
  /** host:port, for a process of its own (FIRESTORE_EMULATOR_HOST) */
  host: string;
}

export async function withBenchEmulator<T>(run: (firestore: BenchFirestore) => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const emulator = await startFirestoreEmulator({ readyTimeoutMs: 60_000 });
  const startSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: stopping the Firestore emulator on ${emulator.host}\n`);
    void emulator.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const db = createFirestore({ projectId: BENCH_PROJECT, emulatorHost: emulator.host });
  try {
    await writeInBatches(db, WARM_UP_DOCS, (i) => [db.collection('warmUp').doc(`w${i}`), { i, text: 'warm-up' }], { inFlight: 2 });
    await clearEmulator(emulator.host, BENCH_PROJECT);
    return await run({ db, startSeconds, host: emulator.host });
  } finally {
    await db.terminate().catch(() => undefined);
    await emulator.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
