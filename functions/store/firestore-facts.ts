import { createHash } from 'node:crypto';
import { FieldPath, FieldValue, type Firestore } from '@google-cloud/firestore';
import { formatCivilDay, monthOfDay } from '../../shared/calendar/civil-date.js';
import type { CustomerMaster, DayIngest } from '../../shared/ingest/day-ingest.js';
import { formatMonth } from '../../shared/month.js';
import { COLLECTIONS, factsDocId } from './collections.js';
import { foldsIn, staleMark } from './firestore-engine-state.js';

/**
 * Writes one business date's contributions into the monthly accumulators. Each month
 * document holds its days in a map keyed by date (`days.2026-11-28 = {a, l, c, t, p}`), and a
 * date is written with mergeFields on exactly that key: sending a date again replaces its
 * contribution (never adds it twice), dates may arrive in any order, and two dates of one
 * month written at once touch different keys of the document. A customer present in an
 * earlier send of the date but absent now loses that date's contribution.
 *
 * A customer master row is written only when it differs from the row last applied to that
 * customer (`masterHash` on the customer document, a fingerprint of the row): on an ordinary
 * day almost every row is the same as yesterday's, so a date costs about one document write per
 * customer, its month document. A row that did change overwrites the fields it carries, as
 * before — a manager's edit of such a field since is replaced by the master's new value, while
 * an unchanged row no longer puts yesterday's value back over a manager's edit every morning.
 */

export interface DayRecord {
  /** end-of-day financial assets, CNY fen */
  a: number;
  /** normal-class loan balance, CNY fen */
  l: number;
  /** eligible card spend of the day, CNY fen */
  c: number;
  /** transactions of the day */
  t: number;
  /** products held at the end of the day */
  p: string[];
}

export interface FactsWriteReport {
  customersWritten: number;
  /** customers whose earlier contribution for the date was withdrawn by a corrected send */
  withdrawn: number;
  /** Firestore document writes issued */
  writes: number;
  /** master rows the same as when last applied, so not written */
  mastersUnchanged: number;
}

const BATCH_LIMIT = 500;
/** Batches committed at once: the emulator took 1.9× the writes with 4 in flight (npm run bench). */
const COMMITS_IN_FLIGHT = 4;

