import { describe, expect, it } from 'vitest';
import type { EditedRow } from '../../shared/sheets/customer-sheet-plan.js';
import { customerTabIn, reconcileEditedRows, seenAfterWrite, type LoggedValue, type ReconcileInput, type SeenCells } from '../../shared/sheets/sheet-reconcile.js';

const row = (r: number, customerId: string, fields: EditedRow['fields']): EditedRow => ({ row: r, customerId, fields });

function input(over: Partial<ReconcileInput>): ReconcileInput {
  return { rows: [], seen: {}, customers: new Set(['C1', 'C2']), storedText: () => undefined, logged: () => [], ...over };
}

describe('reconcileEditedRows: which cells are edits the trigger never sent', () => {
  const cases: { name: string; rows: EditedRow[]; seen: SeenCells | null; stored?: Record<string, string>; logged?: Record<string, LoggedValue[]>; send: { customerId: string; cells: Record<string, string>; conflicts: string[] }[]; alreadySent?: number }[] = [
    { name: '(a) typed, store unchanged since: an edit', rows: [row(2, 'C1', { 工作单位: '市图书馆', 手机号码: '' })], seen: { C1: { 工作单位: '市医院' } }, stored: { 'C1 工作单位': '市医院' }, send: [{ customerId: 'C1', cells: { 工作单位: '市图书馆' }, conflicts: [] }] },
    { name: '(b) sheet as last seen, store changed by the master: nothing', rows: [row(2, 'C1', { 手机号码: '13800138000' })], seen: { C1: { 手机号码: '13800138000' } }, stored: { 'C1 手机号码': '13900139000' }, send: [] },
    { name: '(b) an emptied-by-nobody cell: the store has a number the sheet never showed', rows: [row(2, 'C1', { 手机号码: '' })], seen: { C1: {} }, stored: { 'C1 手机号码': '13900139000' }, send: [] },
    { name: '(c) both changed, differently: sent as a conflict', rows: [row(2, 'C1', { 手机号码: '13700137000' })], seen: { C1: { 手机号码: '13800138000' } }, stored: { 'C1 手机号码': '13900139000' }, send: [{ customerId: 'C1', cells: { 手机号码: '13700137000' }, conflicts: ['手机号码'] }] },
    { name: '(c) both changed to the same text: nothing to send', rows: [row(2, 'C1', { 手机号码: '13900139000' })], seen: { C1: { 手机号码: '13800138000' } }, stored: { 'C1 手机号码': '13900139000' }, send: [] },
    { name: '(d) never seen: nothing sent', rows: [row(2, 'C1', { 工作单位: '市图书馆' })], seen: null, send: [] },
    { name: '(e) the trigger sent this text (refused): not again', rows: [row(2, 'C1', { 家庭电话: 'abc' })], seen: { C1: {} }, logged: { 'C1 家庭电话': [{ value: 'abc' }] }, send: [], alreadySent: 1 },
    { name: '(e) the trigger sent an older text: the newer one is sent', rows: [row(2, 'C1', { 家庭电话: '010-1234567' })], seen: { C1: {} }, logged: { 'C1 家庭电话': [{ value: 'abc' }] }, send: [{ customerId: 'C1', cells: { 家庭电话: '010-1234567' }, conflicts: [] }] },
    { name: '(e) a long refused text logged by its start and length', rows: [row(2, 'C1', { 联系备注: 'x'.repeat(2_500) })], seen: { C1: {} }, logged: { 'C1 联系备注': [{ value: `${'x'.repeat(2_000)}…`, valueLength: 2_500 }] }, send: [], alreadySent: 1 },
    { name: '(f) rows in another order, same texts: nothing', rows: [row(2, 'C2', { 工作单位: '乙' }), row(3, 'C1', { 工作单位: '甲' })], seen: { C1: { 工作单位: '甲' }, C2: { 工作单位: '乙' } }, send: [] },
    { name: 'one override cell changed: the override travels whole', rows: [row(2, 'C1', { 指定等级: '中银理财客户', 指定原因: '总行批准', 指定截止月: '2027-03', 工作单位: '甲' })], seen: { C1: { 指定原因: '总行批准', 指定截止月: '2027-03', 工作单位: '甲' } }, send: [{ customerId: 'C1', cells: { 指定等级: '中银理财客户', 指定原因: '总行批准', 指定截止月: '2027-03' }, conflicts: [] }] },
    { name: 'a customer not the branch’s, and a second row of a customer: not sent', rows: [row(2, 'X9', { 工作单位: '甲' }), row(3, 'C1', {}), row(4, 'C1', { 工作单位: '乙' })], seen: { C1: {} }, send: [] },
    { name: 'a row the system never saw (typed in by hand) compares with empty cells', rows: [row(5, 'C2', { 工作单位: '丙', 手机号码: '' })], seen: { C1: {} }, send: [{ customerId: 'C2', cells: { 工作单位: '丙' }, conflicts: [] }] },
  ];
  it.each(cases)('$name', ({ rows, seen, stored = {}, logged = {}, send, alreadySent = 0 }) => {
    const result = reconcileEditedRows(input({ rows, seen, storedText: (id, h) => stored[`${id} ${h}`], logged: (id, h) => logged[`${id} ${h}`] ?? [] }));
    expect(result.send.map(({ customerId, cells, conflicts }) => ({ customerId, cells, conflicts }))).toEqual(send);
    expect(result.alreadySent).toBe(alreadySent);
    expect(result.firstNight).toBe(seen === null);
  });

  it('what is seen now: every customer’s first row, empty cells left out, whatever was sent', () => {
    const result = reconcileEditedRows(input({ rows: [row(3, 'C1', { 工作单位: '甲', 手机号码: '' }), row(4, 'C1', { 工作单位: '乙' }), row(2, 'X9', { 工作单位: '丙' })], seen: null }));
    expect(result.seen).toEqual({ C1: { 工作单位: '甲' }, X9: { 工作单位: '丙' } });
  });
});

describe('seenAfterWrite', () => {
  it('adds the editable cells written on new rows and nothing of their computed cells', () => {
    const columns = new Map([['客户号', 1], ['工作单位', 3], ['当前等级', 14]]);
    const seen = seenAfterWrite({ C1: { 工作单位: '甲' } }, { columns, newRows: [{ row: 3, customerId: 'C2', writes: [{ row: 3, column: 1, value: 'C2' }, { row: 3, column: 3, value: '乙' }, { row: 3, column: 14, value: '普通客户' }] }] });
    expect(seen).toEqual({ C1: { 工作单位: '甲' }, C2: { 工作单位: '乙' } });
  });
});

describe('customerTabIn', () => {
  it('prefers the tag, then the title (case and spaces aside), never a tab tagged as another layout tab', () => {
    const names = ['客户名单', '升级名单'];
    expect(customerTabIn([{ title: '客户名单', tabTag: '升级名单' }, { title: '我的客户', tabTag: '客户名单' }], names)?.title).toBe('我的客户');
    expect(customerTabIn([{ title: ' 客户名单 ', tabTag: null }], names)?.title).toBe(' 客户名单 ');
    expect(customerTabIn([{ title: '客户名单', tabTag: '升级名单' }], names)).toBeUndefined();
  });
});
