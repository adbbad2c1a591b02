import { PubSub } from '@google-cloud/pubsub';
import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPubSubEmulator, type RunningEmulator } from '../../functions/emulator/gcloud-emulator.js';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { parseMonth } from '../../shared/month.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { serveFunction, type FunctionsServer } from '../support/functions-server.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * The nightly run the way production runs it, every part real: the Pub/Sub emulator pushing
 * messages to the three CloudEvent functions served by functions-framework, Firestore
 * underneath, the functions' googleapis client writing branch sheets on the Sheets test server.
 * One start message → one message per branch → the last branch sends the consolidation.
 */

const PROJECT = 'nightly-pubsub-test';
const DATE = '2026-11-10';
const { db, host, clear } = testFirestore(PROJECT);
let pubsubEmulator: RunningEmulator;
let sheetsServer: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let pubsub: PubSub;
let headOfficeId = '';
const servers: Record<string, FunctionsServer> = {};
const TOPICS = { nightlyStart: 'nightly-start', nightlyBranchTask: 'nightly-branch', nightlyConsolidate: 'nightly-consolidate' } as const;

beforeAll(async () => {
  await clear();
  [pubsubEmulator, sheetsServer] = await Promise.all([startPubSubEmulator(), startSheetsApiServer()]);
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: sheetsServer.url });
  const month = (average: number) => ({ month: parseMonth('2026-10')!, assetDaySum: average * 100 * 31, monthEndAssets: average * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] });
  const rows = [];
  const batch = db.batch();
  for (const branchId of ['B01', 'B02', 'B03', 'B04']) {
    const spreadsheetId = (await sheets.spreadsheets.create({ requestBody: { properties: { title: branchId } } })).data.spreadsheetId!;
    batch.set(db.collection('branches').doc(branchId), { branchId, name: `${branchId}支行`, spreadsheetId, managers: [] });
    // per branch: one customer at 250,000 (licai from November), one at 50,000 (base)
    for (const [n, average] of [
      [1, 250_000],
      [2, 50_000],
    ] as const) {
      batch.set(db.collection('customers').doc(`${branchId}-C${n}`), { customerId: `${branchId}-C${n}`, branchId });
      rows.push({ customerId: `${branchId}-C${n}`, branchId, ...month(average) });
    }
  }
  await batch.commit();
  await writeHistory(db, rows);

  headOfficeId = (await sheets.spreadsheets.create({ requestBody: { properties: { title: '总行汇总' } } })).data.spreadsheetId!;
  const env = { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: PROJECT, PUBSUB_EMULATOR_HOST: pubsubEmulator.host, SHEETS_API_ROOT: sheetsServer.url, HEAD_OFFICE_SPREADSHEET_ID: headOfficeId };
  for (const target of Object.keys(TOPICS) as (keyof typeof TOPICS)[]) servers[target] = await serveFunction(target, env);
  pubsub = new PubSub({ projectId: PROJECT, apiEndpoint: pubsubEmulator.host, emulatorMode: true });
  for (const [target, topic] of Object.entries(TOPICS)) {
    const [created] = await pubsub.createTopic(topic);
    // functions-framework reads the topic from the push path, as Google's push does.
    await created.createSubscription(`${topic}-push`, { pushConfig: { pushEndpoint: `${servers[target]!.url}projects/${PROJECT}/topics/${topic}` }, ackDeadlineSeconds: 60 });
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
  await pubsub?.close();
  await Promise.all([pubsubEmulator?.stop(), sheetsServer?.close()]);
  await db.terminate();
});

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; function output:\n${Object.entries(servers).map(([k, s]) => `--- ${k}\n${s.output().slice(-2000)}`).join('\n')}`);
}

describe('the nightly run over Pub/Sub', () => {
  it('fans out one message per branch, runs each, and the last one triggers the consolidation', async () => {
    await pubsub.topic(TOPICS.nightlyStart).publishMessage({ json: { businessDate: DATE } });
    const consolidation = await until('the consolidation', async () => {
      const plan = await db.collection('nightlyDates').doc(DATE).get();
      return plan.get('consolidation.status') === 'done' ? plan.data()! : null;
    });
    expect(consolidation['branches']).toBe(4);
    const runs = await db.collection('runs').where('businessDate', '==', DATE).get();
    expect(runs.docs.map((d) => [d.id, d.get('status')]).sort()).toEqual([
      ['nightly_2026-11-10_B01', 'done'],
      ['nightly_2026-11-10_B02', 'done'],
      ['nightly_2026-11-10_B03', 'done'],
      ['nightly_2026-11-10_B04', 'done'],
    ]);
    expect((await db.collection('tierEvents').get()).size).toBe(4); // each branch's C1 rose to licai
    expect((await db.collection('headOfficeMonths').doc('2026-11').get()).get('total.customers')).toBe(8);
    const b03 = (await db.collection('branches').doc('B03').get()).get('spreadsheetId') as string;
    const values = (await sheets.spreadsheets.values.get({ spreadsheetId: b03, range: "'客户名单'" })).data.values as string[][];
    expect(values.slice(1).map((r) => r[values[0]!.indexOf('当前等级')]).sort()).toEqual(['中银理财客户', '普通客户']);
    // head office on Google: four branches and the total, 8 customers of whom 4 licai
    const headOffice = (await sheets.spreadsheets.values.get({ spreadsheetId: headOfficeId, range: "'支行汇总'" })).data.values as string[][];
    expect(headOffice.map((r) => r[0])).toEqual(['支行号', 'B01', 'B02', 'B03', 'B04', '合计']);
    const header = headOffice[0]!;
    expect([headOffice[5]![header.indexOf('客户数')], headOffice[5]![header.indexOf('中银理财客户')]]).toEqual(['8', '4']);
    expect(consolidation['consolidation']).toMatchObject({ status: 'done', location: expect.stringContaining(headOfficeId) });
  });

  it('logs and drops a message that is not valid, and keeps serving', async () => {
    await pubsub.topic(TOPICS.nightlyBranchTask).publishMessage({ json: { businessDate: 'yesterday', branchId: 'B01' } });
    await until('the dropped message in the log', async () => (servers['nightlyBranchTask']!.output().includes('dropped: businessDate: must be a date YYYY-MM-DD') ? true : null), 20_000);
  });
});
