import { loadavg } from 'node:os';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { engineStateOf, resumedFacts } from '../../shared/engine-state.js';
import type { CustomerFacts, MonthFacts } from '../../shared/customer-facts.js';
import type { DayIngest } from '../../shared/ingest/day-ingest.js';
import type { MonthSummary } from '../../shared/ingest/history-ingest.js';
import { daysInMonth, parseMonth } from '../../shared/month.js';
import { bundledStandards, DEFAULT_STANDARDS_ID } from '../../shared/service/bundled-standards.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { runNightlyBranch } from '../../functions/nightly/run-branch.js';
import type { SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { writeDay } from '../../functions/store/firestore-facts.js';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { createSeededRandom } from '../../functions/demo/seeded-random.js';
import type { BenchConfig } from './bench-config.js';
import { withBenchEmulator } from './bench-emulator.js';
import type { Row } from './bench-report.js';

/**
 * The night-state phase (`--only night-state`): what a branch's nightly run reads per customer
 * with 24 and with 60 months of stored history — the first night (no saved state: every month
 * read, as every night did before states were kept), an ordinary night (resumed: the customer
 * document and the open month) and the first night of a month (the month just closed too) —
 * counted from the run's own report, through runNightlyBranch on the emulator. And the
 * engine alone: full replays against resumes from a saved state, in the same run.
 */

export interface NightStateRun {
  months: number;
  customers: number;
  /** document reads per customer: first night, ordinary night, first night of a month */
  readsFirstNight: number;
  readsOrdinaryNight: number;
  readsMonthTurn: number;
  /** state documents written per customer on those nights */
  writesFirstNight: number;
  writesOrdinaryNight: number;
  writesMonthTurn: number;
  /** wall time of the branch runs per customer, ms (the function's time; no sheet written): first, ordinary night */
  msPerCustomerFirstNight: number;
  msPerCustomerOrdinaryNight: number;
  /** the ordinary night's figures equal those of a night that reads everything */
  sameFigures: boolean;
}

export interface NightStateBenchResult {
  runs: NightStateRun[];
  /** engine only: customers per second replayed in full and resumed, 60 months */
  engineFullPerSecond: number;
  engineResumePerSecond: number;
  loadAverage: number[];
}

const CUSTOMERS = 600;
const BRANCHES = 3;
const ENGINE_CUSTOMERS = 50_000;
const OPEN_MONTH = '2026-11';
const noSheets: SheetsGateway = new Proxy({} as SheetsGateway, { get: () => () => Promise.reject(new Error('the bench branches have no sheet')) });

export async function runNightStateBench(config: BenchConfig): Promise<NightStateBenchResult> {
  const loadAverage = loadavg();
  const runs: NightStateRun[] = [];
  for (const months of [24, 60]) runs.push(await nightsWith(config, months));
  const engine = engineRates(config);
  return { runs, ...engine, loadAverage };
}

function historyOf(config: BenchConfig, customers: number, months: number): MonthSummary[] {
  const random = createSeededRandom(config.seed);
  const open = parseMonth(OPEN_MONTH)!;
  const summaries: MonthSummary[] = [];
  for (let n = 0; n < customers; n++) {
    const level = Math.exp(12.2 + 1.3 * random.normal()) * 100;
    for (let m = open - months; m < open; m++) {
      const daily = Math.max(0, Math.round(level * (0.7 + 0.6 * random.next())));
      summaries.push({ customerId: `C${n}`, branchId: `B${n % BRANCHES}`, month: m, assetDaySum: daily * daysInMonth(m), monthEndAssets: daily, loanBalance: 0, cardSpend: random.chance(0.2) ? random.int(0, 5_000_000) : 0, txnCount: random.int(0, 20), products: ['DEP'] });
    }
  }
  return summaries;
}

async function nightsWith(config: BenchConfig, months: number): Promise<NightStateRun> {
  const scheme = bundledScheme(config.schemeId)!;
  const standards = bundledStandards(DEFAULT_STANDARDS_ID)!;
  return withBenchEmulator(async ({ db }) => {
    for (let n = 0; n < CUSTOMERS; n++) await db.collection('customers').doc(`C${n}`).set({ customerId: `C${n}`, branchId: `B${n % BRANCHES}`, profile: { name: `客户${n}`, archive: {} } });
    await writeHistory(db, historyOf(config, CUSTOMERS, months));
    const send = async (date: string) => {
      const ingest: DayIngest = { date: parseCivilDay(date)!, masters: new Map(), contributions: new Map(), maturities: new Map(), rejections: [], counts: {} };
      for (let n = 0; n < CUSTOMERS; n++) ingest.contributions.set(`C${n}`, { customerId: `C${n}`, assets: 50_000_000 + n, loan: 0, card: 0, txns: 1, products: ['DEP'] });
      await writeDay(db, ingest);
    };
    const deps = { db, scheme, standards, sheets: noSheets, now: () => new Date() };
    const night = async (date: string) => {
      let reads = 0;
      let writes = 0;
      const summaries = [];
      const started = process.hrtime.bigint();
      for (let b = 0; b < BRANCHES; b++) {
        const report = await runNightlyBranch(deps, `B${b}`, parseCivilDay(date)!);
        reads += report.engine.customerDocs + report.engine.monthDocsAfterState + report.engine.monthDocsReplayed;
        writes += report.engine.statesSaved;
        summaries.push(report.summary);
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      return { reads: reads / CUSTOMERS, writes: writes / CUSTOMERS, msPerCustomer: ms / CUSTOMERS, summaries: JSON.stringify(summaries) };
    };
    await send('2026-11-09');
    const first = await night('2026-11-10');
    const ordinary = await night('2026-11-10');
    await send('2026-12-01');
    const turn = await night('2026-12-01');
    return {
      months,
      customers: CUSTOMERS,
      readsFirstNight: first.reads,
      readsOrdinaryNight: ordinary.reads,
      readsMonthTurn: turn.reads,
      writesFirstNight: first.writes,
      writesOrdinaryNight: ordinary.writes,
      writesMonthTurn: turn.writes,
      msPerCustomerFirstNight: first.msPerCustomer,
      msPerCustomerOrdinaryNight: ordinary.msPerCustomer,
      sameFigures: ordinary.summaries === first.summaries,
    };
  });
}

/** The engine alone on 60-month customers: a full replay each, then a resume from the state through the month before the last. */
function engineRates(config: BenchConfig): { engineFullPerSecond: number; engineResumePerSecond: number } {
  const scheme = bundledScheme(config.schemeId)!;
  const engine = createTierEngine(scheme);
  const open = parseMonth(OPEN_MONTH)!;
  const byCustomer = new Map<string, MonthFacts[]>();
  for (const s of historyOf(config, 2_000, 60)) {
    const list = byCustomer.get(s.customerId) ?? [];
    list.push({ month: s.month, assetDaySum: s.assetDaySum, monthEndAssets: s.monthEndAssets, loanBalance: s.loanBalance, cardSpend: s.cardSpend, txnCount: s.txnCount, products: s.products });
    byCustomer.set(s.customerId, list);
  }
  const full: CustomerFacts[] = [...byCustomer].map(([customerId, months]) => ({ customerId, months }));
  const resumed = full.map((facts) => {
    const state = engineStateOf(scheme, facts, engine.assess(facts, open - 2), open - 2)!;
    return resumedFacts(state, { customerId: facts.customerId }, facts.months.filter((m) => m.month > open - 2));
  });
  const rate = (list: CustomerFacts[]) => {
    let sink = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < ENGINE_CUSTOMERS; i++) sink += engine.assess(list[i % list.length]!).tier;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (sink < 0) throw new Error('unreachable');
    return ENGINE_CUSTOMERS / seconds;
  };
  rate(full);
  rate(resumed); // warm both paths before timing
  return { engineFullPerSecond: rate(full), engineResumePerSecond: rate(resumed) };
}

export function nightStateRows(r: NightStateBenchResult): Row[] {
  const rows: Row[] = [`Night state: document reads per customer, through runNightlyBranch on the emulator (${CUSTOMERS} customers in ${BRANCHES} branches)`];
  for (const run of r.runs) {
    rows.push([`${run.months} months stored: first night (no state: every month read, as before)`, run.readsFirstNight.toFixed(2), '']);
    rows.push([`${run.months} months stored: ordinary night (resumed)`, run.readsOrdinaryNight.toFixed(2), '≤ 2']);
    rows.push([`${run.months} months stored: first night of a month (the closed month too)`, run.readsMonthTurn.toFixed(2), '']);
    rows.push([`${run.months} months stored: state writes per customer (first, ordinary, month turn)`, `${run.writesFirstNight.toFixed(2)}, ${run.writesOrdinaryNight.toFixed(2)}, ${run.writesMonthTurn.toFixed(2)}`, '']);
    rows.push([`${run.months} months stored: branch run time per customer, ms (first night, ordinary night)`, `${run.msPerCustomerFirstNight.toFixed(3)}, ${run.msPerCustomerOrdinaryNight.toFixed(3)}`, '']);
    rows.push([`${run.months} months stored: resumed figures equal the full read's`, run.sameFigures ? 'yes' : 'NO', 'yes']);
  }
  rows.push(['engine, 60 months: full replay, customers/s', Math.round(r.engineFullPerSecond).toLocaleString('en-US'), '']);
  rows.push(['engine, 60 months: resumed from a state, customers/s', `${Math.round(r.engineResumePerSecond).toLocaleString('en-US')} (${(r.engineResumePerSecond / r.engineFullPerSecond).toFixed(1)}× the replay)`, '']);
  rows.push(['load average (1, 5, 15 min)', r.loadAverage.map((l) => l.toFixed(2)).join(', '), '']);
  return rows;
}

export function nightStateVerdict(r: NightStateBenchResult): string {
  const ok = r.runs.every((run) => run.readsOrdinaryNight <= 2 && run.sameFigures);
  const figures = r.runs.map((run) => `${run.months} months: ${run.readsOrdinaryNight.toFixed(2)} (month turn ${run.readsMonthTurn.toFixed(2)})`).join('; ');
  return `${ok ? 'PASS' : 'MISS'}  night state: ≤ 2 document reads per customer on an ordinary night whatever the history, same figures as a full read — ${figures}`;
}
