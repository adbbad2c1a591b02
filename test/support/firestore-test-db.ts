import { Firestore } from '@google-cloud/firestore';
import { inject } from 'vitest';
import { clearEmulator } from '../../functions/emulator/firestore-emulator.js';
import { createFirestore } from '../../functions/config.js';

/**
 * A Firestore client on the test run's emulator, in a project of the test file's own so that
 * files running in parallel never see each other's data; clear() empties it between tests.
 */
export function testFirestore(projectId: string): { db: Firestore; host: string; clear: () => Promise<void> } {
  const host = inject('firestoreHost');
  const db = createFirestore({ projectId, emulatorHost: host });
  return { db, host, clear: () => clearEmulator(host, projectId) };
}
