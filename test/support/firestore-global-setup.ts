import type { TestProject } from 'vitest/node';
import { startFirestoreEmulator } from '../../functions/emulator/firestore-emulator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    firestoreHost: string;
  }
}

/** Starts the real Firestore emulator once for all test files; each file uses a project of its own. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulator = await startFirestoreEmulator({ readyTimeoutMs: 60_000 });
  project.provide('firestoreHost', emulator.host);
  return () => emulator.stop();
}
