import { FieldValue, type Firestore, type QueryDocumentSnapshot } from '@google-cloud/firestore';
import type { CustomerFacts, MonthFacts } from '../../shared/customer-facts.js';
import { resumedFacts, whyNotResumable, type EngineState } from '../../shared/engine-state.js';
import { formatMonth, parseMonth, type MonthIndex } from '../../shared/month.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { COLLECTIONS, factsDocId } from './collections.js';
import { CUSTOMER_FIELDS, customerFactsOf, customersByIds, FACT_FIELDS, monthFactsOf, streamCustomerFacts } from './firestore-facts-reader.js';

/**
 * The engine's saved state, kept on the customer document (`engineState`, exempt from
 * indexes), and the nightly read that uses it: the branch's customer documents (profile and
 * state in one read each) and the month documents after the states (the open month on an
 * ordinary night, the month just closed too on the first night of a month), never the whole
 * history. A customer with no usable state is read whole and replayed once, with the reason:
 * no state yet, the scheme or its version changed, the override changed, or ingest corrected a
 * month the state had already folded in (`engineStale`, set by writeDay and writeHistory).
 */

export interface ResumingRead {
  facts: CustomerFacts;
  /** why the customer was read whole and replayed; null when resumed from the saved state */
  replayed: string | null;
}

export interface ResumingReadCounts {
  /** customer documents read (one per customer of the branch) */
  customerDocs: number;
  /** month documents read after the saved states */
  monthDocsAfterState: number;
  /** month documents read whole for the customers replayed */
  monthDocsReplayed: number;
  resumed: number;
  /** customers replayed, by reason */
  replayed: Record<string, number>;
}

/** A state older than this many months is not worth resuming: the customer is read whole. */
const OLDEST_RESUMED_MONTHS = 12;

export async function readBranchResuming(
  db: Firestore,
  branchId: string,
  scheme: Scheme,
  openMonth: MonthIndex,
  counts: ResumingReadCounts = emptyCounts(),
): Promise<ResumingRead[]> {
  const customerDocs = (await db
    .collection(COLLECTIONS.customers)
    .where('branchId', '==', branchId)
    .select(...CUSTOMER_FIELDS, 'engineState', 'engineStale')
    .get()) as { docs: QueryDocumentSnapshot[] };
  counts.customerDocs += customerDocs.docs.length;

  const usable = new Map<string, { doc: QueryDocumentSnapshot; state: EngineState }>();
  const replay = new Map<string, string>();
  for (const doc of customerDocs.docs) {
    const state = doc.get('engineState') as EngineState | undefined;
    const why = whyReplayed(doc, state, scheme, openMonth);
    if (why === null && state !== undefined) usable.set(doc.id, { doc, state });
    else replay.set(doc.id, why ?? 'no saved state');
  }

  // The months after the states: one query over the branch's month documents from the earliest needed.
  const after = new Map<string, MonthFacts[]>();
  let from = openMonth;
  for (const { state } of usable.values()) from = Math.min(from, state.through + 1);
  if (usable.size > 0) {
    const query = db.collection(COLLECTIONS.facts).where('branchId', '==', branchId).where('month', '>=', formatMonth(from)).select(...FACT_FIELDS);
    for (const snapshot of (await query.get()).docs) {
      const customerId = snapshot.get('customerId') as string;
      const month = monthFactsOf(snapshot);
      if (month === null || month.month > openMonth) continue;
      counts.monthDocsAfterState++;
      if (!usable.has(customerId) && !replay.has(customerId)) replay.set(customerId, 'no customer document');
      const list = after.get(customerId);
      if (list) list.push(month);
      else after.set(customerId, [month]);
    }
  }

  const reads: ResumingRead[] = [];
  for (const [customerId, { doc, state }] of usable) {
    const base = customerFactsOf(customerId, doc, [], branchId);
    const { months: _none, ...customer } = base;
    reads.push({ facts: resumedFacts(state, customer, after.get(customerId) ?? []), replayed: null });
    counts.resumed++;
  }
  if (replay.size > 0) {
    // Read whole. When at least half the branch is replayed (its first night, a new scheme
    // version), one query over the branch serves them all; a few customers (a corrected month)
    // are read by id, 30 to an `in` query. Many `in` queries would each cost the emulator a
    // pass over every month document it holds (measured: a first night of the demo bank did
    // not finish in 5 minutes), and in production read no fewer documents than the branch query.
    const wholeBranch = replay.size * 2 >= customerDocs.docs.length;
    const replayed = wholeBranch ? streamCustomerFacts(db, { branchId }) : customersByIds(db, [...replay.keys()]);
    for await (const facts of replayed) {
      if (!replay.has(facts.customerId)) continue;
      counts.monthDocsReplayed += facts.months.length;
      const reason = replay.get(facts.customerId) ?? 'no saved state';
      counts.replayed[reason] = (counts.replayed[reason] ?? 0) + 1;
      reads.push({ facts, replayed: reason });
    }
  }
  reads.sort((a, b) => (a.facts.customerId < b.facts.customerId ? -1 : a.facts.customerId > b.facts.customerId ? 1 : 0));
  return reads;
}