export async function writeDay(db: Firestore, ingest: DayIngest): Promise<FactsWriteReport> {
  const date = formatCivilDay(ingest.date);
  const month = formatMonth(monthOfDay(ingest.date));
  const dayField = new FieldPath('days', date);
  const facts = db.collection(COLLECTIONS.facts);

  // Who had a contribution for this date before (a corrected re-send may leave some out).
  const earlier = await facts.where(dayField, '!=', null).select('customerId').get();
  const stale = earlier.docs.filter((doc) => !ingest.contributions.has(doc.get('customerId') as string));

  let writes = 0;
  let batch = db.batch();
  let inBatch = 0;
  const inFlight = new Set<Promise<void>>();
  const flush = async () => {
    if (inBatch === 0) return;
    const size = inBatch;
    const commit: Promise<void> = batch.commit().then(() => {
      writes += size;
      inFlight.delete(commit);
    });
    // Awaited below through race/all; this handler only keeps a failure from also being reported as unhandled.
    commit.catch(() => undefined);
    inFlight.add(commit);
    batch = db.batch();
    inBatch = 0;
    if (inFlight.size >= COMMITS_IN_FLIGHT) await Promise.race(inFlight);
  };
  const add = async (write: (b: FirebaseFirestore.WriteBatch) => void) => {
    write(batch);
    inBatch++;
    if (inBatch >= BATCH_LIMIT) await flush();
  };

  for (const doc of stale) await add((b) => b.update(doc.ref, dayField, FieldValue.delete()));
  const known = await knownCustomers(db, ingest, stale.map((doc) => doc.get('customerId') as string));
  const branches = known.branches;
  for (const c of ingest.contributions.values()) {
    const record: DayRecord = { a: c.assets, l: c.loan, c: c.card, t: c.txns, p: c.products };
    const branchId = ingest.masters.get(c.customerId)?.branchId ?? branches.get(c.customerId);
    const data: Record<string, unknown> = { customerId: c.customerId, month, days: { [date]: record } };
    const fields: (string | FieldPath)[] = ['customerId', 'month', dayField];
    if (branchId) {
      data['branchId'] = branchId;
      fields.push('branchId');
    }
    await add((b) => b.set(facts.doc(factsDocId(c.customerId, month)), data, { mergeFields: fields }));
  }
  const customers = db.collection(COLLECTIONS.customers);
  // A date of a month a customer's saved engine state has already folded in (a late or corrected send): the next night replays them.
  const touched = new Set<string>([...ingest.contributions.keys(), ...stale.map((doc) => doc.get('customerId') as string)]);
  for (const customerId of touched) {
    if (foldsIn(known.states.get(customerId), month)) await add((b) => b.set(customers.doc(customerId), staleMark(month), { merge: true }));
  }
  let mastersUnchanged = 0;
  for (const master of ingest.masters.values()) {
    // A master row as it was last applied is not written again: most rows are the same every day.
    const hash = masterHash(master);
    if (known.masterHashes.get(master.customerId) === hash) {
      mastersUnchanged++;
      continue;
    }
    const { customerId, branchId, managerId, managerRole, birthday, name, ...archive } = master;
    const profile: Record<string, unknown> = { archive };
    if (name) profile['name'] = name;
    if (birthday) profile['birthday'] = birthday;
    if (managerId) profile['managerId'] = managerId;
    if (managerRole) profile['managerRole'] = managerRole;
    await add((b) => b.set(customers.doc(customerId), { customerId, branchId, profile, masterDate: date, masterHash: hash }, { merge: true }));
  }
  for (const [customerId, list] of ingest.maturities) {
    const maturities = list.map((m) => ({ product: m.product, date: formatCivilDay(m.date), amount: m.amount }));
    await add((b) => b.set(customers.doc(customerId), { customerId, maturities, maturitiesDate: date }, { mergeFields: ['customerId', 'maturities', 'maturitiesDate'] }));
  }
  await flush();
  await Promise.all(inFlight);
  return { customersWritten: ingest.contributions.size, withdrawn: stale.length, writes, mastersUnchanged };
}

/** The master row's fingerprint: its fields in a fixed order, so the same row always gives the same text. */
export function masterHash(master: CustomerMaster): string {
  const fields = Object.entries(master)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32);
}

/**
 * What the customer documents already say, read with getAll and a field mask, 500 at a time:
 * - the owning branch of customers whose master row is not in today's files, so every month
 *   document carries the branch a branch's nightly read filters on;
 * - the fingerprint of the master row last applied to each customer in today's master file;
 * - the month through which each customer's saved engine state has folded in their facts.
 */
async function knownCustomers(db: Firestore, ingest: DayIngest, withdrawn: readonly string[]): Promise<{ branches: Map<string, string>; masterHashes: Map<string, string>; states: Map<string, { through?: unknown }> }> {
  const ids = [...new Set([...[...ingest.contributions.keys()].filter((id) => !ingest.masters.has(id)), ...ingest.masters.keys(), ...withdrawn])];
  const branches = new Map<string, string>();
  const masterHashes = new Map<string, string>();
  const states = new Map<string, { through?: unknown }>();
  const answers: FirebaseFirestore.DocumentSnapshot[][] = [];
  for (let i = 0; i < ids.length; i += BATCH_LIMIT) {
    answers.push(await db.getAll(...ids.slice(i, i + BATCH_LIMIT).map((id) => db.collection(COLLECTIONS.customers).doc(id)), { fieldMask: ['branchId', 'masterHash', 'engineState.through'] }));
  }
  for (const docs of answers) {
    for (const doc of docs) {
      const branchId = doc.get('branchId') as string | undefined;
      if (branchId && !ingest.masters.has(doc.id)) branches.set(doc.id, branchId);
      const hash = doc.get('masterHash') as string | undefined;
      if (hash) masterHashes.set(doc.id, hash);
      const state = doc.get('engineState') as { through?: unknown } | undefined;
      if (state) states.set(doc.id, state);
    }
  }
  return { branches, masterHashes, states };
}
