import type { PhaseResults } from './bench-phases.js';
import type { Row } from './bench-report.js';

/**
 * The Firestore sections of the report. There are no targets for these yet: the figures are
 * measured and set beside the emulator's raw batch-write rate, the limit ingest approaches.
 */

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (s: number) => `${s.toFixed(2)} s`;
const rate = (n: number, per: number, unit: string) => `${count(n / per)} ${unit}/s`;
const rounds = (rates: readonly number[]) => rates.map((r) => count(r)).join(' · ') + ' docs/s';
const ofRaw = (docsPerSecond: number, raw: number) => `${((100 * docsPerSecond) / raw).toFixed(0)}% of the raw rate`;

/** Targets for a date after the first (a day like most): document writes per customer, and customers a second as a share of the raw batch rate. */
export const INGEST_WRITES_TARGET = 1.1;
export const INGEST_RATE_TARGET = 80;

function later(ingest: PhaseResults['ingest']) {
  const dates = ingest.dates.length > 1 ? ingest.dates.slice(1) : ingest.dates;
  const sum = (pick: (d: (typeof dates)[number]) => number) => dates.reduce((n, d) => n + pick(d), 0);
  return { writes: sum((d) => d.writes), customers: sum((d) => d.customersWritten), seconds: sum((d) => d.seconds) };
}

function laterCustomersPerSecond(ingest: PhaseResults['ingest']): number {
  const l = later(ingest);
  return l.customers / l.seconds;
}

export function ingestVerdicts(results: Pick<PhaseResults, 'firestoreWrite' | 'ingest'>): string[] {
  const l = later(results.ingest);
  const writes = l.writes / l.customers;
  const share = (100 * laterCustomersPerSecond(results.ingest)) / results.firestoreWrite.sequential.best;
  return [
    `${writes <= INGEST_WRITES_TARGET ? 'PASS' : 'MISS'}  ingest: ${writes.toFixed(2)} document writes per customer per date after the first (target ≤ ${INGEST_WRITES_TARGET.toFixed(2)})`,
    `${share >= INGEST_RATE_TARGET ? 'PASS' : 'MISS'}  ingest: customers at ${share.toFixed(0)}% of the raw batch-write rate on dates after the first (target ≥ ${INGEST_RATE_TARGET}%)`,
  ];
}

export function firestoreRows(results: Pick<PhaseResults, 'firestoreWrite' | 'ingest' | 'nightlyRead'>): Row[] {
  const { firestoreWrite: raw, ingest, nightlyRead: read } = results;
  const rawRate = raw.sequential.best;
  const first = ingest.dates[0]!;
  const lastDate = ingest.dates[ingest.dates.length - 1]!;
  const writesPerCustomer = ingest.writes / ingest.customersWritten;
  const readDocs = read.factsDocs + read.customers;
  return [
    'Firestore emulator, raw: small documents, db.batch() commits of 500 (every Firestore phase has an emulator of its own)',
    ['documents per round × rounds (after a 100,000-document warm-up)', `${count(raw.docs)} × ${raw.rounds}`, ''],
    ['one commit at a time (writeDay’s pattern): best', `${count(raw.sequential.best)} docs/s`, 'the raw rate'],
    ['  every round', rounds(raw.sequential.rates), ''],
    [`${raw.concurrentCommits} commits in flight: best`, `${count(raw.concurrent.best)} docs/s = ${(raw.concurrent.best / rawRate).toFixed(1)}× the raw rate`, 'informational'],
    ['  every round', rounds(raw.concurrent.rates), ''],
    ['emulator start to first answer', seconds(raw.emulatorStartSeconds), ''],
    'Ingest: runIngest per business date (read CSV → validate → writeDay → runs doc), generated extracts',
    ['customers × business dates', `${count(ingest.customers)} × ${ingest.dates.length} (${first.date} … ${lastDate.date})`, ''],
    ['rows read per date (6 files) / balance rows', `${count(first.rowsRead)} / ${count(first.balanceRows)}`, ''],
    ['extract files, all dates / generating them (not timed)', `${(ingest.extractMiB).toFixed(1)} MiB / ${seconds(ingest.generateSeconds)}`, ''],
    ['time per date', ingest.dates.map((d) => seconds(d.seconds)).join(' · '), ''],
    ['balance rows', rate(ingest.balanceRows, ingest.seconds, 'rows'), 'informational'],
    ['customers', rate(ingest.customersWritten, ingest.seconds, 'customers'), 'informational'],
    ['document writes per customer per day, all dates', `${writesPerCustomer.toFixed(2)} (facts 1 + customer master when changed + maturities)`, ''],
    ['  the first date (every master new) / each later date', `${(first.writes / first.customersWritten).toFixed(2)} / ${ingest.dates.slice(1).map((d) => (d.writes / d.customersWritten).toFixed(2)).join(' · ')} (${ingest.dates.slice(1).map((d) => count(d.mastersUnchanged)).join(' · ')} masters unchanged)`, `later ≤ ${INGEST_WRITES_TARGET.toFixed(2)}`],
    ['document writes', `${rate(ingest.writes, ingest.seconds, 'docs')} = ${ofRaw(ingest.writes / ingest.seconds, rawRate)}`, `raw ${count(rawRate)} docs/s`],
    ['customers against the raw rate, all dates / later dates', `${ofRaw(ingest.customersWritten / ingest.seconds, rawRate)} / ${ofRaw(laterCustomersPerSecond(ingest), rawRate)}`, `later ≥ ${INGEST_RATE_TARGET}%`],
    [`re-send of ${ingest.resend.date} (correction path)`, `${seconds(ingest.resend.seconds)}, ${rate(ingest.resend.customersWritten, ingest.resend.seconds, 'customers')}`, ''],
    ['read + validate one date without Firestore', `${seconds(ingest.readAndValidateSeconds)} (${((100 * ingest.readAndValidateSeconds * ingest.dates.length) / ingest.seconds).toFixed(0)}% of a date’s ingest)`, ''],
    'Nightly read: streamCustomerFacts over every customer (ordered month documents + profiles by getAll)',
    ['customers × months (business days in each month document)', `${count(read.customers)} × ${read.months} (${read.daysPerDoc.toFixed(1)} days)`, ''],
    ['seeded directly (not timed)', `${count(read.seedDocs)} docs in ${seconds(read.seedSeconds)} = ${rate(read.seedDocs, read.seedSeconds, 'docs')}, ${read.seedInFlight} commits in flight`, ''],
    ['ordered facts query alone (no profiles)', `${rate(read.factsDocs, read.queryOnlySeconds, 'docs')} (${seconds(read.queryOnlySeconds)})`, ''],
    ['streamCustomerFacts time', seconds(read.seconds), ''],
    ['month documents', rate(read.factsDocs, read.seconds, 'docs'), 'informational'],
    ['customers', rate(read.customersRead, read.seconds, 'customers'), 'informational'],
    ['documents read, month + profile', `${rate(readDocs, read.seconds, 'docs')} = ${((readDocs / read.seconds) / rawRate).toFixed(1)}× the raw write rate`, ''],
    ['peak RSS (maxRSS) / peak heap used', `${count(read.memory.maxRssMiB)} MiB / ${count(read.memory.heapUsedMiB)} MiB`, ''],
  ];
}