/** Why a customer document's saved state cannot be resumed from for a night of openMonth; null when it can. */
function whyReplayed(doc: FirebaseFirestore.DocumentSnapshot, state: EngineState | undefined, scheme: Scheme, openMonth: MonthIndex): string | null {
  if (state === undefined) return 'no saved state';
  const stale = doc.get('engineStale') as string | undefined;
  if (stale !== undefined) return `facts of ${stale} corrected after the state was saved`;
  return whyNotResumable(state, scheme, customerFactsOf(doc.id, doc, [], null).override) ?? (state.through < openMonth - OLDEST_RESUMED_MONTHS ? 'saved state too old' : null);
}

export function emptyCounts(): ResumingReadCounts {
  return { customerDocs: 0, monthDocsAfterState: 0, monthDocsReplayed: 0, resumed: 0, replayed: {} };
}

const BATCH_LIMIT = 500;

/** Saves the states (merged into the customer documents) and clears the corrected-month marks they answer. */
export async function saveEngineStates(db: Firestore, states: readonly { customerId: string; branchId: string | null; state: EngineState }[]): Promise<number> {
  const customers = db.collection(COLLECTIONS.customers);
  const commits: Promise<unknown>[] = [];
  for (let i = 0; i < states.length; i += BATCH_LIMIT) {
    const batch = db.batch();
    for (const { customerId, branchId, state } of states.slice(i, i + BATCH_LIMIT)) {
      const data: Record<string, unknown> = { customerId, engineState: state, engineStale: FieldValue.delete() };
      if (branchId !== null) data['branchId'] = branchId;
      batch.set(customers.doc(customerId), data, { merge: true });
    }
    commits.push(batch.commit());
  }
  await Promise.all(commits);
  return states.length;
}

/** Marks customers whose month (YYYY-MM) was written after their state folded it in: the next night replays them. */
export function staleMark(month: string): Record<string, unknown> {
  return { engineStale: month };
}

/** True when a write into this month must invalidate the saved state (the state has folded the month in). */
export function foldsIn(state: { through?: unknown } | undefined, month: string): boolean {
  const through = state?.through;
  const m = parseMonth(month);
  return typeof through === 'number' && m !== null && m <= through;
}

/** Customer documents and month documents fetched with getAll at once: Firestore takes many per call, these keep each call small. */
const GET_ALL_CHUNK = 300;

/**
 * A few customers by id (the rows of a sheet edit), resumed where their saved state allows:
 * their customer documents and the month documents after the states by id, all with getAll;
 * the others read whole with customersByIds. Customers with no document and no facts are left
 * out, as customersByIds leaves them out.
 */
export async function customersByIdsResuming(db: Firestore, customerIds: readonly string[], scheme: Scheme, openMonth: MonthIndex): Promise<CustomerFacts[]> {
  const ids = [...new Set(customerIds)];
  const customers = db.collection(COLLECTIONS.customers);
  const chunks: Promise<FirebaseFirestore.DocumentSnapshot[]>[] = [];
  for (let i = 0; i < ids.length; i += GET_ALL_CHUNK) {
    chunks.push(db.getAll(...ids.slice(i, i + GET_ALL_CHUNK).map((id) => customers.doc(id)), { fieldMask: [...CUSTOMER_FIELDS, 'engineState', 'engineStale'] }));
  }
  const docs = (await Promise.all(chunks)).flat();
  const usable: { doc: FirebaseFirestore.DocumentSnapshot; state: EngineState }[] = [];
  const whole: string[] = [];
  for (const doc of docs) {
    const state = doc.get('engineState') as EngineState | undefined;
    if (doc.exists && state !== undefined && whyReplayed(doc, state, scheme, openMonth) === null && state.through < openMonth) usable.push({ doc, state });
    else whole.push(doc.id);
  }
  const monthRefs = usable.flatMap(({ doc, state }) => {
    const refs = [];
    for (let m = state.through + 1; m <= openMonth; m++) refs.push(db.collection(COLLECTIONS.facts).doc(factsDocId(doc.id, formatMonth(m))));
    return refs;
  });
  const monthChunks: Promise<FirebaseFirestore.DocumentSnapshot[]>[] = [];
  for (let i = 0; i < monthRefs.length; i += GET_ALL_CHUNK) monthChunks.push(db.getAll(...monthRefs.slice(i, i + GET_ALL_CHUNK), { fieldMask: FACT_FIELDS }));
  const after = new Map<string, MonthFacts[]>();
  for (const snapshot of (await Promise.all(monthChunks)).flat()) {
    if (!snapshot.exists) continue;
    const month = monthFactsOf(snapshot);
    const customerId = snapshot.get('customerId') as string;
    if (month === null) continue;
    const list = after.get(customerId);
    if (list) list.push(month);
    else after.set(customerId, [month]);
  }
  const result: CustomerFacts[] = [];
  for (const { doc, state } of usable) {
    const { months: _none, ...customer } = customerFactsOf(doc.id, doc, [], null);
    result.push(resumedFacts(state, customer, after.get(doc.id) ?? []));
  }
  for await (const facts of customersByIds(db, whole)) result.push(facts);
  return result;
}
