import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import type { DemoBank } from './demo-bank.js';

/**
 * One demo branch keeps a ledger of its own (管户台账), in the shape branches really keep them, so
 * that `npm start` adopts it on the way (docs/adopting-a-sheet.md): a 说明 tab and a 汇总 tab with
 * formulas beside it; a title merged across the width and a 制表/审核 row above a two-row header
 * (序号, 客户编号 … merged down over both rows, 联系方式 merged over 手机 and 家庭地址); its own words
 * (客户编号, 手机, 家庭地址, 单位, 风险等级, 上次联系时间) and columns (序号, 客户姓名, 管户经理,
 * 金融资产(万元), its own 客户等级, 备注); a blank row inside the table, a customer of another branch,
 * a number the bank does not know, a 客户编号 Excel turned into a number, a 合计 row with a formula
 * and a note below it. Some of the branch's customers are left out of it (they are listed on
 * 未入台账), some phones differ from the bank's master (conflicts), one is not a phone number.
 * Deterministic: the same bank gives the same ledger.
 */

export const DEMO_LEDGER_BRANCH = 'B01';
export const DEMO_LEDGER_TAB = '管户台账';

export interface DemoLedger {
  path: string;
  branchId: string;
  /** the branch's customers written into the ledger, and those left out */
  inLedger: string[];
  leftOut: string[];
  /** rows written (first data row 5) */
  lastDataRow: number;
  totalsRow: number;
}

/** Writes the ledger unless the file is there already (a manager's ledger is never replaced). */
export async function writeDemoLedger(bank: DemoBank, path: string, branchId = DEMO_LEDGER_BRANCH): Promise<DemoLedger | null> {
  if (await exists(path)) return null;
  const branch = bank.branches.find((b) => b.branchId === branchId);
  if (branch === undefined) throw new Error(`the demo bank has no branch ${branchId}`);
  const managerName = new Map(branch.managers.map((m) => [m.managerId, m.name]));
  const lines = bank.factsLines.filter((l) => l.branchId === branchId);
  const lastContact = new Map<string, string>();
  for (const c of bank.contactLines) if ((lastContact.get(c.customerId) ?? '') < c.date) lastContact.set(c.customerId, c.date);
  const other = bank.customers.find((c) => c.branchId !== branchId);

  const workbook = new ExcelJS.Workbook();
  workbook.creator = `${branch.name}`;
  const notes = workbook.addWorksheet('说明');
  notes.getCell('A1').value = `${branch.name}中高端客户管户台账使用说明`;
  notes.getCell('A2').value = '1. 每位客户一行，客户编号以核心系统为准；2. 每月初更新金融资产；3. 联系客户后填写上次联系时间。';
  notes.getColumn(1).width = 90;

  const sheet = workbook.addWorksheet(DEMO_LEDGER_TAB);
  const [year, month] = bank.today.split('-');
  sheet.mergeCells('A1:L1');
  sheet.getCell('A1').value = `${branch.name}中高端客户管户台账（${year}年${Number(month)}月）`;
  sheet.getCell('A1').font = { bold: true, size: 14 };
  sheet.getCell('A1').alignment = { horizontal: 'center' };
  const president = branch.managers.find((m) => m.role === 'branch-president')?.name ?? '';
  sheet.getCell('A2').value = `制表：${branch.managers[0]?.name ?? ''}`;
  sheet.getCell('E2').value = `审核：${president}`;
  sheet.getCell('I2').value = `日期：${bank.today}`;
  const single = ['序号', '客户编号', '客户姓名', '管户经理'];
  single.forEach((text, i) => {
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
  for (const row of [3, 4]) sheet.getRow(row).font = { bold: true };
  [6, 14, 8, 8, 14, 28, 22, 8, 14, 8, 12, 16].forEach((w, i) => (sheet.getColumn(i + 1).width = w));

  const inLedger: string[] = [];
  const leftOut: string[] = [];
  let row = 5;
  let n = 0;
  const put = (values: ExcelJS.CellValue[]) => {
    sheet.getRow(row).values = values;
    row++;
  };
  lines.forEach((line, i) => {
    if (i % 10 === 9) {
      leftOut.push(line.customerId);
      return;
    }
    if (i === Math.floor(lines.length / 3)) row++; // a blank row left inside the table
    const a = line.profile?.archive ?? {};
    const mobile = i % 17 === 4 ? `1390000${String(1000 + i).slice(-4)}` : i % 23 === 7 ? '138 0013 800' : (a.mobile ?? '');
    const contacted = lastContact.get(line.customerId);
    n++;
    put([
      n,
      line.customerId,
      line.profile?.name ?? '',
      managerName.get(line.profile?.managerId ?? '') ?? '',
      mobile,
      a.homeAddress ?? '',
      a.employer ?? '',
      a.riskProfile ?? '',
      20 + ((i * 37) % 480) + ((i * 7) % 100) / 100,
      ['普通', '金卡', '白金', '钻石'][i % 4] ?? '',
      contacted === undefined ? null : new Date(`${contacted}T00:00:00Z`),
      i % 11 === 0 ? '重点维护' : null,
    ]);
    inLedger.push(line.customerId);
  });
  if (other !== undefined) put([++n, other.customerId, other.name, '', '', '', '', '', 35.5, '', null, '已转其他支行']);
  put([++n, `${branchId}-99999`, '赵某', '', '', '', '', '', 12, '', null, '新客户，待开户']);
  put([++n, 6217001234567890000, '钱某', '', '', '', '', '', 88, '', null, null]);
  const lastDataRow = row - 1;
  const totalsRow = row;
  sheet.getCell(totalsRow, 1).value = '合计';
  sheet.getCell(totalsRow, 9).value = { formula: `SUM(I5:I${lastDataRow})`, result: undefined } as unknown as ExcelJS.CellValue;
  sheet.getRow(totalsRow).font = { bold: true };
  sheet.getCell(totalsRow + 2, 1).value = '注：金融资产为上月末时点余额（万元）；客户等级为支行原有分类。';
  for (let r = 5; r <= lastDataRow; r++) sheet.getCell(r, 11).numFmt = 'yyyy-mm-dd';

  const summary = workbook.addWorksheet('汇总');
  summary.getCell('A1').value = '管户客户数';
  summary.getCell('B1').value = { formula: `COUNTA(${DEMO_LEDGER_TAB}!B5:B${lastDataRow})` } as unknown as ExcelJS.CellValue;
  summary.getCell('A2').value = '金融资产合计(万元)';
  summary.getCell('B2').value = { formula: `${DEMO_LEDGER_TAB}!I${totalsRow}` } as unknown as ExcelJS.CellValue;

  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, Buffer.from(await workbook.xlsx.writeBuffer()));
  return { path, branchId, inLedger, leftOut, lastDataRow, totalsRow };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
