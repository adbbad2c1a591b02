import * as functions from '@google-cloud/functions-framework';
import { bundledScheme } from '../shared/bundled-schemes.js';
import { createFirestore, parseSheetsQuotaConfig, parseStoreConfig } from './config.js';
import { readFileSync } from 'node:fs';
import { parseIngestToken } from './http/bearer-token.js';
import { createIngestHandler } from './http/ingest-function.js';
import { DateTime } from 'luxon';
import { bundledStandards, DEFAULT_STANDARDS_ID } from '../shared/service/bundled-standards.js';
import { parseCallerAuth } from './http/caller-auth.js';
import { createNightlyBranchHandler } from './nightly/nightly-branch-function.js';
import { createAccountSheetsClient } from './sheets/sheets-client.js';
import { lazyGateway, pacedAccounts, shardedSheetsGateway, shardFor, type PacedAccounts } from './sheets/sharded-sheets-gateway.js';
import { createSheetEditHandler } from './http/sheet-edit-function.js';
import { createAdoptSheetHandler } from './http/adopt-sheet-function.js';
import { PubSub } from '@google-cloud/pubsub';
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { z } from 'zod';
import { formatCivilDay, parseCivilDay } from '../shared/calendar/civil-date.js';
import { branchMessageSchema, consolidateMessageSchema, decodeMessage, pubSubPublisher, startMessageSchema, type PubSubEventData } from './nightly/nightly-messages.js';
import { branchStep, consolidateStep, startNightlyStep, type NightlyStepDeps } from './nightly/nightly-steps.js';
import { googleHeadOfficeWriter } from './head-office/google-head-office.js';

/**
 * The Cloud Functions entry module (package.json "main"): the one place that reads the
 * environment and builds clients for the functions; everything below receives them. A broken
 * Firestore configuration throws here, at load. Each function's own settings (its token, secret
 * or OIDC policy) are read on its first call: the functions are deployed one by one from this
 * same module, each with only its own variables.
 *
 * Environment: FIRESTORE_EMULATOR_HOST or GOOGLE_CLOUD_PROJECT (functions/config.ts),
 * INGEST_TOKEN, SHEET_EDIT_* (sheetEdit and adoptSheet) and NIGHTLY_* caller policies,
 * SHEETS_API_ROOT, SHEETS_SERVICE_ACCOUNTS and the Sheets quota (functions/config.ts,
 * docs/functions.md).
 */

// Express, inside the framework, answers a body it cannot parse (malformed JSON) before our
// handler runs, with an error page that shows the stack trace unless NODE_ENV is production.
// Deployed Cloud Functions set production; a local run gets the same unless told otherwise.
process.env['NODE_ENV'] ??= 'production';

const db = createFirestore(parseStoreConfig(process.env));

/**
 * Every Sheets request of every function goes through the accounts SHEETS_SERVICE_ACCOUNTS lists,
 * each paced by the quota budget held in Firestore, which every instance shares: raising
 * max-instances cannot overspend Google's per-user quota (functions/sheets/request-pacer.ts).
 */
let sheetsAccounts: Promise<PacedAccounts> | null = null;
function pacedSheetsAccounts(): Promise<PacedAccounts> {
  sheetsAccounts ??= pacedAccounts(db, parseSheetsQuotaConfig(process.env, (path) => JSON.parse(readFileSync(path, 'utf8')) as { client_email?: string }), (account) =>
    createAccountSheetsClient(process.env, account),
  );
  return sheetsAccounts;
}
const pacedSheets = () => lazyGateway(async () => shardedSheetsGateway((await pacedSheetsAccounts()).shards));

functions.http(
  'ingest',
  configuredOnFirstCall('ingest', () =>
    createIngestHandler({
      db,
      token: parseIngestToken(process.env),
      // Only the bundled schemes: a scheme named in a request must never become a file path to read.
      loadScheme: async (id) => bundledScheme(id),
      defaultSchemeId: 'boc',
      now: () => new Date(),
    }),
  ),
);

/** The bank's business date: today in Asia/Shanghai. */
function todayInShanghai(): number {
  const day = parseCivilDay(DateTime.now().setZone('Asia/Shanghai').toISODate() ?? '');
  if (day === null) throw new Error('cannot read today in Asia/Shanghai');
  return day;
}

/**
 * A function configured on its first call, not at load: a deployment of `ingest` alone carries
 * no SHEET_EDIT_* or NIGHTLY_* settings and must still start. A broken configuration answers
 * 500 with a code (and the cause in the function log), never a half-configured handler.
 */
