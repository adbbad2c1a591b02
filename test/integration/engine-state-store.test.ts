import { FieldValue } from '@google-cloud/firestore';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import type { DayIngest } from '../../shared/ingest/day-ingest.js';
import type { MonthSummary } from '../../shared/ingest/history-ingest.js';
import { daysInMonth, parseMonth } from '../../shared/month.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { runNightlyBranch, type NightlyBranchDeps } from '../../functions/nightly/run-branch.js';
import type { SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { writeDay } from '../../functions/store/firestore-facts.js';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { customersByIdsResuming } from '../../functions/store/firestore-engine-state.js';
import { customersByIds } from '../../functions/store/firestore-facts-reader.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * The nightly run resumes each customer from the engine state saved on their customer
 * document, reading the customer document and the month(s) after the state instead of the
 * whole history, and gives the same figures as reading everything; a customer is replayed
 * whole, with the reason in the run report, when there is no state, the scheme's version
 * changed, or ingest corrected a month the state had folded in.
 */

const { db, clear } = testFirestore('engine-state-store-test');
const scheme = bundledScheme('boc')!;
const standards = bundledStandards('d2')!;
/** This branch has no spreadsheet, so the run never reaches the gateway (unit-style stand-in that fails if called). */
const noSheets: SheetsGateway = new Proxy({} as SheetsGateway, { get: () => () => Promise.reject(new Error('no sheet in this test')) });
const deps = (over: Partial<NightlyBranchDeps> = {}): NightlyBranchDeps => ({ db, scheme, standards, sheets: noSheets, now: () => new Date(), ...over });

const IDS = ['S1', 'S2', 'S3'];
/** 24 closed months, 2024-11 … 2026-10: S1 at 300,000 yuan daily (中银理财), S2 at 1.5m (中银财富), S3 at 50,000 (base). */
const DAILY_YUAN: Record<string, number> = { S1: 300_000, S2: 1_500_000, S3: 50_000 };

async function seedBranch(): Promise<void> {
  await db.collection('branches').doc('B9').set({ branchId: 'B9', name: '测试支行' });
  for (const id of IDS) await db.collection('customers').doc(id).set({ customerId: id, branchId: 'B9', profile: { name: id, archive: {} } });
  const summaries: MonthSummary[] = [];
  const first = parseMonth('2024-11')!;
  for (let m = first; m < first + 24; m++) {
    for (const id of IDS) {
      const fen = DAILY_YUAN[id]! * 100;
      summaries.push({ customerId: id, branchId: 'B9', month: m, assetDaySum: fen * daysInMonth(m), monthEndAssets: fen, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] });
    }
  }
  await writeHistory(db, summaries);
  await sendDay('2026-11-09', { S1: 300_000, S2: 1_500_000, S3: 50_000 });
}

async function sendDay(date: string, yuan: Record<string, number>): Promise<void> {
  const ingest: DayIngest = { date: parseCivilDay(date)!, masters: new Map(), contributions: new Map(), maturities: new Map(), rejections: [], counts: {} };
  for (const [customerId, amount] of Object.entries(yuan)) ingest.contributions.set(customerId, { customerId, assets: amount * 100, loan: 0, card: 0, txns: 0, products: ['DEP'] });
  await writeDay(db, ingest);
}

const night = (date: string, over: Partial<NightlyBranchDeps> = {}) => runNightlyBranch(deps(over), 'B9', parseCivilDay(date)!);

beforeEach(clear);
afterAll(() => db.terminate());

