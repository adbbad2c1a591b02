import type { Firestore, QueryDocumentSnapshot } from '@google-cloud/firestore';
import { parseCivilDay, ymdOf } from '../../shared/calendar/civil-date.js';
import type { CustomerFacts, MonthFacts } from '../../shared/customer-facts.js';
import type { CustomerProfile, Maturity } from '../../shared/customer-profile.js';
import { parseMonth } from '../../shared/month.js';
import { COLLECTIONS } from './collections.js';
import type { DayRecord } from './firestore-facts.js';

/**
 * Streams customers with their monthly facts out of Firestore: one ordered query over the
 * month accumulators (customerId, month), grouped as they arrive, and the customers' profiles
 * fetched for each group of customers in one getAll — never one document read per customer.
 */

const PROFILE_BATCH = 300;

/** A field mask: only what the engine needs travels, whatever else a month document gathers. */
export const FACT_FIELDS = ['customerId', 'branchId', 'month', 'days', 'summary'];
/** Firestore's limit on values in one `in` filter. */
const IN_LIMIT = 30;

export async function* streamCustomerFacts(db: Firestore, options: { branchId?: string } = {}): AsyncGenerator<CustomerFacts> {
  const base = db.collection(COLLECTIONS.facts);
  const filtered = options.branchId === undefined ? base : base.where('branchId', '==', options.branchId);
  yield* groupedCustomers(db, filtered.orderBy('customerId').orderBy('month').select(...FACT_FIELDS));
}

/** How many `in` queries of customersByIds are read at once: a paste of 500 rows is 17 of them. */
const CHUNKS_AT_ONCE = 6;

/**
 * A few customers by id (say, the rows a manager just edited): one `in` query per 30 ids, never
 * one read per customer, up to CHUNKS_AT_ONCE of them in flight; yielded in id order.
 */
export async function* customersByIds(db: Firestore, customerIds: readonly string[]): AsyncGenerator<CustomerFacts> {
  const ids = [...new Set(customerIds)].sort();
  const read = async (from: number): Promise<CustomerFacts[]> => {
    const query = db.collection(COLLECTIONS.facts).where('customerId', 'in', ids.slice(from, from + IN_LIMIT)).orderBy('customerId').orderBy('month').select(...FACT_FIELDS);
    const customers: CustomerFacts[] = [];
    for await (const customer of groupedCustomers(db, query)) customers.push(customer);
    return customers;
  };
  const inFlight: Promise<CustomerFacts[]>[] = [];
  let next = 0;
  const fill = () => {
    while (inFlight.length < CHUNKS_AT_ONCE && next < ids.length) {
      const chunk = read(next);
      chunk.catch(() => undefined); // awaited below, in order; this only keeps a later chunk's failure from going unhandled meanwhile
      inFlight.push(chunk);
      next += IN_LIMIT;
    }
  };
  fill();
  while (inFlight.length > 0) {
    const customers = await (inFlight.shift() as Promise<CustomerFacts[]>);
    fill();
    yield* customers;
  }
}

async function* groupedCustomers(db: Firestore, query: FirebaseFirestore.Query): AsyncGenerator<CustomerFacts> {
  let pending: { customerId: string; branchId: string | null; months: MonthFacts[] }[] = [];
  let current: (typeof pending)[number] | null = null;
  for await (const snapshot of query.stream() as AsyncIterable<QueryDocumentSnapshot>) {
    const customerId = snapshot.get('customerId') as string;
    if (current === null || current.customerId !== customerId) {
      if (pending.length >= PROFILE_BATCH) {
        yield* withProfiles(db, pending);
        pending = [];
      }
      current = { customerId, branchId: (snapshot.get('branchId') as string | undefined) ?? null, months: [] };
      pending.push(current);
    }
    const month = monthFactsOf(snapshot);
    if (month) current.months.push(month);
    const branch = snapshot.get('branchId') as string | undefined;
    if (branch) current.branchId = branch;
  }
  if (pending.length > 0) yield* withProfiles(db, pending);
}

