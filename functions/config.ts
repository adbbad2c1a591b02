import { Firestore } from '@google-cloud/firestore';

/**
 * The one place that reads the environment and builds the Firestore client. Everything else
 * receives the client as an argument.
 *
 * - FIRESTORE_EMULATOR_HOST=host:port → the emulator (project GOOGLE_CLOUD_PROJECT, default
 *   demo-wealth-ladder; no credentials).
 * - else GOOGLE_CLOUD_PROJECT → the real Firestore, with application default credentials.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export interface StoreConfig {
  projectId: string;
  emulatorHost: string | null;
}

export const DEFAULT_PROJECT = 'demo-wealth-ladder';

export function parseStoreConfig(env: Readonly<Record<string, string | undefined>>): StoreConfig {
  const emulatorHost = env['FIRESTORE_EMULATOR_HOST']?.trim() || null;
  const projectId = env['GOOGLE_CLOUD_PROJECT']?.trim() || (emulatorHost ? DEFAULT_PROJECT : '');
  if (emulatorHost !== null && !/^[\w.-]+:\d+$/.test(emulatorHost)) throw new ConfigurationError(`FIRESTORE_EMULATOR_HOST must be host:port, got "${emulatorHost}"`);
  if (!projectId) {
    throw new ConfigurationError('no Firestore to talk to: set FIRESTORE_EMULATOR_HOST=127.0.0.1:8081 (the local emulator; `npm start` starts one) or GOOGLE_CLOUD_PROJECT for the real Firestore');
  }
  return { projectId, emulatorHost };
}

export function createFirestore(config: StoreConfig): Firestore {
  if (config.emulatorHost !== null) {
    // Without this the auth library probes the GCE metadata server, which does not exist here.
    process.env['METADATA_SERVER_DETECTION'] ??= 'none';
    return new Firestore({ projectId: config.projectId, host: config.emulatorHost, ssl: false, customHeaders: { Authorization: 'Bearer owner' } });
  }
  return new Firestore({ projectId: config.projectId });
}
