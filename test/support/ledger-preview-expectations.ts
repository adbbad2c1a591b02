import { expect } from 'vitest';
import { COMPUTED_HEADERS } from '../../shared/sheets/branch-layout.js';
import { LEDGER_TAB } from './ledger-workbook.js';

/**
 * The preview of the test ledger (the one test/support/ledger-workbook.ts writes as a workbook
 * and ledger-spreadsheet.ts as a Google spreadsheet), worked out by hand from its rows: every
 * gateway must recognise it the same way.
 */
export function expectTestLedgerPreview(preview: any): void {
  expect(preview).toMatchObject({ ok: true, tab: LEDGER_TAB, headerRow: 4, headerRows: 2, titleRows: [1, 2], keyColumn: 'B', matched: 3 });
  const roles = Object.fromEntries(preview.columns.map((c: { header: string; role: string; field: string | null }) => [c.header, [c.role, c.field]]));
  expect(roles).toEqual({
  序号: ['own', null],
  客户编号: ['key', '客户号'],
  客户姓名: ['own', null],
  管户经理: ['own', null],
  手机: ['editable', '手机号码'],
  家庭地址: ['editable', '家庭住址'],
  单位: ['editable', '工作单位'],
  风险等级: ['editable', '风险特征'],
  '金融资产(万元)': ['own', null],
  客户等级: ['own', null],
  上次联系时间: ['editable', '最近联系日期'],
  备注: ['own', null],
  });
  const unmatched = preview.unmatched.map((u: { row: number; reason: string }) => [u.row, u.reason]);
  expect(unmatched).toEqual([
  [7, 'blank'],
  [9, 'other-branch'],
  [10, 'unknown'],
  [11, 'excel-number'],
  [12, 'excel-number'],
  ]);
  const zh = (row: number) => preview.unmatched.find((u: { row: number }) => u.row === row).zh as string;
  expect(zh(9)).toContain('B02');
  expect(zh(11)).toContain('0031000004');
  expect(zh(11)).toContain('前导零');
  expect(zh(12)).toContain('舍入');
  // 0031000002's mobile differs from the master: listed, not sent; 0031000001's agrees
  expect(preview.conflicts).toEqual([{ row: 6, customerId: '0031000002', field: '手机号码', sheet: '13900000002', stored: '13800000002' }]);
  // sent: row 5 address + risk, row 8 mobile + employer
  expect(preview.archive).toEqual({ rows: 2, cells: 4, same: 1 });
  expect(preview.table).toEqual({ firstRow: 5, lastRow: 12, totalsRow: 13, trailingFrom: 13 });
  const columns = preview.adds.filter((a: { kind: string }) => a.kind === 'column').map((a: { column: string; header: string }) => `${a.column}:${a.header}`);
  expect(columns).toEqual(COMPUTED_HEADERS.map((h, i) => `${String.fromCharCode(77 + i)}:${h}`));
  expect(preview.adds.filter((a: { kind: string }) => a.kind === 'tab').map((a: { name: string }) => a.name)).toEqual(['升级名单', '降级预警', '待办', '考核', '未入台账']);
  expect(preview.adds.find((a: { kind: string }) => a.kind === 'listed').customers).toEqual(['0031000004', '0031000005', '0031000006']);
}
