import ExcelJS from 'exceljs';

/**
 * A small branch ledger (管户台账) as a branch keeps it, for the adoption tests: a 说明 tab, the
 * ledger with a title merged across the width, a 制表/审核 row, a two-row header (序号, 客户编号 …
 * merged down over both rows; 联系方式 merged over 手机 and 家庭地址), its own words and columns,
 * a blank row, a customer of another branch, an unknown number, two 客户编号 Excel turned into
 * numbers, a 合计 row with a formula, a note; and a 汇总 tab with formulas on the ledger.
 *
 * Branch B01's customers are 0031000001 … 0031000006; the ledger holds 1, 2 and 3 of them:
 * row 5: 0031000001, mobile 13800000001, address 城东路1号, risk c3
 * row 6: 0031000002, mobile 13900000002
 * row 7: blank
 * row 8: 0031000003, mobile 1380000 (not a mobile number)
 * row 9: 0032000001 (branch B02's)
 * row 10: X-UNKNOWN
 * row 11: 31000004 as a number (0031000004 without its leading zeros)
 * row 12: 6217001234567890000 as a number (shown by Excel as 6.21700123456789E+18)
 * row 13: 合计, I13 = SUM(I5:I12)
 * row 15: 注：…
 */
export const LEDGER_TAB = '管户台账';
export const LEDGER_WIDTH = 12;
export const LEDGER_ROWS = 15;

/** `totals: false` leaves out the 合计 row and the note (a ledger with nothing below its table). */
export async function writeLedgerWorkbook(path: string, options: { totals?: boolean } = {}): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('说明').getCell('A1').value = '本台账由城东支行维护，每月初更新。';
  const sheet = workbook.addWorksheet(LEDGER_TAB);
  sheet.mergeCells('A1:L1');
  sheet.getCell('A1').value = '城东支行中高端客户管户台账（2026年11月）';
  sheet.getCell('A2').value = '制表：王芳';
  sheet.getCell('E2').value = '审核：李强';
  ['序号', '客户编号', '客户姓名', '管户经理'].forEach((text, i) => {
    sheet.mergeCells(3, i + 1, 4, i + 1);
    sheet.getCell(3, i + 1).value = text;
  });
  sheet.mergeCells('E3:F3');
  sheet.getCell('E3').value = '联系方式';
  sheet.getCell('E4').value = '手机';
  sheet.getCell('F4').value = '家庭地址';
  ['单位', '风险等级', '金融资产(万元)', '客户等级', '上次联系时间', '备注'].forEach((text, i) => {
    sheet.mergeCells(3, 7 + i, 4, 7 + i);
    sheet.getCell(3, 7 + i).value = text;
  });
  const rows: [number, ExcelJS.CellValue[]][] = [
    [5, [1, '0031000001', '张一', '王芳', '13800000001', '城东路1号', '', 'c3', 120.5, '金卡', '', '']],
    [6, [2, '0031000002', '李二', '王芳', '13900000002', '', '', '', 60, '普通', '', '重点']],
    [8, [3, '0031000003', '赵三', '王芳', '1380000', '', '市医院', '', 30, '普通', '', '']],
    [9, [4, '0032000001', '钱四', '', '', '', '', '', 10, '', '', '已转走']],
    [10, [5, 'X-UNKNOWN', '孙五', '', '', '', '', '', 5, '', '', '']],
    [11, [6, 31000004, '周六', '', '', '', '', '', 8, '', '', '']],
    [12, [7, 6217001234567890000, '吴七', '', '', '', '', '', 9, '', '', '']],
  ];
  for (const [row, values] of rows) values.forEach((v, i) => v !== '' && (sheet.getCell(row, i + 1).value = v));
  if (options.totals !== false) {
    sheet.getCell('A13').value = '合计';
    sheet.getCell('I13').value = { formula: 'SUM(I5:I12)', result: 242.5 };
    sheet.getCell('A15').value = '注：金融资产为上月末时点余额。';
  }
  const summary = workbook.addWorksheet('汇总');
  summary.getCell('A1').value = '管户客户数';
  summary.getCell('B1').value = { formula: `COUNTA(${LEDGER_TAB}!B5:B12)`, result: 7 };
  await workbook.xlsx.writeFile(path);
}

/** Every cell of the given tabs as it is stored (a value, or a formula), and each tab's merges: what the branch keeps. */
export async function branchCells(path: string, tabs: Record<string, { rows: number; columns: number }>): Promise<Record<string, { cells: string[][]; merges: string[] }>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const out: Record<string, { cells: string[][]; merges: string[] }> = {};
  for (const [name, size] of Object.entries(tabs)) {
    const sheet = workbook.getWorksheet(name);
    if (sheet === undefined) throw new Error(`no tab ${name}`);
    const cells: string[][] = [];
    for (let r = 1; r <= size.rows; r++) {
      const line: string[] = [];
      for (let c = 1; c <= size.columns; c++) {
        const v = sheet.getCell(r, c).value;
        line.push(v === null || v === undefined ? '' : typeof v === 'object' && 'formula' in v ? `=${v.formula}` : v instanceof Date ? v.toISOString() : String(v));
      }
      cells.push(line);
    }
    const merges = Object.values((sheet as unknown as { _merges: Record<string, { range: string }> })._merges).map((m) => m.range).sort();
    out[name] = { cells, merges };
  }
  return out;
}
