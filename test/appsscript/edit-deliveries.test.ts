import { describe, expect, it } from 'vitest';
import { COMPUTED_HEADERS, CUSTOMER_HEADERS, EDITABLE_HEADERS } from '../../shared/sheets/branch-layout.js';
import { branchSheet, computedFor, fakeFunction, type CustomerRow } from './support/branch-sheet.js';

/**
 * What the trigger does with each shape Google may deliver (docs/apps-script.md, "What Google
 * delivers"). Google documents the event's fields (a range; value / oldValue for a single cell
 * only; onChange's changeType with no range) but not which user actions fire onEdit with which
 * range: a sort, a row insert, a move. Each plausible delivery is modelled here; the script must
 * be right in every one. Compiled script in node:vm, FAKE sheetEdit function.
 */

type Sent = { row: number; customerId: string; cells: Record<string, string> };
const sent = (fn: ReturnType<typeof fakeFunction>): Sent[] => fn.requests.flatMap((r) => r.json.rows as Sent[]);

/** C1…Cn with an employer each (单位i), in rows 2…n+1. */
const customers = (n: number): CustomerRow[] => Array.from({ length: n }, (_, i) => ({ 客户号: `C${i + 1}`, 工作单位: `单位${i + 1}`, 风险特征: 'C3' }));
const width = CUSTOMER_HEADERS.length;

