import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { applySheetEdits } from '../../functions/store/firestore-sheet-edits.js';
import { testFirestore } from '../support/firestore-test-db.js';

/** Sheet edits into Firestore on the emulator: ownership checks, per-cell verdicts, the append-only edit log. */

const { db, clear } = testFirestore('sheet-edits-test');
const boc = bundledScheme('boc')!;
const today = parseCivilDay('2026-11-29')!;
const now = () => new Date('2026-11-29T08:00:00Z');

beforeEach(async () => {
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', spreadsheetId: 'SHEET-B01' });
  batch.set(db.collection('customers').doc('C1'), { customerId: 'C1', branchId: 'B01', profile: { archive: { employer: '市第一医院' } } });
  batch.set(db.collection('customers').doc('C9'), { customerId: 'C9', branchId: 'B02' });
  await batch.commit();
});
afterAll(() => db.terminate());

describe('applying sheet edits', () => {
  it('stores the good cells, refuses the bad ones with Chinese reasons, and logs every edit', async () => {
    const results = await applySheetEdits(
      db,
      boc,
      { branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank', rows: [{ row: 5, customerId: 'C1', cells: { 手机号码: '13800138000', 风险特征: 'C9', 指定等级: '中银财富管理客户', 指定原因: '总行批准', 指定截止月: '2027-03' } }] },
      today,
      now,
    );
    expect(results).toEqual([{ row: 5, customerId: 'C1', accepted: ['手机号码', '指定等级', '指定原因', '指定截止月'], refused: [{ column: '风险特征', zh: '风险特征应为C1–C5之一' }] }]);
    const c1 = await db.collection('customers').doc('C1').get();
    expect(c1.get('profile.archive')).toEqual({ employer: '市第一医院', mobile: '13800138000' }); // the other archive field kept
    expect(c1.get('override')).toEqual({ tier: 'wealth', from: '2026-11', until: '2027-03', reason: '总行批准', by: 'li@bank' });
    const log = await db.collection('editLog').get();
    expect(log.size).toBe(5);
    expect(log.docs.filter((d) => !d.get('accepted')).map((d) => [d.get('column'), d.get('reason')])).toEqual([['风险特征', 'risk profile must be one of C1–C5']]);
  });

  it('refuses every cell of a customer of another branch, and every cell sent from another branch’s sheet, storing nothing but the log', async () => {
    const other = await applySheetEdits(db, boc, { branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank', rows: [{ row: 2, customerId: 'C9', cells: { 手机号码: '13800138000' } }] }, today, now);
    expect(other[0]!.refused).toEqual([{ column: '手机号码', zh: '客户不属于本支行，修改未保存' }]);
    const wrongSheet = await applySheetEdits(db, boc, { branchId: 'B01', spreadsheetId: 'SHEET-B02', editor: 'li@bank', rows: [{ row: 2, customerId: 'C1', cells: { 工作单位: 'x' } }] }, today, now);
    expect(wrongSheet[0]!.refused).toEqual([{ column: '工作单位', zh: '此表格不属于该支行，修改未保存' }]);
    expect((await db.collection('customers').doc('C9').get()).get('profile')).toBeUndefined();
    expect((await db.collection('customers').doc('C1').get()).get('profile.archive.employer')).toBe('市第一医院');
    expect((await db.collection('editLog').get()).size).toBe(2);
  });
});
