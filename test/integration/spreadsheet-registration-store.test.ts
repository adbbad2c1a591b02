import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { branchesWithSpreadsheet, registerSpreadsheet } from '../../functions/store/firestore-spreadsheet-registration.js';
import { testFirestore } from '../support/firestore-test-db.js';

/** branches/{id}.spreadsheetId on the emulator: one branch per spreadsheet, checked and written in one transaction. */

const { db, clear } = testFirestore('spreadsheet-registration-test');

beforeEach(async () => {
  await clear();
  const batch = db.batch();
  for (const id of ['B01', 'B02', 'B03']) batch.set(db.collection('branches').doc(id), { branchId: id, spreadsheetId: id === 'B03' ? 'SHEET-B03' : null });
  await batch.commit();
});
afterAll(async () => {
  await db.terminate();
});

const registered = async (id: string) => (await db.collection('branches').doc(id).get()).get('spreadsheetId') as string | null;

describe('registering a Google spreadsheet as a branch’s', () => {
  it('registers, finds it registered the second time, and replaces the branch’s earlier spreadsheet (saying which)', async () => {
    expect(await registerSpreadsheet(db, 'B01', 'SHEET-1')).toEqual({ state: 'registered now', replaced: null });
    expect(await registerSpreadsheet(db, 'B01', 'SHEET-1')).toEqual({ state: 'registered' });
    expect(await registerSpreadsheet(db, 'B01', 'SHEET-2')).toEqual({ state: 'registered now', replaced: 'SHEET-1' });
    expect(await registered('B01')).toBe('SHEET-2');
    expect(await branchesWithSpreadsheet(db, 'SHEET-2')).toEqual(['B01']);
    expect(await branchesWithSpreadsheet(db, 'SHEET-1')).toEqual([]);
  });

  it('refuses another branch’s spreadsheet and a branch not in the register, writing nothing', async () => {
    expect(await registerSpreadsheet(db, 'B01', 'SHEET-B03')).toEqual({ state: 'taken', by: 'B03' });
    expect(await registerSpreadsheet(db, 'B99', 'SHEET-9')).toEqual({ state: 'no such branch' });
    expect(await registered('B01')).toBeNull();
    expect((await db.collection('branches').doc('B99').get()).exists).toBe(false);
  });

  it('two branches registering one spreadsheet at once: exactly one gets it', async () => {
    const outcomes = await Promise.all([registerSpreadsheet(db, 'B01', 'SHEET-X'), registerSpreadsheet(db, 'B02', 'SHEET-X')]);
    expect(outcomes.map((o) => o.state).sort()).toEqual(['registered now', 'taken']);
    expect(await branchesWithSpreadsheet(db, 'SHEET-X')).toHaveLength(1);
  });
});