describe('what Google delivers, and what the trigger sends', () => {
  it('a single-cell edit (value and oldValue given): that one cell, read from the sheet', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet(customers(3), { handler: fn });
    sheet.put(3, col('手机号码'), { value: 13800138000 });
    script.edit(sheet.getRange(3, col('手机号码')), 'li@bank.example', { value: '13800138000', oldValue: undefined });
    expect(sent(fn)).toEqual([{ row: 3, customerId: 'C2', cells: { 手机号码: '13800138000' } }]);
  });

  it('a paste over a block (no value / oldValue): the block’s editable cells of each row, nothing else', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet(customers(4), { handler: fn });
    for (const row of [3, 4]) for (const h of ['工作单位', '手机号码']) sheet.put(row, col(h), { value: h === '工作单位' ? `新单位${row}` : 13800138000 + row });
    script.edit(sheet.getRange(3, col('工作单位'), 2, col('手机号码') - col('工作单位') + 1));
    expect(sent(fn)).toEqual([
      { row: 3, customerId: 'C2', cells: { 工作单位: '新单位3', 手机号码: '13800138003' } },
      { row: 4, customerId: 'C3', cells: { 工作单位: '新单位4', 手机号码: '13800138004' } },
    ]);
  });

  it('a whole row pasted (key, computed and editable columns): the editable cells only', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet(customers(2), { handler: fn });
    sheet.put(2, col('当前等级'), { value: '手工改的等级' });
    script.edit(sheet.getRange(2, 1, 1, width));
    const [row] = sent(fn);
    expect(Object.keys(row!.cells)).toEqual([...EDITABLE_HEADERS]);
    expect(row).toMatchObject({ row: 2, customerId: 'C1', cells: { 工作单位: '单位1', 风险特征: 'C3', 手机号码: '' } });
    expect(sheet.cell(2, col('当前等级')).value).toBe(computedFor('C1')['当前等级']); // the computed cell is the function's again
  });

  it('a fill-down over five rows of one column: that column of the five rows', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet(customers(6), { handler: fn });
    for (let row = 3; row <= 7; row++) sheet.put(row, col('产品偏好'), { value: '稳健' });
    script.edit(sheet.getRange(3, col('产品偏好'), 5, 1));
    expect(sent(fn).map((r) => [r.customerId, r.cells])).toEqual(['C2', 'C3', 'C4', 'C5', 'C6'].map((id) => [id, { 产品偏好: '稳健' }]));
  });

  it('an undo (the earlier values back, delivered as an edit of the range): the restored values', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet(customers(2), { handler: fn });
    sheet.put(2, col('工作单位'), { value: '错填的单位' });
    script.edit(sheet.getRange(2, col('工作单位')), 'li@bank.example', { value: '错填的单位', oldValue: '单位1' });
    sheet.put(2, col('工作单位'), { value: '单位1' });
    script.edit(sheet.getRange(2, col('工作单位')));
    expect(sent(fn).map((r) => r.cells['工作单位'])).toEqual(['错填的单位', '单位1']);
  });

  it('a sort delivered as an edit of the whole sorted range with the new values: every row re-sent under its own 客户号, each answer written into that customer’s row', () => {
    const fn = fakeFunction();
    const { script, sheet, col, at } = branchSheet(customers(5), { handler: fn });
    sheet.sortRows(2, 6, col('客户号'), true); // C5 … C1
    script.edit(sheet.getRange(2, 1, 5, width));
    // Re-sent unchanged: the function stores and logs none of it (test/integration/sheet-edit-unchanged-cells.test.ts).
    expect(sent(fn).map((r) => [r.row, r.customerId, r.cells['工作单位']])).toEqual([
      [2, 'C5', '单位5'],
      [3, 'C4', '单位4'],
      [4, 'C3', '单位3'],
      [5, 'C2', '单位2'],
      [6, 'C1', '单位1'],
    ]);
    for (const [row, id] of [[2, 'C5'], [6, 'C1']] as const) for (const h of COMPUTED_HEADERS) expect(at(row, h)).toBe(computedFor(id)[h]);
    expect(script.ss.toasts).toEqual([]);
  });

  it('a sort delivered as nothing: nothing sent; the next edit still goes to the customer now on the edited row', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet(customers(3), { handler: fn });
    sheet.sortRows(2, 4, col('客户号'), true);
    expect(fn.requests).toHaveLength(0);
    sheet.put(2, col('联系备注'), { value: '已回访' });
    script.edit(sheet.getRange(2, col('联系备注')));
    expect(sent(fn)).toEqual([{ row: 2, customerId: 'C3', cells: { 联系备注: '已回访' } }]);
  });

  it.each([
    ['a row insert as onChange INSERT_ROW (no range)', 'INSERT_ROW'],
    ['a deleted row as onChange REMOVE_ROW (no range)', 'REMOVE_ROW'],
    ['an event of another kind with no range', 'OTHER'],
  ])('%s: nothing sent, nothing shown, nothing logged as an error', (_what, changeType) => {
    const fn = fakeFunction();
    const { script, sheet } = branchSheet(customers(3), { handler: fn });
    if (changeType === 'INSERT_ROW') sheet.insertRowsBefore(3, 1);
    if (changeType === 'REMOVE_ROW') sheet.deleteRow(3);
    script.deliver({ changeType });
    expect(fn.requests).toHaveLength(0);
    expect(script.ss.toasts).toEqual([]);
    expect(script.console.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('a row inserted with nothing delivered, then typed into: the new row has no 客户号, so nothing is sent and its cell says why; the rows below keep their customers', () => {
    const fn = fakeFunction();
    const { script, sheet, col, note } = branchSheet(customers(3), { handler: fn });
    sheet.insertRowsBefore(3, 1);
    sheet.put(3, col('工作单位'), { value: '新客户的单位' });
    script.edit(sheet.getRange(3, col('工作单位')));
    expect(fn.requests).toHaveLength(0);
    expect(note(3, '工作单位')).toBe('【未保存】此行没有客户号，修改未发送');
    sheet.put(4, col('工作单位'), { value: '改了' });
    script.edit(sheet.getRange(4, col('工作单位')));
    expect(sent(fn)).toEqual([{ row: 4, customerId: 'C2', cells: { 工作单位: '改了' } }]);
  });

  it('a cut-and-paste move of a whole row, delivered as an edit of the destination: the moved customer re-sent at its new row; the emptied row sends nothing', () => {
    const fn = fakeFunction();
    const { script, sheet, at } = branchSheet(customers(3), { handler: fn });
    sheet.moveRow(3, 7);
    script.edit(sheet.getRange(7, 1, 1, width));
    script.edit(sheet.getRange(3, 1, 1, width)); // should Google report the source too: an empty row, no 客户号, nothing typed
    expect(sent(fn).map((r) => [r.row, r.customerId, r.cells['工作单位']])).toEqual([[7, 'C2', '单位2']]);
    expect(at(7, '当前等级')).toBe(computedFor('C2')['当前等级']);
    expect(script.ss.toasts).toEqual([]);
  });

  it('an event with no event object at all (run by hand from the editor): nothing happens', () => {
    const fn = fakeFunction();
    const { script } = branchSheet(customers(1), { handler: fn });
    expect(() => script.call('syncEditedCells', undefined)).not.toThrow();
    expect(fn.requests).toHaveLength(0);
    expect(script.ss.toasts).toEqual([]);
    expect(script.console.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
