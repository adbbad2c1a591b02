/** The Firestore emulator's lifecycle: the shared one (gcloud-emulator.ts), for Firestore. */
export { clearEmulator, EmulatorError, findEmulatorScript, startFirestoreEmulator, type EmulatorOptions, type RunningEmulator } from './gcloud-emulator.js';