function configuredOnFirstCall<Req, Res extends { status(code: number): unknown; json(body: unknown): unknown }>(name: string, build: () => (req: Req, res: Res) => Promise<void>): (req: Req, res: Res) => Promise<void> {
  let handler: ((req: Req, res: Res) => Promise<void>) | null = null;
  return async (req, res) => {
    try {
      handler ??= build();
    } catch (error) {
      log({ severity: 'ERROR', message: `${name} is not configured: ${(error as Error).message}` });
      res.status(500);
      res.json({ code: 'CONFIG_INVALID', message: `the ${name} function is not configured; the cause is in the function log` });
      return;
    }
    await handler(req, res);
  };
}

function log(entry: { severity: 'INFO' | 'ERROR'; message: string; [field: string]: unknown }): void {
  process.stderr.write(JSON.stringify(entry) + '\n');
}

functions.http(
  'sheetEdit',
  configuredOnFirstCall('sheetEdit', () =>
    createSheetEditHandler({
      db,
      scheme: bundledScheme('boc')!,
      standards: bundledStandards(DEFAULT_STANDARDS_ID)!,
      auth: parseCallerAuth(process.env, 'SHEET_EDIT'),
      now: () => new Date(),
      today: todayInShanghai,
    }),
  ),
);

// The branch sheet's 财富阶梯 → 连接现有表格…: the same Apps Script as sheetEdit, so the same caller policy.
functions.http(
  'adoptSheet',
  configuredOnFirstCall('adoptSheet', () =>
    createAdoptSheetHandler({
      db,
      sheets: pacedSheets(),
      scheme: bundledScheme('boc')!,
      standards: bundledStandards(DEFAULT_STANDARDS_ID)!,
      auth: parseCallerAuth(process.env, 'SHEET_EDIT'),
      now: () => new Date(),
      today: todayInShanghai,
      log,
    }),
  ),
);

functions.http(
  'nightlyBranch',
  configuredOnFirstCall('nightlyBranch', () =>
    createNightlyBranchHandler({
      db,
      scheme: bundledScheme('boc')!,
      standards: bundledStandards(DEFAULT_STANDARDS_ID)!,
      sheets: pacedSheets(),
      auth: parseCallerAuth(process.env, 'NIGHTLY'),
      now: () => new Date(),
      today: todayInShanghai,
      log,
    }),
  ),
);

/**
 * The nightly run behind Pub/Sub (docs/nightly.md): Cloud Scheduler publishes to
 * `nightly-start`; nightlyStart sends one message per branch to `nightly-branch`;
 * nightlyBranchTask runs one branch per message; the last one to finish sends
 * `nightly-consolidate`, which nightlyConsolidate turns into the head-office workbook.
 * A message that is not valid is logged and dropped (a retry could not fix it); a failure of
 * the store or of Google is thrown so that Pub/Sub delivers the message again.
 */
let nightlySteps: NightlyStepDeps | null = null;
function nightlyStepDeps(): NightlyStepDeps {
  const headOfficeSpreadsheetId = process.env['HEAD_OFFICE_SPREADSHEET_ID']?.trim();
  nightlySteps ??= {
    db,
    scheme: bundledScheme('boc')!,
    standards: bundledStandards(DEFAULT_STANDARDS_ID)!,
    sheets: pacedSheets(),
    now: () => new Date(),
    publish: pubSubPublisher(new PubSub({ projectId: parseStoreConfig(process.env).projectId })),
    headOffice: headOfficeSpreadsheetId
      ? async (content) => {
          const shard = shardFor(await pacedSheetsAccounts(), headOfficeSpreadsheetId);
          return googleHeadOfficeWriter(shard.sheets, { spreadsheetId: headOfficeSpreadsheetId, pacer: shard.pacer }, (message) => log({ severity: 'INFO', message }))(content);
        }
      : null,
    log,
  };
  return nightlySteps;
}

function nightlyEvent<T>(name: string, schema: z.ZodType<T>, step: (deps: NightlyStepDeps, message: T) => Promise<unknown>): (ce: CloudEvent<PubSubEventData>) => Promise<void> {
  return async (ce) => {
    const decoded = decodeMessage(ce.data, schema);
    if (!decoded.ok) {
      log({ severity: 'ERROR', message: `${name}: message ${ce.id} dropped: ${decoded.reason}` });
      return;
    }
    await step(nightlyStepDeps(), decoded.message);
  };
}

functions.cloudEvent<PubSubEventData>(
  'nightlyStart',
  nightlyEvent('nightlyStart', startMessageSchema, (deps, m) => startNightlyStep(deps, m.businessDate ?? formatCivilDay(todayInShanghai()), { resume: m.resume ?? true })),
);
functions.cloudEvent<PubSubEventData>('nightlyBranchTask', nightlyEvent('nightlyBranchTask', branchMessageSchema, (deps, m) => branchStep(deps, m, { consolidateWhenLast: true })));
functions.cloudEvent<PubSubEventData>('nightlyConsolidate', nightlyEvent('nightlyConsolidate', consolidateMessageSchema, (deps, m) => consolidateStep(deps, m)));
