import * as functions from '@google-cloud/functions-framework';
import { bundledScheme } from '../shared/bundled-schemes.js';
import { createFirestore, parseStoreConfig } from './config.js';
import { parseIngestToken } from './http/bearer-token.js';
import { createIngestHandler } from './http/ingest-function.js';

/**
 * The Cloud Functions entry module (package.json "main"): the one place that reads the
 * environment and builds clients for the functions; everything below receives them. A broken
 * configuration throws here, at load, so the function never serves requests half-configured.
 *
 * Environment: FIRESTORE_EMULATOR_HOST or GOOGLE_CLOUD_PROJECT (functions/config.ts) and
 * INGEST_TOKEN (docs/functions.md).
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
