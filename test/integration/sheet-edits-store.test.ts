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

  it('a paste large enough for several batches is stored whole, and a customer on two rows in different batches keeps the later row', async () => {
    const batch = db.batch();
    for (let i = 1; i <= 300; i++) batch.set(db.collection('customers').doc(`P${i}`), { customerId: `P${i}`, branchId: 'B01' });
    await batch.commit();
    // each row: 工作单位 and 家庭住址 = one update and two log entries, so 300 rows are 900 writes, two batches of at most 500
    const rows = Array.from({ length: 300 }, (_, i) => ({ row: i + 2, customerId: `P${i + 1}`, cells: { 工作单位: `单位${i + 1}`, 家庭住址: `地址${i + 1}` } }));
    rows.push({ row: 302, customerId: 'P1', cells: { 工作单位: '后一行的单位', 家庭住址: '后一行的地址' } });
    const results = await applySheetEdits(db, boc, { branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank', rows }, today, now);
    expect(results.every((r) => r.refused.length === 0 && r.accepted.length === 2)).toBe(true);
    const stored = await db.getAll(...Array.from({ length: 300 }, (_, i) => db.collection('customers').doc(`P${i + 1}`)));
    expect(stored.slice(1).map((d) => d.get('profile.archive.employer'))).toEqual(Array.from({ length: 299 }, (_, i) => `单位${i + 2}`));
    expect(stored[0]!.get('profile.archive')).toEqual({ employer: '后一行的单位', homeAddress: '后一行的地址' });
    expect((await db.collection('editLog').where('editor', '==', 'li@bank').count().get()).data().count).toBe(602);
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
