import type { Firestore } from '@google-cloud/firestore';
import { PubSub } from '@google-cloud/pubsub';
import { DateTime } from 'luxon';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { DEFAULT_STANDARDS_ID } from '../../shared/service/bundled-standards.js';
import { startPubSubEmulator, type RunningEmulator } from '../emulator/gcloud-emulator.js';
import type { BranchOutcome } from '../nightly/branch-pool.js';
import { runNightlyLocally, type LocalNightlyReport } from '../nightly/run-nightly-locally.js';
import { runNightlyOverPubSub } from '../nightly/run-nightly-pubsub.js';
import type { HeadOfficeWriter, NightlyStepDeps } from '../nightly/nightly-steps.js';
import { loadScheme, loadStandards } from '../scheme-source.js';
import { pacedAccounts, shardedSheetsGateway, shardFor, type PacedAccounts } from '../sheets/sharded-sheets-gateway.js';
import { readFileSync } from 'node:fs';
import { googleHeadOfficeWriter } from '../head-office/google-head-office.js';
import { xlsxHeadOfficeWriter } from '../head-office/xlsx-head-office.js';
import { createAccountSheetsClient } from '../sheets/sheets-client.js';
import { workbookFolder } from '../sheets/workbook-locator.js';
import { xlsxSheetsGateway } from '../sheets/xlsx-sheets-gateway.js';
import { ConfigurationError, parseSheetsQuotaConfig, parseStoreConfig } from '../config.js';
import { duration, progressWriter } from './progress-line.js';

/**
 * `ladder nightly [--date D] [--concurrency N] [--rerun] [--pubsub] [--workbooks DIR]`: a business date's nightly
 * run of every branch (their Google Sheets, or with --workbooks their local workbooks in DIR),
 * then the head-office consolidation. By default on one machine in a
 * bounded pool; with --pubsub through Pub/Sub (PUBSUB_EMULATOR_HOST, or an emulator started
 * for the run), the same messages and steps as the cloud functions. Resumes by default: a
 * branch already done for the date is not run again (--rerun runs every branch). Progress on
 * standard error, a report at the end. Exit 0 all branches done, 1 some failed, 2 usage,
 * 3 stopped because the store stopped answering (run the date again once it is back).
 */

/** The exit code of a run the store stopped answering (functions/nightly/store-watch.ts). */
export const STORE_UNAVAILABLE_EXIT = 3;

export const NIGHTLY_OPTIONS = {
  date: { type: 'string' },
  concurrency: { type: 'string' },
  rerun: { type: 'boolean' },
  pubsub: { type: 'boolean' },
  scheme: { type: 'string' },
  standards: { type: 'string' },
  'sheets-per-minute': { type: 'string' },
  'head-office': { type: 'string' },
  workbooks: { type: 'string' },
} as const;

export interface NightlyValues {
  date?: string;
  concurrency?: string;
  rerun?: boolean;
  pubsub?: boolean;
  scheme?: string;
  standards?: string;
  'sheets-per-minute'?: string;
  'head-office'?: string;
  workbooks?: string;
}


