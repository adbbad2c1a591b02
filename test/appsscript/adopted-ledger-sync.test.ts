import { describe, expect, it } from 'vitest';
import { COMPUTED_HEADERS } from '../../shared/sheets/branch-layout.js';
import { adoptedLedger, at, COMPUTED_AT } from './support/adopted-ledger.js';
import { computedFor, fakeFunction, MANAGER } from './support/branch-sheet.js';
import type { FakeSheet } from './support/fake-spreadsheet.js';

/**
 * The edit trigger on a branch's own ledger that the system adopted (support/adopted-ledger.ts
 * draws it): columns by their tags only, the header where the binding says (or found again),
 * rows only between the header and the 合计 row. Compiled Apps Script in node:vm, FAKE Google
 * services, FAKE sheetEdit function.
 */

/** every cell of the sheet, row by row, except those listed ("row,column") */
const cellsExcept = (sheet: FakeSheet, except: ReadonlySet<string>) => sheet.rows().flatMap((line, r) => line.flatMap((value, c) => (except.has(`${r + 1},${c + 1}`) ? [] : [[r + 1, c + 1, value]])));
const computedCellsOf = (row: number) => new Set(Object.values(COMPUTED_AT).map((column) => `${row},${column}`));

describe('an edit in an adopted ledger', () => {
  it('of 手机 in a data row posts 手机号码 for that row’s 客户编号 and writes the answer into the appended computed columns of that row only', () => {
    const fn = fakeFunction();
    const { script, sheet } = adoptedLedger({ handler: fn });
    sheet.put(5, at('D'), { value: 13912345678 }); // a typed phone number: Sheets stores a number
    const before = cellsExcept(sheet, computedCellsOf(5));
    script.edit(sheet.getRange(5, at('D')), 'li@bank.example');

    // Row 5 is 李娜, 客户编号 100200301 (B5); the column is tagged 手机号码 though its header says 手机.
    expect(fn.requests.map((r) => r.json)).toEqual([{ branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank.example', rows: [{ row: 5, customerId: '100200301', cells: { 手机号码: '13912345678' } }] }]);
    // G5 … Q5 get 100200301's figures, as text; one block, one setValues.
    for (const header of COMPUTED_HEADERS) expect(sheet.cell(5, COMPUTED_AT[header]!).value).toBe(computedFor('100200301')[header]);
    expect(sheet.writes).toEqual(['setNumberFormat R5C7:R5C17 @', 'setValues R5C7:R5C17']);
    // Nothing else changed: not the title, the header, the other customers, the 合计 row, the note, nor F5 — the branch's own 当前等级 (银卡).
    expect(cellsExcept(sheet, computedCellsOf(5))).toEqual(before);
    expect(sheet.cell(5, at('F')).value).toBe('银卡');
    expect(script.ss.toasts).toEqual([]);
  });

  it('of a block over the table’s end (D5:D8) posts the two customers’ rows in it, not the 合计 row nor the note', () => {
    const fn = fakeFunction();
    const { script, sheet } = adoptedLedger({ handler: fn });
    script.edit(sheet.getRange(5, at('D'), 4, 1));
    expect(fn.requests).toHaveLength(1);
    expect(fn.requests[0]!.json.rows).toEqual([
      { row: 5, customerId: '100200301', cells: { 手机号码: '13800000002' } },
      { row: 6, customerId: '100200302', cells: { 手机号码: '13800000003' } },
    ]);
    expect(sheet.cell(7, COMPUTED_AT['当前等级']!).value).toBe('');
  });

  // Each of these is outside the table or outside its bound columns: the table is rows 4–6 (header ends on row 3, 合计 on row 7),
  // the bound editable columns D and E. Nothing is posted, nothing written, nobody told.
  const notSent: { name: string; edit: (sheet: FakeSheet) => [number, number, number, number] }[] = [
    { name: 'the title row (the merged A1:F1, over D and E)', edit: (s) => (s.put(1, 1, { value: '城东支行管户台账（2026年12月）' }), [1, 1, 1, 6]) },
    { name: 'the header’s first row (the group 联系方式, merged D2:E2)', edit: (s) => (s.put(2, at('D'), { value: '联系信息' }), [2, at('D'), 1, 2]) },
    { name: 'the header’s last row (手机, D3)', edit: (s) => (s.put(3, at('D'), { value: '手机号' }), [3, at('D'), 1, 1]) },
    { name: 'the 合计 row (D7)', edit: (s) => (s.put(7, at('D'), { value: '13800000000' }), [7, at('D'), 1, 1]) },
    { name: 'the note under the table (the merged A8:F8)', edit: (s) => (s.put(8, 1, { value: '注：手机以最近一次核实为准' }), [8, 1, 1, 6]) },
    { name: 'a row below the note (D10)', edit: (s) => (s.put(10, at('D'), { value: '13800000009' }), [10, at('D'), 1, 1]) },
    { name: 'the branch’s own column headed 当前等级 (F5)', edit: (s) => (s.put(5, at('F'), { value: '金卡' }), [5, at('F'), 1, 1]) },
    { name: 'the branch’s own column 客户姓名 (C5)', edit: (s) => (s.put(5, at('C'), { value: '李娜娜' }), [5, at('C'), 1, 1]) },
    { name: 'the key column 客户编号 (B5)', edit: () => [5, at('B'), 1, 1] },
    { name: 'an appended computed column (G5, the system’s 当前等级)', edit: (s) => (s.put(5, at('G'), { value: '私人银行客户' }), [5, at('G'), 1, 1]) },
  ];
  for (const c of notSent) {
    it(`of ${c.name} posts nothing and writes nothing`, () => {
      const fn = fakeFunction();
      const { script, sheet } = adoptedLedger({ handler: fn });
      script.edit(sheet.getRange(...c.edit(sheet)));
      expect(fn.requests).toHaveLength(0);
      expect(sheet.writes).toEqual([]);
      expect(script.ss.toasts).toEqual([]);
    });
  }

  it('after a row was inserted above the title, finds the header again (rows 3–4, not the binding’s 3) and answers into the moved row', () => {
    const fn = fakeFunction();
    const { script, sheet } = adoptedLedger({ handler: fn });
    sheet.insertRowsBefore(1, 1);
    // Now: title row 2, header rows 3–4 (客户编号 in B3, merged B3:B4), 李娜 on row 6, 合计 on row 8. The binding still says 3:
    // row 3 names 客户编号 but its header ends on row 4, so the header is looked for again: first named on row 3, ending on row 4.
    sheet.put(6, at('E'), { value: '滨江路8号' });
    script.edit(sheet.getRange(6, at('E')));
    expect(fn.requests.map((r) => r.json.rows)).toEqual([[{ row: 6, customerId: '100200301', cells: { 家庭住址: '滨江路8号' } }]]);
    expect(sheet.writes).toEqual(['setNumberFormat R6C7:R6C17 @', 'setValues R6C7:R6C17']);
    expect(sheet.cell(6, COMPUTED_AT['当前等级']!).value).toBe('当前等级:100200301');

    // The header rows themselves (now 3 and 4) are still no customer's: nothing sent, no note, nothing written.
    script.edit(sheet.getRange(4, at('D')));
    expect(fn.requests).toHaveLength(1);
    expect(sheet.writes).toHaveLength(2);
    expect(script.ss.toasts).toEqual([]);
  });

  it('a row of the table without 客户编号 is not sent, and the note says so in the ledger’s word', () => {
    const fn = fakeFunction();
    const { script, sheet } = adoptedLedger({ handler: fn });
    sheet.put(6, at('B'), { value: '' }); // 王强's number cleared: row 6 is still inside the table (the 合计 row ends it)
    sheet.put(6, at('D'), { value: '13800000033' });
    script.edit(sheet.getRange(6, at('D')));
    expect(fn.requests).toHaveLength(0);
    expect(sheet.cell(6, at('D')).note).toBe('【未保存】此行没有客户编号，修改未发送');
    expect(script.ss.toasts).toEqual(['1行没有客户编号，这些行的修改未发送。']);
  });

  it('when the key’s header was renamed where it was (客户编号 → 客户代码), sends as before and speaks of 客户代码', () => {
    const fn = fakeFunction();
    const { script, sheet } = adoptedLedger({ handler: fn });
    sheet.put(2, at('B'), { value: '客户代码' });
    sheet.put(5, at('D'), { value: '13912345678' });
    script.edit(sheet.getRange(5, at('D')));
    expect(fn.requests.map((r) => r.json.rows)).toEqual([[{ row: 5, customerId: '100200301', cells: { 手机号码: '13912345678' } }]]);
    sheet.put(6, at('B'), { value: '' });
    sheet.put(6, at('D'), { value: '13800000033' });
    script.edit(sheet.getRange(6, at('D')));
    expect(fn.requests).toHaveLength(1);
    expect(script.ss.toasts).toEqual(['1行没有客户代码，这些行的修改未发送。']);
  });

  it('when the key’s header is gone (客户编号 emptied), sends nothing and says why', () => {
    const fn = fakeFunction();
    const { script, sheet } = adoptedLedger({ handler: fn });
    sheet.put(2, at('B'), { value: '' });
    script.edit(sheet.getRange(5, at('D')));
    expect(fn.requests).toHaveLength(0);
    expect(script.ss.toasts).toEqual(['找不到台账的表头行：客户号列的表头“客户编号”不在第3行，前50行也没有，修改未发送；请把表头改回，或重新连接表格']);
  });

  it('when the column tagged 客户号 is gone, sends nothing and says why', () => {
    const fn = fakeFunction();
    const { script, sheet } = adoptedLedger({ handler: fn });
    sheet.metadata.splice(sheet.metadata.findIndex((m) => m.value === '客户号'), 1);
    script.edit(sheet.getRange(5, at('D')));
    expect(fn.requests).toHaveLength(0);
    expect(script.ss.toasts).toEqual(['台账的客户号列（“客户编号”）已不在表中（被删除了？），无法确定每行是哪位客户，修改未发送；请恢复该列，或重新连接表格']);
  });

  it('an unreadable binding binds nothing: the tab is read as the system’s layout (header row 1), as the server reads it', () => {
    const fn = fakeFunction();
    const { script, sheet } = adoptedLedger({ handler: fn });
    const binding = sheet.metadata.find((m) => m.key === 'wealth-ladder.binding')!;
    binding.value = JSON.stringify({ version: 2, headerRow: 3 });
    // Row 1 is then the header row: never sent.
    script.edit(sheet.getRange(1, 1, 1, 6));
    expect(fn.requests).toHaveLength(0);
    // Row 5 is a row below it, its columns found by their tags (then by header text, of which row 1 has none).
    script.edit(sheet.getRange(5, at('D')));
    expect(fn.requests.map((r) => r.json.rows)).toEqual([[{ row: 5, customerId: '100200301', cells: { 手机号码: '13800000002' } }]]);
  });
});

describe('重新发送所选行 on an adopted ledger', () => {
  it('sends the customers’ rows of the selection only (rows 4–6 of 1–8), every bound editable cell', () => {
    const fn = fakeFunction();
    const { script, sheet } = adoptedLedger({ handler: fn });
    script.ss.activeSheet = sheet;
    script.ss.selection = [sheet.getRange(1, at('C'), 8, 1)];
    script.as(MANAGER, () => script.call('resendSelectedRows'));
    expect(fn.requests.map((r) => r.json.rows)).toEqual([
      [
        { row: 4, customerId: '100200300', cells: { 手机号码: '13800000001', 家庭住址: '市中心路1号' } },
        { row: 5, customerId: '100200301', cells: { 手机号码: '13800000002', 家庭住址: '' } },
        { row: 6, customerId: '100200302', cells: { 手机号码: '13800000003', 家庭住址: '' } },
      ],
    ]);
    // 3 rows × 2 cells accepted; the computed cells of rows 4–6 are one block G4:Q6.
    expect(script.ss.toasts).toEqual(['已发送3行：6个单元格已保存，0个未通过检查。']);
    expect(sheet.writes.filter((w) => w.startsWith('setValues'))).toEqual(['setValues R4C7:R6C17']);
  });
});