/** One month document → the engine's monthly facts (tier-rules.md: a day with no record counts 0). */
export function monthFactsOf(snapshot: { get(field: string): unknown }): MonthFacts | null {
  const month = parseMonth(String(snapshot.get('month')));
  const days = (snapshot.get('days') ?? {}) as Record<string, DayRecord>;
  if (month === null) return null;
  const dates = Object.keys(days).sort();
  const summary = snapshot.get('summary') as { s: number; e: number; l: number; c: number; t: number; p: string[] } | undefined;
  // A month loaded as history has only its summary; once daily records exist they are the finer source.
  if (dates.length === 0 && summary) {
    return { month, assetDaySum: summary.s, monthEndAssets: summary.e, loanBalance: summary.l, cardSpend: summary.c, txnCount: summary.t, products: [...new Set(summary.p)] };
  }
  let assetDaySum = 0;
  let cardSpend = 0;
  let txnCount = 0;
  for (const date of dates) {
    const d = days[date] as DayRecord;
    assetDaySum += d.a;
    cardSpend += d.c;
    txnCount += d.t;
  }
  const last = dates.length > 0 ? (days[dates[dates.length - 1] as string] as DayRecord) : null;
  return {
    month,
    assetDaySum,
    monthEndAssets: last?.a ?? 0,
    loanBalance: last?.l ?? 0,
    cardSpend,
    txnCount,
    products: [...new Set(last?.p ?? [])],
  };
}

/** The customer document's fields the engine and the service view read (with the engine's saved state when asked). */
export const CUSTOMER_FIELDS = ['branchId', 'profile', 'maturities', 'override'];

async function* withProfiles(db: Firestore, group: { customerId: string; branchId: string | null; months: MonthFacts[] }[]): AsyncGenerator<CustomerFacts> {
  const refs = group.map((g) => db.collection(COLLECTIONS.customers).doc(g.customerId));
  const snapshots = await db.getAll(...refs, { fieldMask: CUSTOMER_FIELDS });
  for (let i = 0; i < group.length; i++) {
    const g = group[i]!;
    yield customerFactsOf(g.customerId, snapshots[i], g.months, g.branchId);
  }
}

/** A customer's facts from their customer document (profile, override, maturities) and the months read for them. */
export function customerFactsOf(customerId: string, doc: { get(field: string): unknown } | undefined, months: MonthFacts[], branchFallback: string | null): CustomerFacts {
  const facts: CustomerFacts = { customerId, months };
  const branchId = (doc?.get('branchId') as string | undefined) ?? branchFallback;
  if (branchId) facts.branchId = branchId;
  const profile = doc?.get('profile') as Record<string, unknown> | undefined;
  if (profile) facts.profile = profileOf(profile);
  const override = doc?.get('override') as { tier?: string; from?: string; until?: string; reason?: string; by?: string } | undefined;
  const from = override?.from ? parseMonth(override.from) : null;
  const until = override?.until ? parseMonth(override.until) : null;
  if (override?.tier && override.reason && from !== null && until !== null) {
    facts.override = { tier: override.tier, from, until, reason: override.reason, ...(override.by ? { by: override.by } : {}) };
  }
  const maturities = doc?.get('maturities') as { product: string; date: string; amount: number | null }[] | undefined;
  if (maturities) facts.maturities = maturities.flatMap((m): Maturity[] => {
    const date = parseCivilDay(m.date);
    return date === null ? [] : [{ product: m.product, date, amount: m.amount }];
  });
  return facts;
}

function profileOf(stored: Record<string, unknown>): CustomerProfile {
  const archive = (stored['archive'] ?? {}) as Record<string, string>;
  const profile: CustomerProfile = { archive: {}, servicePlan: (stored['servicePlan'] ?? {}) as CustomerProfile['servicePlan'] };
  if (typeof stored['name'] === 'string') profile.name = stored['name'];
  if (typeof stored['managerId'] === 'string') profile.managerId = stored['managerId'];
  if (typeof stored['managerRole'] === 'string') profile.managerRole = stored['managerRole'] as CustomerProfile['managerRole'];
  if (typeof stored['birthday'] === 'string') {
    const day = parseCivilDay(stored['birthday']);
    if (day !== null) profile.birthday = ymdOf(day);
  }
  const fields: [keyof CustomerProfile['archive'], string][] = [
    ['homeAddress', 'homeAddress'],
    ['employer', 'employer'],
    ['mobile', 'mobile'],
    ['homePhone', 'homePhone'],
    ['riskProfile', 'riskProfile'],
    ['productPreference', 'productPreference'],
  ];
  for (const [field, key] of fields) if (archive[key]) profile.archive[field] = archive[key];
  return profile;
}