export async function nightlyCommand(db: Firestore, values: NightlyValues, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const date = values.date ?? DateTime.now().setZone('Asia/Shanghai').toISODate() ?? '';
  if (parseCivilDay(date) === null) throw new ConfigurationError(`--date must be a date as YYYY-MM-DD, got "${date}"`);
  const concurrency = positiveInt(values.concurrency ?? '4', '--concurrency');
  // Every Sheets request goes through the accounts SHEETS_SERVICE_ACCOUNTS lists, paced by the
  // Firestore-held budget that the deployed functions share too (functions/sheets/request-pacer.ts).
  const perAccount = values['sheets-per-minute'];
  const quota = parseSheetsQuotaConfig(perAccount === undefined ? env : { ...env, SHEETS_ACCOUNT_REQUESTS_PER_MINUTE: perAccount }, (path) => JSON.parse(readFileSync(path, 'utf8')) as { client_email?: string });
  const needsGoogle = values.workbooks === undefined || (values['head-office'] === undefined && Boolean(env['HEAD_OFFICE_SPREADSHEET_ID']?.trim()));
  const paced = needsGoogle ? await pacedAccounts(db, quota, (account) => createAccountSheetsClient(env, account)) : null;
  const scheme = await loadScheme(values.scheme ?? 'boc');
  const headOffice = headOfficeWriterFor(values['head-office'], env, paced);
  const deps: Omit<NightlyStepDeps, 'publish'> = {
    db,
    scheme,
    standards: await loadStandards(values.standards ?? DEFAULT_STANDARDS_ID, scheme),
    // Local workbooks (registered as each branch's workbookId, e.g. by `ladder watch --register`), or Google.
    ...(values.workbooks !== undefined
      ? { sheets: xlsxSheetsGateway(workbookFolder(values.workbooks)), sheetField: 'workbookId' as const }
      : { sheets: shardedSheetsGateway((paced as PacedAccounts).shards) }),
    now: () => new Date(),
    headOffice,
  };
  const resume = values.rerun !== true;
  const onProgress = progressWriter((t) => process.stderr.write(t), process.stderr.isTTY === true);
  const started = Date.now();
  process.stderr.write(`ladder nightly ${date}: ${values.pubsub ? 'through Pub/Sub' : `${concurrency} branches at a time`}, Sheets paced to ${quota.perAccountPerMinute} reads and ${quota.perAccountPerMinute} writes a minute per account (${quota.accounts.length} account${quota.accounts.length === 1 ? '' : 's'})${resume ? ', branches already done skipped' : ''}\n`);

  let report: LocalNightlyReport;
  if (values.pubsub) {
    let emulator: RunningEmulator | null = null;
    const host = env['PUBSUB_EMULATOR_HOST'] ?? (emulator = await startPubSubEmulator()).host;
    const pubsub = new PubSub({ projectId: parseStoreConfig(env).projectId, apiEndpoint: host, emulatorMode: true });
    try {
      report = await runNightlyOverPubSub(deps, pubsub, date, { resume, concurrency, clock: Date.now, onProgress });
    } finally {
      await pubsub.close();
      await emulator?.stop();
    }
  } else {
    report = await runNightlyLocally(deps, date, { resume, concurrency, clock: Date.now, onProgress });
  }
  process.stderr.write(renderReport(date, report, Date.now() - started, paced?.stats() ?? { acquired: 0, waitedMs: 0 }));
  if (report.storeUnavailable) return STORE_UNAVAILABLE_EXIT;
  return report.outcomes.some((o) => o.status === 'failed') || 'error' in report.consolidation ? 1 : 0;
}

function renderReport(date: string, r: LocalNightlyReport, elapsedMs: number, pacing: { acquired: number; waitedMs: number }): string {
  const by = (status: BranchOutcome['status']) => r.outcomes.filter((o) => o.status === status);
  const lines = [
    `ladder nightly ${date}: ${r.plan.all.length} branches — ${by('done').length} done, ${by('failed').length} failed, ${r.plan.alreadyDone.length} already done before — in ${duration(elapsedMs)}`,
    `  Sheets requests ${pacing.acquired}, waited ${duration(pacing.waitedMs)} for the quota`,
  ];
  for (const o of by('failed')) lines.push(`  FAILED ${o.branchId}: ${o.error ?? ''}`);
  if ('error' in r.consolidation) lines.push(`  head office NOT consolidated: ${r.consolidation.error}`);
  else lines.push(`  head office consolidated${r.consolidation.location ? `: ${r.consolidation.location}` : ' (not written: give --head-office DIR or set HEAD_OFFICE_SPREADSHEET_ID)'}`);
  if (r.storeUnavailable) lines.push(`  STOPPED: ${r.storeUnavailable}; run the date again once the store answers (branches done are kept)`);
  return lines.join('\n') + '\n';
}

/**
 * Where head office goes: a local workbook folder (--head-office DIR), or the Google
 * spreadsheet HEAD_OFFICE_SPREADSHEET_ID (paced with the branch writes); nowhere when neither
 * is given (the consolidation is still computed and recorded).
 */
function headOfficeWriterFor(dir: string | undefined, env: Readonly<Record<string, string | undefined>>, paced: PacedAccounts | null): HeadOfficeWriter | null {
  const log = (message: string) => process.stderr.write(`  ${message}\n`);
  if (dir !== undefined) return xlsxHeadOfficeWriter(dir, log);
  const spreadsheetId = env['HEAD_OFFICE_SPREADSHEET_ID']?.trim();
  if (spreadsheetId && paced !== null) {
    const shard = shardFor(paced, spreadsheetId);
    return googleHeadOfficeWriter(shard.sheets, { spreadsheetId, pacer: shard.pacer }, log);
  }
  return null;
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new ConfigurationError(`${flag} must be a whole number of at least 1, got "${text}"`);
  return n;
}
