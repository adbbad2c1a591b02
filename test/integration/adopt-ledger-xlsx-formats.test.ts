import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPUTED_HEADERS } from '../../shared/sheets/branch-layout.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * The branch's formats survive adoption and the nightly run of a real .xlsx ledger
 * (docs/adopting-a-sheet.md, "What is never written": its formats, frozen panes, column widths).
 * The ledger is built below with exceljs as a branch would format it in Excel, adopted with the
 * built CLI against the test run's Firestore emulator, written by `ladder nightly --workbooks`,
 * and read back with exceljs: every format of the branch's is checked on its own cells, and every
 * cell of the branch's columns and rows is compared with the file as the branch saved it.
 *
 * The ledger, 管户台账, columns A–H:
 * - row 1: the title, merged A1:H1, bold 14 pt, centred, the row 28 high;
 * - row 2: the header 序号 | 客户编号 | 客户姓名 | 手机 | 金融资产(万元) | 客户等级 | 开户日期 | 备注,
 *   each cell bold on a yellow fill (FFFFFF00) with a thin bottom border;
 * - rows 3–5: B01's 0031000001, 0031000002, 0031000003; row 6: 0032000001 (B02's);
 * - 客户编号 (B) text ('@', the column and its cells); 金融资产 (E3:E6) '#,##0.00'; 开户日期
 *   (G3:G6) 'yyyy-mm-dd'; 张一 (C3) bold; 重点 (H4) red;
 * - 客户等级 (F3:F200) a list 金卡,白金,普通; widths 6, 14, 10, 14, 16, 10, 12, 20;
 *   panes frozen after column C and row 2; E3:E6 coloured by a rule of the branch's (> 100);
 * - 备注 (H3:H6) unlocked; printed portrait on A4, 2 pages wide, rows 1–2 repeated on each page,
 *   its pages numbered "Auto";
 * and a 说明 tab before it: A1 bold, 40 wide, its pages numbered from 3.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const project = 'adopt-ledger-xlsx-formats';
const { db, host, clear } = testFirestore(project);
const today = DateTime.now().setZone('Asia/Shanghai');
const lastMonth = today.minus({ months: 1 });
const dir = mkdtempSync(join(tmpdir(), 'adopt-formats-'));
const ledger = join(dir, '城东支行管户台账.xlsx');

const TAB = '管户台账';
/** a tab of the branch's beside the ledger, its pages numbered from 3 */
const NOTES_TAB = '说明';
const WIDTH = 8;
const ROWS = 6;
const HEADER = ['序号', '客户编号', '客户姓名', '手机', '金融资产(万元)', '客户等级', '开户日期', '备注'];
const WIDTHS = [6, 14, 10, 14, 16, 10, 12, 20];
const YELLOW: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
const LEVELS: ExcelJS.DataValidation = { type: 'list', allowBlank: true, formulae: ['"金卡,白金,普通"'], showErrorMessage: true, errorTitle: '客户等级', error: '请选择金卡、白金或普通' };
const BIG_ASSETS = { type: 'cellIs', operator: 'greaterThan', formulae: ['100'], priority: 1, style: { font: { color: { argb: 'FF9C0006' } }, fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFC7CE' } } } };
const VIEW = { state: 'frozen', xSplit: 3, ySplit: 2, topLeftCell: 'D3', activeCell: 'A1' };
/** printed portrait on A4 (paper size 9), 2 pages wide at most */
const PAGE: Partial<ExcelJS.PageSetup> = { orientation: 'portrait', paperSize: 9, fitToPage: true, fitToWidth: 2, fitToHeight: 0 };
/** exceljs keeps a sheet's validations in `dataValidations` (address or range → validation), which its typings leave out */
const validationsOf = (sheet: ExcelJS.Worksheet) => (sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void; model: Record<string, ExcelJS.DataValidation | undefined> } }).dataValidations;
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

