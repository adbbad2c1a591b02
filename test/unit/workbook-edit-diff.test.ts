import { describe, expect, it } from 'vitest';
import { diffEditedRows } from '../../functions/sheets/workbook-edit-diff.js';
import { mergeSystemNote } from '../../functions/sheets/xlsx-cells.js';
import type { EditedRow } from '../../shared/sheets/customer-sheet-plan.js';

/** What counts as an edit of a local workbook, and the system's line in a cell's note: pure rules, table-driven. */

const row = (r: number, customerId: string, fields: Record<string, string>): EditedRow => ({ row: r, customerId, fields });

describe('the edits in a saved workbook', () => {
  const known = { C1: { 家庭住址: '北京', 风险特征: 'C2' }, C2: { 指定等级: '中银财富管理客户', 指定原因: '总行批准', 指定截止月: '2027-03' } };

  it.each([
    ['nothing changed (an empty cell equals no entry)', [row(2, 'C1', { 家庭住址: '北京', 风险特征: 'C2', 工作单位: '' })], []],
    ['one cell changed: only that cell', [row(5, 'C1', { 家庭住址: '上海', 风险特征: 'C2', 工作单位: '' })], [{ row: 5, customerId: 'C1', cells: { 家庭住址: '上海' } }]],
    ['a cell emptied is an edit (to clear it)', [row(2, 'C1', { 家庭住址: '', 风险特征: 'C2' })], [{ row: 2, customerId: 'C1', cells: { 家庭住址: '' } }]],
    ['a customer the snapshot does not know: its filled cells only', [row(3, 'C9', { 家庭住址: '广州', 工作单位: '' })], [{ row: 3, customerId: 'C9', cells: { 家庭住址: '广州' } }]],
    [
      'one override cell changed: all three travel together',
      [row(4, 'C2', { 指定等级: '中银财富管理客户', 指定原因: '总行批准', 指定截止月: '2027-06' })],
      [{ row: 4, customerId: 'C2', cells: { 指定等级: '中银财富管理客户', 指定原因: '总行批准', 指定截止月: '2027-06' } }],
    ],
    ['a column the manager deleted is not an edit', [row(2, 'C1', { 风险特征: 'C2' })], []],
  ])('%s', (_case, edited, expected) => {
    expect(diffEditedRows(edited, known)).toEqual({ rows: expected, duplicates: [] });
  });

  it('reads a customer’s first row only, and reports a later row of theirs that holds changes', () => {
    const diff = diffEditedRows([row(2, 'C1', { 家庭住址: '北京', 风险特征: 'C3' }), row(7, 'C1', { 家庭住址: '深圳', 风险特征: 'C2' }), row(9, 'C1', { 家庭住址: '北京', 风险特征: 'C2' })], known);
    expect(diff.rows).toEqual([{ row: 2, customerId: 'C1', cells: { 风险特征: 'C3' } }]);
    // row 9 equals the snapshot: nothing lost there, nothing said
    expect(diff.duplicates).toEqual([{ row: 7, customerId: 'C1', firstRow: 2 }]);
  });
});

describe('the system’s line in a note', () => {
  it.each([
    ['a note on a cell without one', '', '风险特征应为C1–C5之一', '【未保存】风险特征应为C1–C5之一'],
    ['after the manager’s own note', '待客户确认', '风险特征应为C1–C5之一', '待客户确认\n【未保存】风险特征应为C1–C5之一'],
    ['replacing the system’s earlier reason', '待客户确认\n【未保存】旧原因', '新原因', '待客户确认\n【未保存】新原因'],
    ['cleared, the manager’s note kept', '待客户确认\n【未保存】旧原因', null, '待客户确认'],
    ['cleared, nothing left', '【未保存】旧原因', null, ''],
    ['nothing to clear', '待客户确认', null, '待客户确认'],
  ])('%s', (_case, existing, reason, expected) => {
    expect(mergeSystemNote(existing, reason)).toBe(expected);
  });
});
