import type { DocumentData, DocumentReference, QueryDocumentSnapshot } from '@google-cloud/firestore';
import { firstDayOfMonth, formatCivilDay, lastDayOfMonth } from '../../shared/calendar/civil-date.js';
import { formatMonth, parseMonth } from '../../shared/month.js';
import { streamCustomerFacts } from '../../functions/store/firestore-facts-reader.js';
import { COLLECTIONS, factsDocId } from '../../functions/store/collections.js';
import type { DayRecord } from '../../functions/store/firestore-facts.js';
import { createSeededRandom } from '../../functions/demo/seeded-random.js';
import type { BenchConfig } from './bench-config.js';
import { withBenchEmulator } from './bench-emulator.js';
import { writeInBatches } from './firestore-batches.js';
import { businessDays, customerIdOf } from './ingest-extracts.js';
import { MemoryProbe, type MemoryPeak } from './memory-probe.js';

/**
 * Firestore phase 3: the nightly run's read — streamCustomerFacts over every customer. The
 * month accumulators are seeded straight into the emulator in writeDay's shape (the first
 * `readDays` business days of each month filled) with overlapping batch commits, which is
 * much quicker than ingesting day by day. The bare ordered query is timed too, so the
 * profiles' getAll can be told apart from the facts stream.
 */

export interface NightlyReadBenchResult {
  customers: number;
  months: number;
  factsDocs: number;
  daysPerDoc: number;
  seedDocs: number;
  seedSeconds: number;
  seedInFlight: number;
  queryOnlySeconds: number;
  seconds: number;
  customersRead: number;
  monthsRead: number;
  withProfile: number;
  memory: MemoryPeak;
}

export const READ_LAST_MONTH = '2026-11';
const SEED_IN_FLIGHT = 4;
const BRANCHES = 40;

export function runNightlyReadBench(config: BenchConfig): Promise<NightlyReadBenchResult> {
  const customers = config.readCustomers;
  const last = parseMonth(READ_LAST_MONTH)!;
  const months = Array.from({ length: config.readMonths }, (_, k) => last - config.readMonths + 1 + k);
  const monthDays = months.map((m) => {
    const days: string[] = [];
    for (const day of businessDays(firstDayOfMonth(m), config.readDays)) if (day <= lastDayOfMonth(m)) days.push(formatCivilDay(day));
    return { month: formatMonth(m), days };
  });
  const random = createSeededRandom(config.seed);

  return withBenchEmulator(async ({ db }) => {
    const facts = db.collection(COLLECTIONS.facts);
    const profiles = db.collection(COLLECTIONS.customers);
    const branchOf = (n: number) => `B${String(1 + (n % BRANCHES)).padStart(3, '0')}`;
    // One document per customer, then one per customer and month (customer-major, as ingest would leave them).
    const perCustomer = 1 + months.length;
    const seedDocs = customers * perCustomer;
    const docAt = (i: number): [DocumentReference, DocumentData] => {
      const n = Math.floor(i / perCustomer);
      const k = i % perCustomer;
      const customerId = customerIdOf(n);
      const branchId = branchOf(n);
      if (k === 0) return [profiles.doc(customerId), { customerId, branchId, profile: { name: `客户${n}`, managerId: `M${branchId}-${n % 8}`, archive: { riskProfile: `C${1 + (n % 5)}` } }, masterDate: '2026-11-30' }];
      const { month, days } = monthDays[k - 1]!;
      const wealth = Math.round(Math.exp(12.2 + 1.3 * random.normal()) * 100);
      const record: Record<string, DayRecord> = {};
      for (const day of days) record[day] = { a: wealth + random.int(-5_000, 5_000), l: 0, c: random.chance(0.1) ? random.int(100, 50_000) : 0, t: random.int(0, 2), p: ['DEP', 'WMP'] };
      return [facts.doc(factsDocId(customerId, month)), { customerId, month, branchId, days: record }];
    };
    const seedSeconds = await writeInBatches(db, seedDocs, docAt, { inFlight: SEED_IN_FLIGHT });

    let start = process.hrtime.bigint();
    let docs = 0;
    for await (const _ of facts.orderBy('customerId').orderBy('month').stream() as AsyncIterable<QueryDocumentSnapshot>) docs++;
    const queryOnlySeconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (docs !== customers * months.length) throw new Error(`nightly read bench: the query returned ${docs} of ${customers * months.length} month documents`);

    const probe = new MemoryProbe();
    let customersRead = 0;
    let monthsRead = 0;
    let withProfile = 0;
    start = process.hrtime.bigint();
    for await (const customer of streamCustomerFacts(db)) {
      customersRead++;
      monthsRead += customer.months.length;
      if (customer.profile !== undefined) withProfile++;
      if (customersRead % 10_000 === 0) probe.sample();
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (customersRead !== customers || monthsRead !== customers * months.length || withProfile !== customers) {
      throw new Error(`nightly read bench: read ${customersRead} customers, ${monthsRead} months, ${withProfile} profiles; expected ${customers}, ${customers * months.length}, ${customers}`);
    }
    return {
      customers,
      months: months.length,
      factsDocs: customers * months.length,
      daysPerDoc: monthDays.reduce((n, m) => n + m.days.length, 0) / monthDays.length,
      seedDocs,
      seedSeconds,
      seedInFlight: SEED_IN_FLIGHT,
      queryOnlySeconds,
      seconds,
      customersRead,
      monthsRead,
      withProfile,
      memory: probe.peak(),
    };
  });
}
