import { createFirestore, parseStoreConfig } from '../config.js';
import { DEFAULT_BACKOFF, statusOf } from '../sheets/backoff.js';
import { googleSheetsGateway } from '../sheets/google-sheets-gateway.js';
import { GoogleUnbindError, unbindSpreadsheet } from '../sheets/google-ledger-unbind.js';
import { createSheetsClient } from '../sheets/sheets-client.js';

/**
 * `ladder unbind --spreadsheet ID`: gives an adopted Google ledger back to its branch
 * (functions/sheets/google-ledger-unbind.ts). Exit 0 when done, 2 when the spreadsheet is not an
 * adopted ledger or the system cannot open it; what was removed is said on stderr.
 */
export async function unbindSpreadsheetCommand(spreadsheetId: string, env: Readonly<Record<string, string | undefined>> = process.env, err: (text: string) => void = (t) => process.stderr.write(t)): Promise<number> {
  const db = createFirestore(parseStoreConfig(env));
  const client = createSheetsClient(env);
  try {
    const r = await unbindSpreadsheet({ db, client, sheets: googleSheetsGateway(client, DEFAULT_BACKOFF) }, spreadsheetId);
    const registered = r.branchIds.length > 0 ? `, no longer registered as branch ${r.branchIds.join(', ')}'s spreadsheet` : ', it was no branch\'s registered spreadsheet';
    err(`ladder unbind: spreadsheet ${spreadsheetId} is the branch's own again: ${r.computedColumnsCleared} computed columns emptied (${r.cellsEmptied} cells), ${r.colourRulesRemoved} colour rules removed, tabs removed: ${r.tabsRemoved.join(', ') || 'none'}, metadata ${r.metadataKeysRemoved.join(', ')} removed${registered}\n`);
    return 0;
  } catch (error) {
    if (error instanceof GoogleUnbindError) {
      err(`ladder unbind: ${error.message}\n`);
      return 2;
    }
    const status = statusOf(error);
    if (status === 403 || status === 404) {
      err(`ladder unbind: the system cannot open spreadsheet ${spreadsheetId} (HTTP ${status}); it must be shared with the functions' service account as an editor\n`);
      return 2;
    }
    throw error;
  } finally {
    await db.terminate();
  }
}