function ladder(args: string[]) {
  const { FIRESTORE_EMULATOR_HOST: _h, GOOGLE_CLOUD_PROJECT: _p, ...base } = process.env;
  const run = spawnSync(process.execPath, [join(root, 'dist/functions/cli/ladder.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...base, FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function writeFormattedLedger(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const notes = workbook.addWorksheet(NOTES_TAB);
  notes.getCell('A1').value = '本台账由城东支行维护，每月初更新。';
  notes.getCell('A1').font = { bold: true };
  notes.getColumn(1).width = 40;
  notes.pageSetup = { ...notes.pageSetup, firstPageNumber: 3 };
  const sheet = workbook.addWorksheet(TAB, { views: [VIEW as ExcelJS.WorksheetView] });
  WIDTHS.forEach((width, i) => (sheet.getColumn(i + 1).width = width));
  // the whole 客户编号 column set to text before anything is typed, as Excel's 设置单元格格式 → 文本 does
  sheet.getColumn(2).numFmt = '@';
  sheet.mergeCells('A1:H1');
  const title = sheet.getCell('A1');
  title.value = '城东支行中高端客户管户台账（2026年11月）';
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center' };
  sheet.getRow(1).height = 28;
  HEADER.forEach((text, i) => {
    const cell = sheet.getCell(2, i + 1);
    cell.value = text;
    cell.fill = YELLOW;
    cell.font = { bold: true };
    cell.border = { bottom: { style: 'thin' } };
  });
  const rows: ExcelJS.CellValue[][] = [
    [1, '0031000001', '张一', '13800000001', 120.5, '金卡', day('2019-03-15'), null],
    [2, '0031000002', '李二', '13900000002', 60, '普通', day('2021-07-01'), '重点'],
    [3, '0031000003', '赵三', null, 1234.5, '白金', day('2018-11-20'), null],
    [4, '0032000001', '钱四', null, 10, null, null, '已转走'],
  ];
  rows.forEach((values, k) =>
    values.forEach((value, i) => {
      const cell = sheet.getCell(3 + k, i + 1);
      if (value !== null) cell.value = value;
      if (i === 4) cell.numFmt = '#,##0.00';
      if (i === 6) cell.numFmt = 'yyyy-mm-dd';
    }),
  );
  sheet.getCell('C3').font = { bold: true };
  sheet.getCell('H4').font = { color: { argb: 'FFFF0000' } };
  // 备注 open to typing (a lock matters only under protection, which the branch has not set: it is its own either way)
  for (let row = 3; row <= ROWS; row++) sheet.getCell(row, 8).protection = { locked: false };
  sheet.pageSetup = { ...sheet.pageSetup, ...PAGE, printTitlesRow: '1:2' };
  validationsOf(sheet).add('F3:F200', LEVELS);
  sheet.addConditionalFormatting({ ref: 'E3:E6', rules: [BIG_ASSETS as ExcelJS.ConditionalFormattingRule] });
  await workbook.xlsx.writeFile(path);
}

interface Formats {
  /** 'A1' → the cell's value and its whole style (number format, font, fill, border, alignment, protection) */
  cells: Record<string, { value: unknown; style: unknown }>;
  /** column letter → width and the column's own style */
  columns: Record<string, { width: number | undefined; style: unknown }>;
  heights: (number | undefined)[];
  views: unknown;
  pageSetup: unknown;
  merges: string[];
  /** address in A–H → its validation */
  validations: Record<string, unknown>;
  /** the conditional formats on A–H */
  conditional: unknown[];
}

const LETTERS = 'ABCDEFGH';
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

/** the ledger's formats as exceljs reads them from the file, on the branch's columns A–H and rows 1–6 (and the validation's rows below) */
async function formatsOf(path: string): Promise<{ formats: Formats; sheet: ExcelJS.Worksheet }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.getWorksheet(TAB)!;
  const cells: Formats['cells'] = {};
  for (let row = 1; row <= ROWS; row++) {
    for (let column = 1; column <= WIDTH; column++) {
      const cell = sheet.getCell(row, column);
      cells[cell.address] = { value: plain(cell.value), style: plain(cell.style) };
    }
  }
  const columns: Formats['columns'] = {};
  for (let column = 1; column <= WIDTH; column++) columns[LETTERS[column - 1]!] = { width: sheet.getColumn(column).width, style: plain(sheet.getColumn(column).style) };
  const model = validationsOf(sheet).model;
  const validations = Object.fromEntries(Object.entries(model).filter(([address, v]) => v !== undefined && /^[A-H]\d+$/.test(address)));
  const conditional = ((sheet as unknown as { conditionalFormattings: { ref: string }[] }).conditionalFormattings ?? []).filter((cf) => /^[A-H]\d*(:[A-H]\d*)?$/.test(cf.ref)).map(plain);
  const merges = Object.values((sheet as unknown as { _merges: Record<string, { range: string }> })._merges).map((m) => m.range).sort();
  return { formats: { cells, columns, heights: Array.from({ length: ROWS }, (_, i) => sheet.getRow(i + 1).height), views: plain(sheet.views), pageSetup: plain(sheet.pageSetup), merges, validations, conditional }, sheet };
}

/** every one of the branch's formats, written out from the description above */
function expectTheBranchFormats(sheet: ExcelJS.Worksheet, formats: Formats): void {
  WIDTHS.forEach((width, i) => expect(sheet.getColumn(i + 1).width, `width of ${LETTERS[i]}`).toBe(width));
  expect(sheet.getColumn(2).numFmt).toBe('@');
  for (let row = 3; row <= ROWS; row++) {
    expect(sheet.getCell(row, 2).numFmt, `B${row}`).toBe('@');
    expect(sheet.getCell(row, 5).numFmt, `E${row}`).toBe('#,##0.00');
    expect(sheet.getCell(row, 7).numFmt, `G${row}`).toBe('yyyy-mm-dd');
  }
  // the key stays text, its leading zeros with it
  expect(['B3', 'B4', 'B5', 'B6'].map((a) => sheet.getCell(a).value)).toEqual(['0031000001', '0031000002', '0031000003', '0032000001']);
  expect(['G3', 'G4', 'G5'].map((a) => (sheet.getCell(a).value as Date).toISOString().slice(0, 10))).toEqual(['2019-03-15', '2021-07-01', '2018-11-20']);
  for (let column = 1; column <= WIDTH; column++) {
    const cell = sheet.getCell(2, column);
    expect(cell.value, `header ${cell.address}`).toBe(HEADER[column - 1]);
    expect(cell.fill, `fill of ${cell.address}`).toEqual(YELLOW);
    expect(cell.font?.bold, `bold ${cell.address}`).toBe(true);
    expect(cell.border?.bottom?.style, `border of ${cell.address}`).toBe('thin');
  }
  expect(sheet.getCell('A1').font).toMatchObject({ bold: true, size: 14 });
  expect(sheet.getCell('A1').alignment).toMatchObject({ horizontal: 'center' });
  expect(sheet.getRow(1).height).toBe(28);
  expect(sheet.getCell('C3').font?.bold).toBe(true);
  expect(sheet.getCell('H4').font?.color).toEqual({ argb: 'FFFF0000' });
  expect(formats.merges).toEqual(['A1:H1']);
  expect(sheet.views).toEqual([expect.objectContaining(VIEW)]);
  // and its pages numbered as Excel's "Auto" (no first page number of its own)
  expect(sheet.pageSetup).toMatchObject({ ...PAGE, printTitlesRow: '1:2', useFirstPageNumber: false });
  for (let row = 3; row <= ROWS; row++) expect(sheet.getCell(row, 8).protection, `lock of H${row}`).toMatchObject({ locked: false });
  // the list on every row of F3:F200, nowhere else in A–H
  expect(Object.keys(formats.validations).sort()).toEqual(Array.from({ length: 198 }, (_, i) => `F${i + 3}`).sort());
  for (const v of Object.values(formats.validations)) expect(v).toMatchObject(LEVELS);
  expect(formats.conditional).toEqual([{ ref: 'E3:E6', rules: [expect.objectContaining({ type: 'cellIs', operator: 'greaterThan', formulae: ['100'], style: expect.objectContaining({ font: { color: { argb: 'FF9C0006' } }, fill: expect.objectContaining({ type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFC7CE' } }) }) })] }]);
}

/** the 说明 tab as the branch saved it: bold A1, 40 wide, pages numbered from 3 */
async function expectTheNotesTab(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const notes = workbook.getWorksheet(NOTES_TAB)!;
  expect(notes.getCell('A1').value).toBe('本台账由城东支行维护，每月初更新。');
  expect(notes.getCell('A1').font?.bold).toBe(true);
  expect(notes.getColumn(1).width).toBe(40);
  expect(notes.pageSetup).toMatchObject({ firstPageNumber: 3, useFirstPageNumber: true });
}

let saved: Formats;

beforeAll(async () => {
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', name: '城东支行', parentId: null, spreadsheetId: null, managers: [] });
  batch.set(db.collection('branches').doc('B02'), { branchId: 'B02', name: '城西支行', parentId: null, spreadsheetId: null, managers: [] });
  const customers: [string, string][] = [['0031000001', 'B01'], ['0031000002', 'B01'], ['0031000003', 'B01'], ['0032000001', 'B02']];
  customers.forEach(([id, branchId], k) => {
    batch.set(db.collection('customers').doc(id), { customerId: id, branchId, profile: { archive: {}, servicePlan: {} } });
    // (k + 1) × 100,000.00 yuan each day of last month: 0031000001 普通客户, 0031000002 onwards 中银理财客户 (≥ 200,000)
    const daily = (k + 1) * 10_000_000;
    batch.set(db.collection('facts').doc(`${id}_${lastMonth.toFormat('yyyy-MM')}`), { customerId: id, branchId, month: lastMonth.toFormat('yyyy-MM'), summary: { s: daily * lastMonth.daysInMonth!, e: daily, l: 0, c: 0, t: 0, p: ['DEP'] } });
  });
  await batch.commit();
  await writeFormattedLedger(ledger);
  const read = await formatsOf(ledger);
  // the file says what was built: the check below can tell a lost format from one never there
  expectTheBranchFormats(read.sheet, read.formats);
  await expectTheNotesTab(ledger);
  saved = read.formats;
});
afterAll(async () => {
  await db.terminate();
});

describe('the branch’s formats on an adopted .xlsx ledger', () => {
  it('survive the adoption: every cell of A–H on rows 1–6, the widths, the panes, the list, the rule', async () => {
    const run = ladder(['adopt', ledger, '--branch', 'B01', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    // 手机 (D) is the one archive column: 13800000001 and 13900000002 go in through the edit path
    expect(report).toMatchObject({ tab: TAB, headerRow: 2, keyColumn: 'B', matched: 3, applied: { registration: 'registered now' } });
    expect(report.applied.archive.accepted).toBe(2);
    const { formats, sheet } = await formatsOf(ledger);
    expectTheBranchFormats(sheet, formats);
    expect(formats).toEqual(saved);
    await expectTheNotesTab(ledger);
  });

  it('survive the nightly run, which writes its computed columns after H', async () => {
    const run = ladder(['nightly', '--date', today.toISODate()!, '--workbooks', dir]);
    expect(run.code, run.stderr).toBe(0);
    const { formats, sheet } = await formatsOf(ledger);
    // the run did write the ledger: its headers from I on the header row, the tiers on the branch's rows, nothing on B02's
    COMPUTED_HEADERS.forEach((h, i) => expect(sheet.getCell(2, 9 + i).value, `header of column ${9 + i}`).toBe(h));
    expect([3, 4, 5].map((r) => sheet.getCell(r, 9).value)).toEqual(['普通客户', '中银理财客户', '中银理财客户']);
    expect(sheet.getCell(6, 9).value ?? null).toBeNull();
    expectTheBranchFormats(sheet, formats);
    for (const address of Object.keys(saved.cells)) expect(formats.cells[address], address).toEqual(saved.cells[address]);
    expect(formats).toEqual(saved);
    await expectTheNotesTab(ledger);
  });

  it('survive a second night on the file the first one wrote', async () => {
    const run = ladder(['nightly', '--date', today.toISODate()!, '--workbooks', dir, '--rerun']);
    expect(run.code, run.stderr).toBe(0);
    const { formats, sheet } = await formatsOf(ledger);
    expectTheBranchFormats(sheet, formats);
    expect(formats).toEqual(saved);
    await expectTheNotesTab(ledger);
  });
});
