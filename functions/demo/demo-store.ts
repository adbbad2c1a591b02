import type { Firestore } from '@google-cloud/firestore';
import { createFirestore, DEFAULT_PROJECT, parseStoreConfig } from '../config.js';
import { clearEmulator, startFirestoreEmulator } from '../emulator/firestore-emulator.js';

/**
 * Runs the demo against a Firestore emulator: the one named by FIRESTORE_EMULATOR_HOST if
 * set, else one started here and stopped (as a process group) when the demo ends. The demo's
 * project is emptied first, so every run starts from the same bank.
 */
export async function withDemoStore<T>(work: (db: Firestore) => Promise<T>): Promise<T> {
  const given = process.env['FIRESTORE_EMULATOR_HOST'];
  const emulator = given ? null : await startFirestoreEmulator();
  const config = parseStoreConfig({ ...process.env, FIRESTORE_EMULATOR_HOST: given ?? emulator!.host, GOOGLE_CLOUD_PROJECT: process.env['GOOGLE_CLOUD_PROJECT'] ?? DEFAULT_PROJECT });
  const db = createFirestore(config);
  try {
    await clearEmulator(config.emulatorHost!, config.projectId);
    return await work(db);
  } finally {
    await db.terminate();
    await emulator?.stop();
  }
}
