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

/**
 * `<P>_OIDC_AUDIENCES`: the `aud` values an identity token may carry, comma-separated. For
 * sheetEdit and adoptSheet that is the OAuth client id of the Cloud project the branch scripts
 * are in (`<digits>-<id>.apps.googleusercontent.com`: ScriptApp.getIdentityToken() puts it in
 * `aud`, https://developers.google.com/apps-script/guides/services/cloud-run) — one when every
 * branch's script is in one standard Cloud project, else the list of them; for a function
 * Google calls (Cloud Scheduler, Pub/Sub push), its https URL. Unset or blank: no OIDC (an
 * empty list). Anything else must be a list of such entries: an empty entry (`a,,b`, a
 * trailing comma), a space inside one, or an entry of neither form is a ConfigurationError,
 * thrown before the function serves anything, never a policy that silently refuses everyone.
 */
export function parseOidcAudiences(raw: string | undefined, name: string): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const entries = raw.split(',').map((s) => s.trim());
  const audiences: string[] = [];
  entries.forEach((entry, i) => {
    if (entry === '') throw new ConfigurationError(`${name} has an empty entry (number ${i + 1} of ${entries.length}): list the OAuth client ids or URLs separated by single commas`);
    if (!OAUTH_CLIENT_ID.test(entry) && !isHttpsUrl(entry)) {
      throw new ConfigurationError(`${name} entry "${entry.slice(0, 100)}" is neither an OAuth client id (<digits>-<id>.apps.googleusercontent.com, the \`aud\` of the script's identity token) nor an https URL`);
    }
    if (!audiences.includes(entry)) audiences.push(entry);
  });
  return audiences;
}

const OAUTH_CLIENT_ID = /^\d+-[0-9a-z]+\.apps\.googleusercontent\.com$/;

function isHttpsUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}
