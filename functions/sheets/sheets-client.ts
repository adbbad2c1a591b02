import { Impersonated } from 'google-auth-library';
import { google, type sheets_v4 } from 'googleapis';
import type { SheetsAccountConfig } from '../config.js';

const SPREADSHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

/**
 * The googleapis Sheets client a deployment uses, from an injected environment:
 * - SHEETS_API_ROOT=http://host:port/ → that endpoint without Google credentials (the project's
 *   Sheets API test server, or any local stand-in); refused unless it is loopback, so a typo can
 *   never send a bank's data to an unknown host unauthenticated;
 * - else Google Sheets with application default credentials (the function's service account,
 *   which each branch spreadsheet is shared with), spreadsheet scope only.
 */
export function createSheetsClient(env: Readonly<Record<string, string | undefined>>): sheets_v4.Sheets {
  const root = localRoot(env);
  if (root !== null) return google.sheets({ version: 'v4', rootUrl: root, auth: 'local-test-server' });
  const auth = new google.auth.GoogleAuth({ scopes: [SPREADSHEETS_SCOPE] });
  return google.sheets({ version: 'v4', auth });
}

/**
 * The client of one of the accounts SHEETS_SERVICE_ACCOUNTS lists (functions/config.ts): its key
 * file, or the function's own account impersonating it (which needs the Service Account Token
 * Creator role on it), or the default credentials. Against a local stand-in the account goes as
 * the bearer token, so the stand-in can count each account's quota apart, as Google does.
 */
export async function createAccountSheetsClient(env: Readonly<Record<string, string | undefined>>, account: SheetsAccountConfig): Promise<sheets_v4.Sheets> {
  const root = localRoot(env);
  if (root !== null) return google.sheets({ version: 'v4', rootUrl: root, auth: 'local-test-server', headers: { Authorization: `Bearer ${account.account}` } });
  const { credentials } = account;
  if (credentials === 'default') return google.sheets({ version: 'v4', auth: new google.auth.GoogleAuth({ scopes: [SPREADSHEETS_SCOPE] }) });
  if ('keyFile' in credentials) return google.sheets({ version: 'v4', auth: new google.auth.GoogleAuth({ keyFile: credentials.keyFile, scopes: [SPREADSHEETS_SCOPE] }) });
  const source = await new google.auth.GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] }).getClient();
  const auth = new Impersonated({ sourceClient: source as never, targetPrincipal: credentials.impersonate, targetScopes: [SPREADSHEETS_SCOPE], lifetime: 3600, delegates: [] });
  return google.sheets({ version: 'v4', auth });
}

function localRoot(env: Readonly<Record<string, string | undefined>>): string | null {
  const root = env['SHEETS_API_ROOT']?.trim();
  if (!root) return null;
  const url = new URL(root);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`SHEETS_API_ROOT must be a loopback address (a local test server), got ${url.hostname}`);
  return url.href;
}
