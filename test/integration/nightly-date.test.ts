import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimConsolidation, finishedBranches } from '../../functions/nightly/nightly-date.js';
import { runNightlyLocally } from '../../functions/nightly/run-nightly-locally.js';
import { googleSheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import type { HeadOfficeContent } from '../../shared/head-office/consolidation.js';
import { parseMonth } from '../../shared/month.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * A business date's nightly run on one machine (the bounded pool): every branch run and
 * recorded, one failing branch not stopping the others, a re-run resuming only what is not
 * done, and the consolidation from the stored summaries. Emulator + googleapis + test server.
 */

const { db, clear } = testFirestore('nightly-date-test');
let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
const scheme = bundledScheme('boc')!;
const standards = bundledStandards('d2')!;
const DATE = '2026-11-10';
let written: HeadOfficeContent[] = [];

const deps = () => ({
  db,
  scheme,
  standards,
  sheets: googleSheetsGateway(sheets, { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 0, random: () => 0, sleep: async () => {} }),
  now: () => new Date(),
  headOffice: async (content: HeadOfficeContent) => {
    written.push(content);
    return 'memory';
  },
});

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
});
afterAll(async () => {
  await server.close();
  await db.terminate();
});

beforeEach(async () => {
  await clear();
  written = [];
  const month = (text: string, average: number, days: number) => ({ month: parseMonth(text)!, assetDaySum: average * 100 * days, monthEndAssets: average * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] });
  const rows = [];
  const batch = db.batch();
  // Three branches of two customers; in each, customer 1 averaged 250,000 in October (licai from November), customer 2 50,000.
  for (const branchId of ['B01', 'B02', 'B03']) {
    const spreadsheetId = branchId === 'B02' ? 'missing-spreadsheet' : (await sheets.spreadsheets.create({ requestBody: { properties: { title: branchId } } })).data.spreadsheetId!;
    batch.set(db.collection('branches').doc(branchId), { branchId, name: `${branchId}支行`, spreadsheetId, managers: [] });
    for (const [n, average] of [
      [1, 250_000],
      [2, 50_000],
    ] as const) {
      const customerId = `${branchId}-C${n}`;
      rows.push({ customerId, branchId, ...month('2026-10', average, 31) });
      batch.set(db.collection('customers').doc(customerId), { customerId, branchId });
    }
  }
  await batch.commit();
  await writeHistory(db, rows);
});

describe('a nightly run of every branch on one machine', () => {
  it('runs every branch, records the one that fails, consolidates the others, and resumes only what is not done', async () => {
    const first = await runNightlyLocally(deps(), DATE, { resume: true, concurrency: 2, clock: Date.now });
    expect(first.plan).toMatchObject({ all: ['B01', 'B02', 'B03'], toRun: ['B01', 'B02', 'B03'], alreadyDone: [] });
    expect(first.outcomes.map((o) => [o.branchId, o.status]).sort()).toEqual([
      ['B01', 'done'],
      ['B02', 'failed'],
      ['B03', 'done'],
    ]);
    expect(await finishedBranches(db, DATE)).toEqual({ done: 2, failed: 1 });
    // head office from the two summaries: 4 customers, 2 of them licai
    const branchTab = written[0]!.tabs[0]!.rows;
    expect(branchTab.map((r) => r.slice(0, 3))).toEqual([
      ['支行号', '支行', '客户数'],
      ['B01', 'B01支行', 2],
      ['B03', 'B03支行', 2],
      ['合计', '', 4],
    ]);
    expect((await db.collection('nightlyDates').doc(DATE).get()).get('consolidation.status')).toBe('done');
    const events = (await db.collection('tierEvents').get()).size;
    expect(events).toBe(3); // every branch's customer 1 rose to licai; B02's events are appended before its sheet failed

    // The spreadsheet is fixed; the re-run does only B02 and adds no tier event.
    const fixed = (await sheets.spreadsheets.create({ requestBody: { properties: { title: 'B02' } } })).data.spreadsheetId!;
    await db.collection('branches').doc('B02').update({ spreadsheetId: fixed });
    const again = await runNightlyLocally(deps(), DATE, { resume: true, concurrency: 2, clock: Date.now });
    expect(again.plan.toRun).toEqual(['B02']);
    expect(again.plan.alreadyDone).toEqual(['B01', 'B03']);
    expect(again.outcomes.map((o) => o.status)).toEqual(['done']);
    expect((await db.collection('tierEvents').get()).size).toBe(events);
    expect(written[1]!.tabs[0]!.rows.at(-1)!.slice(0, 3)).toEqual(['合计', '', 6]);
  });

  it('without resume runs every branch again and ends with the same sheets and the same tier events', async () => {
    await runNightlyLocally(deps(), DATE, { resume: false, concurrency: 3, clock: Date.now });
    const sheetOf = async (branchId: string) => {
      const id = (await db.collection('branches').doc(branchId).get()).get('spreadsheetId') as string;
      return (await sheets.spreadsheets.values.get({ spreadsheetId: id, range: "'客户名单'" })).data.values;
    };
    const before = [await sheetOf('B01'), await sheetOf('B03')];
    const eventsBefore = (await db.collection('tierEvents').get()).docs.map((d) => d.id).sort();
    const again = await runNightlyLocally(deps(), DATE, { resume: false, concurrency: 1, clock: Date.now });
    expect(again.plan.toRun).toEqual(['B01', 'B02', 'B03']);
    expect([await sheetOf('B01'), await sheetOf('B03')]).toEqual(before);
    expect((await db.collection('tierEvents').get()).docs.map((d) => d.id).sort()).toEqual(eventsBefore);
    expect(JSON.stringify(written[1]!.tabs)).toBe(JSON.stringify(written[0]!.tabs));
  });

  it('lets exactly one of many finishing branches claim the consolidation', async () => {
    await runNightlyLocally(deps(), DATE, { resume: false, concurrency: 3, clock: Date.now });
    await db.collection('nightlyDates').doc(DATE).update({ 'consolidation.status': 'pending' });
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimConsolidation(db, DATE, () => new Date())));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});
