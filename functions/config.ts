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
 * The Sheets quota settings, each declared once (name, default, what it means); parsed by
 * parseSheetsQuotaConfig. Google's limits: 60 read and 60 write requests a minute per user (a
 * service account is one user), 300 and 300 per project (Sheets API, "Usage limits").
 */
export const SHEETS_QUOTA_SETTINGS = {
  SHEETS_SERVICE_ACCOUNTS: {
    default: '',
    help: 'comma-separated service accounts to shard the branches over: each a key file (path ending .json) or an email the function account impersonates; empty = the application default credentials, one account',
  },
  SHEETS_ACCOUNT_REQUESTS_PER_MINUTE: { default: '56', help: 'the most read (and, apart, write) requests one account may send in any 60 s: Google’s 60 less a margin' },
  SHEETS_PROJECT_REQUESTS_PER_MINUTE: { default: '280', help: 'the same for all accounts of one Cloud project together: Google’s 300 less a margin' },
} as const;

export interface SheetsAccountConfig {
  /** what the budget is keyed by: the account's email, or "default" for the application default credentials */
  account: string;
  /** the Cloud project whose per-project quota it draws from */
  project: string;
  /** how the client authenticates: a key file, impersonation of the email, or the default credentials */
  credentials: { keyFile: string } | { impersonate: string } | 'default';
}

export interface SheetsQuotaConfig {
  accounts: SheetsAccountConfig[];
  perAccountPerMinute: number;
  perProjectPerMinute: number;
}

/**
 * A key file's account and project are read from the file (client_email, project_id) by
 * `readKeyFile` (injected, so parsing stays testable); an impersonated email names its project
 * (NAME@PROJECT.iam.gserviceaccount.com).
 */
export function parseSheetsQuotaConfig(env: Readonly<Record<string, string | undefined>>, readKeyFile: (path: string) => { client_email?: string; project_id?: string }): SheetsQuotaConfig {
  const setting = (name: keyof typeof SHEETS_QUOTA_SETTINGS) => env[name]?.trim() || SHEETS_QUOTA_SETTINGS[name].default;
  const whole = (name: keyof typeof SHEETS_QUOTA_SETTINGS, most: number) => {
    const n = Number(setting(name));
    if (!Number.isInteger(n) || n < 14 || n > most) throw new ConfigurationError(`${name} must be a whole number from 14 to ${most}, got "${env[name]}"`);
    return n;
  };
  const entries = setting('SHEETS_SERVICE_ACCOUNTS')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const accounts: SheetsAccountConfig[] = entries.map((entry) => {
    if (entry.endsWith('.json')) {
      const key = readKeyFile(entry);
      if (!key.client_email || !key.project_id) throw new ConfigurationError(`SHEETS_SERVICE_ACCOUNTS: ${entry} is not a service account key file (no client_email or project_id)`);
      return { account: key.client_email, project: key.project_id, credentials: { keyFile: entry } };
    }
    const project = /^[^@\s]+@([a-z][a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(entry)?.[1];
    if (project === undefined) throw new ConfigurationError(`SHEETS_SERVICE_ACCOUNTS: "${entry}" is neither a key file (.json) nor a service account email (NAME@PROJECT.iam.gserviceaccount.com)`);
    return { account: entry, project, credentials: { impersonate: entry } };
  });
  if (new Set(accounts.map((a) => a.account)).size !== accounts.length) throw new ConfigurationError('SHEETS_SERVICE_ACCOUNTS names an account twice');
  if (accounts.length === 0) accounts.push({ account: 'default', project: env['GOOGLE_CLOUD_PROJECT']?.trim() || DEFAULT_PROJECT, credentials: 'default' });
  return { accounts, perAccountPerMinute: whole('SHEETS_ACCOUNT_REQUESTS_PER_MINUTE', 60), perProjectPerMinute: whole('SHEETS_PROJECT_REQUESTS_PER_MINUTE', 300) };
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
