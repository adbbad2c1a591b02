import { createHash } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { formatCivilDay, parseCivilDay } from '../../shared/calendar/civil-date.js';
import type { ContactEntry } from '../../shared/service/contact-log.schema.js';
import type { Role } from '../../shared/service/service-vocabulary.js';
import { COLLECTIONS } from './collections.js';

/**
 * The branch register, the contact log and the tier-event audit trail in Firestore.
 * Contacts and tier events are keyed by what they record, so writing one again changes
 * nothing; tier events are created, never set, so an audit entry can never be rewritten.
 */

export interface BranchRecord {
  branchId: string;
  name: string;
  parentId: string | null;
  spreadsheetId: string | null;
  managers: { managerId: string; name: string; role: Role }[];
}

export async function writeBranches(db: Firestore, branches: readonly BranchRecord[]): Promise<void> {
  for (let i = 0; i < branches.length; i += 500) {
    const batch = db.batch();
    for (const b of branches.slice(i, i + 500)) batch.set(db.collection(COLLECTIONS.branches).doc(b.branchId), b);
    await batch.commit();
  }
}

/** The same contact (customer, day, kind, occasion, channel, person) always has the same id. */
export function contactId(e: ContactEntry): string {
  return createHash('sha256').update([e.customerId, formatCivilDay(e.date), e.kind, e.occasion ?? '', e.channel, e.by].join('\u0000')).digest('hex').slice(0, 32);
}

export async function writeContacts(db: Firestore, entries: readonly ContactEntry[], branchOf: (customerId: string) => string | null): Promise<number> {
  for (let i = 0; i < entries.length; i += 500) {
    const batch = db.batch();
    for (const e of entries.slice(i, i + 500)) {
      batch.set(db.collection(COLLECTIONS.contacts).doc(contactId(e)), {
        customerId: e.customerId,
        branchId: branchOf(e.customerId),
        date: formatCivilDay(e.date),
        channel: e.channel,
        kind: e.kind,
        occasion: e.occasion,
        by: e.by,
        note: e.note,
      });
    }
    await batch.commit();
  }
  return entries.length;
}

/** Contacts of one branch since a date, grouped by customer (one query, streamed). */
export async function readContacts(db: Firestore, branchId: string, since: string): Promise<Map<string, ContactEntry[]>> {
  const byCustomer = new Map<string, ContactEntry[]>();
  const query = db.collection(COLLECTIONS.contacts).where('branchId', '==', branchId).where('date', '>=', since);
  for await (const doc of query.stream() as AsyncIterable<FirebaseFirestore.QueryDocumentSnapshot>) addContact(byCustomer, doc);
  return byCustomer;
}

/** Firestore's limit on values in one `in` filter. */
const IN_LIMIT = 30;

/**
 * Contacts of a few customers since a date (say, the rows a manager just edited), grouped by
 * customer: one `in` query per 30 customers, all at once, never one query per customer. A
 * customer with no contact is absent from the map.
 */
export async function readContactsOfCustomers(db: Firestore, customerIds: readonly string[], since: string): Promise<Map<string, ContactEntry[]>> {
  const ids = [...new Set(customerIds)];
  const chunks = Array.from({ length: Math.ceil(ids.length / IN_LIMIT) }, (_, i) => ids.slice(i * IN_LIMIT, (i + 1) * IN_LIMIT));
  const answers = await Promise.all(chunks.map((chunk) => db.collection(COLLECTIONS.contacts).where('customerId', 'in', chunk).where('date', '>=', since).get()));
  // In the order one query per customer would give: by date, then by document id.
  const docs = answers.flatMap((a) => a.docs).sort((a, b) => compareText(String(a.get('date')), String(b.get('date'))) || compareText(a.id, b.id));
  const byCustomer = new Map<string, ContactEntry[]>();
  for (const doc of docs) addContact(byCustomer, doc);
  return byCustomer;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function addContact(byCustomer: Map<string, ContactEntry[]>, doc: FirebaseFirestore.QueryDocumentSnapshot): void {
  const date = parseCivilDay(doc.get('date') as string);
  if (date === null) return;
  const entry: ContactEntry = {
    customerId: doc.get('customerId'),
    date,
    channel: doc.get('channel'),
    kind: doc.get('kind'),
    occasion: doc.get('occasion') ?? null,
    by: doc.get('by'),
    note: doc.get('note') ?? '',
  };
  const list = byCustomer.get(entry.customerId) ?? [];
  list.push(entry);
  byCustomer.set(entry.customerId, list);
}

export interface TierEvent {
  customerId: string;
  branchId: string | null;
  from: string;
  to: string;
  /** YYYY-MM: the first month of the period the new tier applies to */
  effectiveMonth: string;
  reason: string;
  schemeId: string;
  schemeVersion: string;
}

/**
 * Appends tier events. An event already recorded for the customer and month is left as it
 * was (a re-run after a crash adds nothing and rewrites nothing); returns how many were new.
 */
export async function appendTierEvents(db: Firestore, events: readonly TierEvent[], now: () => Date): Promise<number> {
  let created = 0;
  await Promise.all(
    events.map(async (e) => {
      try {
        await db.collection(COLLECTIONS.tierEvents).doc(`${encodeURIComponent(e.customerId)}_${e.effectiveMonth}`).create({ ...e, createdAt: now() });
        created++;
      } catch (error) {
        // 6 = ALREADY_EXISTS: the event is on record; the audit trail is never rewritten.
        if ((error as { code?: number }).code !== 6) throw error;
      }
    }),
  );
  return created;
}
