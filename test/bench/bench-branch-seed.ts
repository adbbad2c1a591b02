import type { Firestore } from '@google-cloud/firestore';
import type { CivilDay } from '../../shared/calendar/civil-date.js';
import { formatCivilDay, parseCivilDay } from '../../shared/calendar/civil-date.js';
import type { MonthSummary } from '../../shared/ingest/history-ingest.js';
import { monthOfDay } from '../../shared/calendar/civil-date.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { createSeededRandom } from '../../functions/demo/seeded-random.js';
import { COLLECTIONS } from '../../functions/store/collections.js';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { readBranchResuming, saveEngineStates } from '../../functions/store/firestore-engine-state.js';
import { engineStateOf, type EngineState } from '../../shared/engine-state.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { writeInBatches } from './firestore-batches.js';
import { averageThresholdsOf, createCustomerGenerator } from './generate-customers.js';

/**
 * One branch of generated customers in Firestore, as the spreadsheet phases need it: the
 * branch document (with its spreadsheet), a customer document per customer (owner, birthday,
 * a partly filled archive) and 13 month summaries each ending the month before `today`,
 * written through writeHistory (the history-load path), so the nightly run and sheetEdit read
 * what they would read in production. The same seed gives the same branch.
 */

export const SEED_MONTHS = 13;
const ARCHIVE_SAMPLES = {
  homeAddress: ['城东区和平路12号', '城西区建设街88号', '高新区科技大道5号'],
  employer: ['市第一医院', '市实验中学', '城建集团', '个体经营'],
  mobile: ['13800138000', '13912345678', '15000001111'],
  riskProfile: ['C1', 'C2', 'C3', 'C4', 'C5'],
} as const;

export interface SeedBranchOptions {
  branchId: string;
  spreadsheetId: string;
  customers: number;
  seed: number;
  scheme: Scheme;
  /** the business date of the run: the summaries end the month before */
  today: CivilDay;
  /**
   * Also save each customer's engine state through the month before `today`, as the nightly
   * run does every night: a branch in production has one, and sheetEdit resumes from it.
   */
  engineStates?: boolean;
}

export interface SeededBranch {
  customerIds: string[];
  docs: number;
  seconds: number;
}

/** Customer ids of a seeded branch: `<branch>-000001` …, so several branches share one emulator. */
export function seededCustomerId(branchId: string, n: number): string {
  return `${branchId}-${String(n).padStart(6, '0')}`;
}

export async function seedBranch(db: Firestore, options: SeedBranchOptions): Promise<SeededBranch> {
  const start = process.hrtime.bigint();
  const { branchId, customers } = options;
  const next = createCustomerGenerator({ seed: options.seed, firstMonth: monthOfDay(options.today) - SEED_MONTHS, monthsPerCustomer: SEED_MONTHS, averageThresholds: averageThresholdsOf(options.scheme) });
  const random = createSeededRandom(options.seed + 1);
  const customerIds = Array.from({ length: customers }, (_, i) => seededCustomerId(branchId, i + 1));

  await db.collection(COLLECTIONS.branches).doc(branchId).set({ branchId, spreadsheetId: options.spreadsheetId });
  await writeInBatches(
    db,
    customers,
    (i) => {
      const archive: Record<string, string> = {};
      for (const [field, samples] of Object.entries(ARCHIVE_SAMPLES)) if (random.chance(0.6)) archive[field] = random.pick(samples);
      const birthday = parseCivilDay(`${random.int(1950, 2000)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`)!;
      const profile = { name: `客户${i + 1}`, managerId: `${branchId}-M${1 + (i % 6)}`, birthday: formatCivilDay(birthday), archive };
      return [db.collection(COLLECTIONS.customers).doc(customerIds[i]!), { customerId: customerIds[i], branchId, profile }];
    },
    { inFlight: 4 },
  );
  const summaries: MonthSummary[] = [];
  for (const customerId of customerIds) {
    for (const m of next().months) summaries.push({ customerId, branchId, month: m.month, assetDaySum: m.assetDaySum, monthEndAssets: m.monthEndAssets, loanBalance: m.loanBalance, cardSpend: m.cardSpend, txnCount: m.txnCount, products: [...m.products] });
  }
  const monthDocs = await writeHistory(db, summaries);
  if (options.engineStates) await saveStatesAsTheNightDoes(db, branchId, options.scheme, options.today);
  return { customerIds, docs: 1 + customers + monthDocs, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** The states the nightly run saves (functions/nightly/run-branch.ts): each customer assessed through the closed month. */
async function saveStatesAsTheNightDoes(db: Firestore, branchId: string, scheme: Scheme, today: CivilDay): Promise<void> {
  const engine = createTierEngine(scheme);
  const closedMonth = monthOfDay(today) - 1;
  const states: { customerId: string; branchId: string | null; state: EngineState }[] = [];
  for (const { facts } of await readBranchResuming(db, branchId, scheme, monthOfDay(today))) {
    const state = engineStateOf(scheme, facts, engine.assess(facts, closedMonth), closedMonth);
    if (state !== null) states.push({ customerId: facts.customerId, branchId, state });
  }
  await saveEngineStates(db, states);
}