describe('the nightly run resumes from saved engine states', () => {
  it('replays every customer once, then reads two documents a customer and gives the same figures', async () => {
    await seedBranch();
    const first = await night('2026-11-10');
    // history loaded: no state yet; 3 customer documents and 25 month documents each read whole
    expect(first.engine).toMatchObject({ customerDocs: 3, resumed: 0, replayed: { 'no saved state': 3 }, monthDocsReplayed: 75, statesSaved: 3 });
    const saved = (await db.collection('customers').doc('S1').get()).get('engineState') as { through: number; scheme: string; levels: number[] };
    expect(saved.through).toBe(parseMonth('2026-10'));
    expect(saved.scheme).toBe(`boc@${scheme.version}`);
    // BOC assesses monthly: one assessment for each of the 24 closed months
    expect(saved.levels).toHaveLength(24);

    const second = await night('2026-11-10');
    // the customer document (profile and state) and November's month document: 2 reads a customer
    expect(second.engine).toMatchObject({ customerDocs: 3, monthDocsAfterState: 3, monthDocsReplayed: 0, resumed: 3, replayed: {}, statesSaved: 0 });
    expect(second.summary).toEqual(first.summary);
    expect(second.skipped).toEqual([]);
    // S1 meets 200k (中银理财), S2 1m (中银财富), S3 none
    expect(second.summary.byTier).toEqual({ base: 1, licai: 1, wealth: 1, private: 0 });
  });

  it('replays a customer whose closed month ingest corrected, and only that one', async () => {
    await seedBranch();
    await night('2026-11-10');
    // a late send of 31 October for S3 only: October is folded into S3's state
    await sendDay('2026-10-31', { S3: 60_000 });
    expect((await db.collection('customers').doc('S3').get()).get('engineStale')).toBe('2026-10');
    expect((await db.collection('customers').doc('S1').get()).get('engineStale')).toBeUndefined();
    const after = await night('2026-11-11');
    expect(after.engine).toMatchObject({ resumed: 2, replayed: { 'facts of 2026-10 corrected after the state was saved': 1 }, statesSaved: 1 });
    // the new state answers the mark: the next night resumes all three
    expect((await db.collection('customers').doc('S3').get()).get('engineStale')).toBeUndefined();
    expect((await night('2026-11-11')).engine).toMatchObject({ resumed: 3, replayed: {} });
  });

  it('advances the states on the first night of a month, as a full read would, and replays everyone when the scheme version changes', async () => {
    await seedBranch();
    await night('2026-11-10');
    // 1 December: November has closed; states through October read November and December (3 reads), then are saved through November
    await sendDay('2026-12-01', { S1: 300_000, S2: 1_500_000, S3: 50_000 });
    const turn = await night('2026-12-01');
    expect(turn.engine).toMatchObject({ customerDocs: 3, monthDocsAfterState: 6, resumed: 3, statesSaved: 3 });
    const saved = (await db.collection('customers').doc('S2').get()).get('engineState') as { through: number; levels: number[] };
    expect(saved.through).toBe(parseMonth('2026-11'));
    expect(saved.levels).toHaveLength(25);
    // the figures equal those of a run that reads everything (states removed: every customer replayed)
    for (const id of IDS) await db.collection('customers').doc(id).update({ engineState: FieldValue.delete() });
    const whole = await night('2026-12-01');
    expect(whole.engine).toMatchObject({ resumed: 0, replayed: { 'no saved state': 3 }, monthDocsReplayed: 78 });
    expect(whole.summary).toEqual(turn.summary);
    const changed = await night('2026-12-01', { scheme: { ...scheme, version: `${scheme.version}-revised` } });
    expect(changed.engine.replayed).toEqual({ [`scheme changed (state made under boc@${scheme.version}, now boc@${scheme.version}-revised)`]: 3 });
    expect(changed.engine.statesSaved).toBe(3);

  });

  it('reads the rows of a sheet edit from their states too, and whole where a state does not fit', async () => {
    await seedBranch();
    await night('2026-11-10');
    await sendDay('2026-10-31', { S3: 60_000 });
    const read = await customersByIdsResuming(db, ['S2', 'S1', 'S3', 'NOBODY'], scheme, parseMonth('2026-11')!);
    const byId = new Map(read.map((f) => [f.customerId, f]));
    expect([...byId.keys()].sort()).toEqual(['S1', 'S2', 'S3']);
    // S1 and S2: the state's twelve months and November; S3 (October corrected): all 25 months
    expect(byId.get('S1')!.resumeFrom).toBeDefined();
    expect(byId.get('S1')!.months.map((m) => m.month)).toEqual(Array.from({ length: 13 }, (_, k) => parseMonth('2025-11')! + k));
    expect(byId.get('S3')!.resumeFrom).toBeUndefined();
    expect(byId.get('S3')!.months).toHaveLength(25);
    const engine = createTierEngine(scheme);
    const whole = new Map<string, ReturnType<typeof engine.assess>>();
    for await (const facts of customersByIds(db, ['S1', 'S2', 'S3'])) whole.set(facts.customerId, engine.assess(facts, parseMonth('2026-10')!));
    for (const id of IDS) expect(engine.assess(byId.get(id)!, parseMonth('2026-10')!)).toEqual(whole.get(id));
  });
});
