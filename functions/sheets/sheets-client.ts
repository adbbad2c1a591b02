import { google, type sheets_v4 } from 'googleapis';

/**
 * The googleapis Sheets client a deployment uses, from an injected environment:
 * - SHEETS_API_ROOT=http://host:port/ → that endpoint without Google credentials (the project's
 *   Sheets API test server, or any local stand-in); refused unless it is loopback, so a typo can
 *   never send a bank's data to an unknown host unauthenticated;
 * - else Google Sheets with application default credentials (the function's service account,
 *   which each branch spreadsheet is shared with), spreadsheet scope only.
 */
export function createSheetsClient(env: Readonly<Record<string, string | undefined>>): sheets_v4.Sheets {
  const root = env['SHEETS_API_ROOT']?.trim();
  if (root) {
    const url = new URL(root);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`SHEETS_API_ROOT must be a loopback address (a local test server), got ${url.hostname}`);
    return google.sheets({ version: 'v4', rootUrl: url.href, auth: 'local-test-server' });
  }
  const auth = new google.auth.GoogleAuth({ scopes: ['https://www.googleapis.com/auth/spreadsheets'] });
  return google.sheets({ version: 'v4', auth });
}
