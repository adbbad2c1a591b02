import type { Firestore } from '@google-cloud/firestore';
import { google, type sheets_v4 } from 'googleapis';
import { DateTime } from 'luxon';
import { signRequest } from '../../../functions/http/request-signature.js';
import { parseCivilDay, type CivilDay } from '../../../shared/calendar/civil-date.js';
import { monthOfDay } from '../../../shared/calendar/civil-date.js';
import type { MonthIndex } from '../../../shared/month.js';
import { testFirestore } from '../../support/firestore-test-db.js';
import { serveFunction, type FunctionsServer } from '../../support/functions-server.js';
import { startSheetsApiServer, type SheetsApiServer } from '../../support/sheets-api-server/index.js';

/**
 * The whole local stack of the spreadsheet front end, every part real: the built entry module
 * served by functions-framework twice (nightlyBranch and sheetEdit, each as deployed, with its
 * own secret), the googleapis client inside them talking over HTTP to the Sheets API test
 * server (SHEETS_API_ROOT), and the Firestore emulator underneath (a project per test file).
 * The test holds a googleapis client of its own on the same server: the manager's browser and
 * the Apps Script both act through it.
 */

export const NIGHTLY_SECRET = 'e2e-nightly-secret-0123456789';
export const SHEET_EDIT_SECRET = 'e2e-sheet-edit-secret-01234567';

export interface LadderStack {
  db: Firestore;
  sheetsServer: SheetsApiServer;
  /** the googleapis client of the manager / Apps Script side */
  sheets: sheets_v4.Sheets;
  nightly: FunctionsServer;
  sheetEdit: FunctionsServer;
  /** POST a signed JSON body to nightlyBranch */
  postNightly(body: unknown): Promise<Response>;
  /** POST a signed JSON body to sheetEdit */
  postEdit(body: unknown): Promise<Response>;
  stop(): Promise<void>;
}

export async function startLadderStack(projectId: string): Promise<LadderStack> {
  const { db, host, clear } = testFirestore(projectId);
  await clear();
  const sheetsServer = await startSheetsApiServer();
  const base = { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: projectId };
  const [nightly, sheetEdit] = await Promise.all([
    serveFunction('nightlyBranch', { ...base, NIGHTLY_SECRET, SHEETS_API_ROOT: sheetsServer.url }),
    serveFunction('sheetEdit', { ...base, SHEET_EDIT_SECRET }),
  ]);
  return {
    db,
    sheetsServer,
    sheets: google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: sheetsServer.url }),
    nightly,
    sheetEdit,
    postNightly: (body) => signedPost(nightly.url, NIGHTLY_SECRET, body),
    postEdit: (body) => signedPost(sheetEdit.url, SHEET_EDIT_SECRET, body),
    stop: async () => {
      await Promise.all([nightly.stop(), sheetEdit.stop()]);
      await sheetsServer.close();
      await db.terminate();
    },
  };
}

function signedPost(url: string, secret: string, body: unknown): Promise<Response> {
  const raw = JSON.stringify(body);
  // The signature's timestamp is the sender's clock, as Apps Script's would be.
  const headers = { 'content-type': 'application/json', 'x-ladder-signature': signRequest(secret, raw, Math.floor(Date.now() / 1000)) };
  return fetch(url, { method: 'POST', headers, body: raw });
}

/** Posts and insists on 200, with the body in the failure message. */
export async function okJson<T = any>(response: Promise<Response>): Promise<T> {
  const r = await response;
  const text = await r.text();
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${text}`);
  return JSON.parse(text) as T;
}

export interface BusinessToday {
  day: CivilDay;
  /** YYYY-MM-DD */
  text: string;
  month: MonthIndex;
}

/**
 * Today in Asia/Shanghai, the date the served functions use for sheet edits (they read their
 * own clock, as deployed). The tests build their month facts around it and run the nightly
 * for this date, so that both functions compute for the same day; a run that crosses
 * midnight in Shanghai could see the two disagree on 更新时间.
 */
export function businessToday(): BusinessToday {
  const text = DateTime.now().setZone('Asia/Shanghai').toISODate()!;
  const day = parseCivilDay(text)!;
  return { day, text, month: monthOfDay(day) };
}
