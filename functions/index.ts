import * as functions from '@google-cloud/functions-framework';
import { bundledScheme } from '../shared/bundled-schemes.js';
import { createFirestore, parseStoreConfig } from './config.js';
import { parseIngestToken } from './http/bearer-token.js';
import { createIngestHandler } from './http/ingest-function.js';
import { DateTime } from 'luxon';
import { parseCivilDay } from '../shared/calendar/civil-date.js';
import { bundledStandards, DEFAULT_STANDARDS_ID } from '../shared/service/bundled-standards.js';
import { parseSheetEditSecret } from './http/request-signature.js';
import { createSheetEditHandler } from './http/sheet-edit-function.js';

/**
 * The Cloud Functions entry module (package.json "main"): the one place that reads the
 * environment and builds clients for the functions; everything below receives them. A broken
 * configuration throws here, at load, so the function never serves requests half-configured.
 *
 * Environment: FIRESTORE_EMULATOR_HOST or GOOGLE_CLOUD_PROJECT (functions/config.ts),
 * INGEST_TOKEN and SHEET_EDIT_SECRET (docs/functions.md).
 */

// Express, inside the framework, answers a body it cannot parse (malformed JSON) before our
// handler runs, with an error page that shows the stack trace unless NODE_ENV is production.
// Deployed Cloud Functions set production; a local run gets the same unless told otherwise.
process.env['NODE_ENV'] ??= 'production';

const db = createFirestore(parseStoreConfig(process.env));

functions.http(
  'ingest',
  createIngestHandler({
    db,
    token: parseIngestToken(process.env),
    // Only the bundled schemes: a scheme named in a request must never become a file path to read.
    loadScheme: async (id) => bundledScheme(id),
    defaultSchemeId: 'boc',
    now: () => new Date(),
  }),
);

/** The bank's business date: today in Asia/Shanghai. */
function todayInShanghai(): number {
  const day = parseCivilDay(DateTime.now().setZone('Asia/Shanghai').toISODate() ?? '');
  if (day === null) throw new Error('cannot read today in Asia/Shanghai');
  return day;
}

// sheetEdit is configured on its first call, not at load: a deployment of `ingest` alone
// carries no SHEET_EDIT_SECRET and must still start. A broken configuration answers 500
// with a code (and the cause in the log), never a half-configured handler.
let sheetEdit: ReturnType<typeof createSheetEditHandler> | null = null;
functions.http('sheetEdit', async (req, res) => {
  try {
    sheetEdit ??= createSheetEditHandler({
      db,
      scheme: bundledScheme('boc')!,
      standards: bundledStandards(DEFAULT_STANDARDS_ID)!,
      secret: parseSheetEditSecret(process.env),
      now: () => new Date(),
      today: todayInShanghai,
    });
  } catch (error) {
    process.stderr.write(JSON.stringify({ severity: 'ERROR', message: `sheetEdit is not configured: ${(error as Error).message}` }) + '\n');
    res.status(500).json({ code: 'CONFIG_INVALID', message: 'the sheet-edit function is not configured; the cause is in the function log' });
    return;
  }
  await sheetEdit(req, res);
});
