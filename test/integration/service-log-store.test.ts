import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import type { ContactEntry } from '../../shared/service/contact-log.schema.js';
import { appendTierEvents, readContacts, readContactsOfCustomers, writeBranches, writeContacts, type TierEvent } from '../../functions/store/firestore-service-log.js';
import { testFirestore } from '../support/firestore-test-db.js';

/** Branches, the contact log and the tier-event audit trail on the emulator. */

const { db, clear } = testFirestore('service-log-test');
beforeEach(clear);
afterAll(() => db.terminate());

const contact = (customerId: string, date: string, by = 'M1'): ContactEntry => ({ customerId, date: parseCivilDay(date)!, channel: 'phone', kind: 'monthly-contact', occasion: null, by, note: '' });

describe('the service log in Firestore', () => {
  it('stores the branch register', async () => {
    await writeBranches(db, [{ branchId: 'B01', name: '城东支行', parentId: 'HQ', spreadsheetId: null, managers: [{ managerId: 'M1', name: '李', role: 'wealth-manager' }] }]);
    expect((await db.collection('branches').doc('B01').get()).get('managers')).toEqual([{ managerId: 'M1', name: '李', role: 'wealth-manager' }]);
  });

  it('keeps a contact written twice once, and reads a branch’s contacts since a date grouped by customer', async () => {
    const branch = (id: string) => (id === 'C3' ? 'B02' : 'B01');
    await writeContacts(db, [contact('C1', '2026-11-05'), contact('C1', '2026-11-20'), contact('C2', '2026-10-30'), contact('C3', '2026-11-05')], branch);
    await writeContacts(db, [contact('C1', '2026-11-05')], branch); // the same contact sent again
    expect((await db.collection('contacts').get()).size).toBe(4);
    const log = await readContacts(db, 'B01', '2026-11-01');
    expect([...log.keys()]).toEqual(['C1']); // C2's contact is before the date; C3 is another branch's
    expect(log.get('C1')!.map((e) => e.date).sort()).toEqual([parseCivilDay('2026-11-05'), parseCivilDay('2026-11-20')]);
  });

  it('reads the contacts of 70 named customers since a date in three queries, each customer’s by date, none of another customer', async () => {
    const ids = Array.from({ length: 70 }, (_, i) => `K${String(i + 1).padStart(2, '0')}`);
    // every customer: a contact before the date, two after it (written out of order); K70 has none; X1 is not asked for
    const entries = ids.slice(0, 69).flatMap((id) => [contact(id, '2026-12-20'), contact(id, '2025-12-31'), contact(id, '2026-01-05', 'M2')]);
    await writeContacts(db, [...entries, contact('X1', '2026-06-01')], () => 'B01');
    const log = await readContactsOfCustomers(db, ids, '2026-01-01');
    expect([...log.keys()].sort()).toEqual(ids.slice(0, 69));
    for (const id of ids.slice(0, 69)) expect(log.get(id)!.map((e) => [e.customerId, e.by, e.date])).toEqual([[id, 'M2', parseCivilDay('2026-01-05')], [id, 'M1', parseCivilDay('2026-12-20')]]);
    expect(await readContactsOfCustomers(db, [], '2026-01-01')).toEqual(new Map());
  });

  it('appends tier events once and never rewrites one', async () => {
    const event: TierEvent = { customerId: 'C1', branchId: 'B01', from: 'base', to: 'licai', effectiveMonth: '2026-11', reason: 'upgrade', schemeId: 'boc', schemeVersion: '2024-01' };
    expect(await appendTierEvents(db, [event], () => new Date('2026-11-01T00:00:00Z'))).toBe(1);
    // a re-run (say after a crash) with a different reason and time must leave the record as it was
    expect(await appendTierEvents(db, [{ ...event, reason: 'rerun' }], () => new Date('2026-11-02T00:00:00Z'))).toBe(0);
    const stored = await db.collection('tierEvents').doc('C1_2026-11').get();
    expect(stored.get('reason')).toBe('upgrade');
    expect(stored.get('createdAt').toDate().toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });
});
