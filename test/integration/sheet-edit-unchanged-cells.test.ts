import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { EDITABLE_HEADERS } from '../../shared/sheets/branch-layout.js';
import { applySheetEdits, type SheetEditRequest } from '../../functions/store/firestore-sheet-edits.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * A cell the sheet re-sends with the value already stored is no edit: a sort (or a paste of
 * the same values, a cut-and-paste move, 重新发送所选行) re-sends whole rows, and Google does not
 * say which cells changed. On the emulator.
 */

const { db, clear } = testFirestore('sheet-edit-unchanged-test');
const boc = bundledScheme('boc')!;
const today = parseCivilDay('2026-11-29')!;
const now = () => new Date('2026-11-29T08:00:00Z');
const N = 500;
const id = (i: number) => `C${String(i).padStart(3, '0')}`;

/** C001…C500: an employer and a phone contact each; C001 also has an override; every other editable field empty. */
beforeEach(async () => {
  await clear();
  await db.collection('branches').doc('B01').set({ branchId: 'B01', spreadsheetId: 'SHEET-B01' });
  let batch = db.batch();
  for (let i = 1; i <= N; i++) {
    const customer: Record<string, unknown> = { customerId: id(i), branchId: 'B01', profile: { archive: { employer: `单位${i}`, riskProfile: 'C3' } }, lastContact: { date: '2026-11-01', channel: 'phone', note: '电话回访' } };
    if (i === 1) customer['override'] = { tier: 'wealth', from: '2026-10', until: '2027-03', reason: '总行批准', by: 'wang@bank' };
    batch.set(db.collection('customers').doc(id(i)), customer);
    if (i % 250 === 0) {
      await batch.commit();
      batch = db.batch();
    }
  }
  await batch.commit();
});
afterAll(() => db.terminate());

/** The row as the sheet shows it: every editable column, as the trigger sends a sorted range (empty text for an empty cell). */
function sheetRow(i: number): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const header of EDITABLE_HEADERS) cells[header] = '';
  Object.assign(cells, { 工作单位: `单位${i}`, 风险特征: 'C3', 最近联系日期: '2026-11-01', 最近联系方式: '电话', 联系备注: '电话回访' });
  if (i === 1) Object.assign(cells, { 指定等级: '中银财富管理客户', 指定原因: '总行批准', 指定截止月: '2027-03' });
  return cells;
}

/** A sort descending by 客户号: row 2 now holds C500, row 501 holds C001. */
function sorted(change: (i: number, cells: Record<string, string>) => void = () => {}): SheetEditRequest {
  const rows = Array.from({ length: N }, (_, k) => {
    const i = N - k;
    const cells = sheetRow(i);
    change(i, cells);
    return { row: k + 2, customerId: id(i), cells };
  });
  return { branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank', rows };
}

const editLog = async () => (await db.collection('editLog').get()).docs.map((d) => d.data());

describe('cells re-sent unchanged', () => {
  it('a sort that re-sends 500 unchanged rows logs nothing and writes nothing, and answers every cell accepted', async () => {
    const results = await applySheetEdits(db, boc, sorted(), today, now);
    expect(await editLog()).toEqual([]);
    expect(results).toHaveLength(N);
    for (const r of results) expect(r).toEqual({ row: r.row, customerId: r.customerId, accepted: [...EDITABLE_HEADERS], refused: [] });
    const c1 = await db.collection('customers').doc('C001').get();
    expect(c1.get('editedAt')).toBeUndefined(); // no write at all
    expect(c1.get('override')).toEqual({ tier: 'wealth', from: '2026-10', until: '2027-03', reason: '总行批准', by: 'wang@bank' });
  });

  it('a real change among them is logged and stored, exactly its cells', async () => {
    const request = sorted((i, cells) => {
      if (i === 250) cells['工作单位'] = '市第一医院';
      if (i === 1) cells['指定原因'] = '分行复核';
      if (i === 7) cells['手机号码'] = '13800138000';
    });
    await applySheetEdits(db, boc, request, today, now);
    const log = await editLog();
    expect(log.map((e) => [e['customerId'], e['column'], e['value'], e['accepted']]).sort()).toEqual([
      ['C001', '指定原因', '分行复核', true],
      ['C007', '手机号码', '13800138000', true],
      ['C250', '工作单位', '市第一医院', true],
    ]);
    const c250 = await db.collection('customers').doc('C250').get();
    expect(c250.get('profile.archive')).toEqual({ employer: '市第一医院', riskProfile: 'C3' });
    expect(c250.get('editedBy')).toBe('li@bank');
    // The override is rewritten whole by the one changed cell: the new reason, this month, this editor.
    expect((await db.collection('customers').doc('C001').get()).get('override')).toEqual({ tier: 'wealth', from: '2026-11', until: '2027-03', reason: '分行复核', by: 'li@bank' });
    expect((await db.collection('customers').doc('C007').get()).get('profile.archive')).toEqual({ employer: '单位7', riskProfile: 'C3', mobile: '13800138000' });
    expect((await db.collection('customers').doc('C008').get()).get('editedAt')).toBeUndefined();
  });

  it('a value the validation normalises compares as stored (c3 is C3; 2026/11/01 is 2026-11-01); an emptied cell of a stored field is a change', async () => {
    const request = sorted((i, cells) => {
      if (i === 3) Object.assign(cells, { 风险特征: 'c3', 最近联系日期: '2026/11/01' });
      if (i === 4) cells['工作单位'] = '';
    });
    await applySheetEdits(db, boc, request, today, now);
    expect((await editLog()).map((e) => [e['customerId'], e['column'], e['value']])).toEqual([['C004', '工作单位', '']]);
    expect((await db.collection('customers').doc('C004').get()).get('profile.archive')).toEqual({ riskProfile: 'C3' });
  });

  it('an override cleared in the sheet is a change only for the customer who has one', async () => {
    const request = sorted((i, cells) => {
      if (i === 1 || i === 2) Object.assign(cells, { 指定等级: '', 指定原因: '', 指定截止月: '' });
    });
    await applySheetEdits(db, boc, request, today, now);
    expect((await editLog()).map((e) => [e['customerId'], e['column']]).sort()).toEqual([
      ['C001', '指定原因'],
      ['C001', '指定截止月'],
      ['C001', '指定等级'],
    ]);
    expect((await db.collection('customers').doc('C001').get()).get('override')).toBeUndefined();
  });

  it('a refused cell is still refused and logged each time it is sent (nothing is stored to compare it with)', async () => {
    const results = await applySheetEdits(db, boc, sorted((i, cells) => i === 9 && (cells['风险特征'] = 'C9')), today, now);
    expect(results.find((r) => r.customerId === 'C009')!.refused).toEqual([{ column: '风险特征', zh: '风险特征应为C1–C5之一' }]);
    expect((await editLog()).map((e) => [e['customerId'], e['column'], e['accepted']])).toEqual([['C009', '风险特征', false]]);
  });
});
