import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotPath } from '../../functions/sheets/workbook-snapshot.js';
import { readBranchEdits, writeBranchWorkbook, type BranchWorkbookContent } from '../../functions/sheets/xlsx-branch-workbook.js';
import { IDENTITY_TAB, readIdentity, WorkbookIdentityError } from '../../functions/sheets/xlsx-workbook-identity.js';
import { COMPUTED_HEADERS, CUSTOMER_HEADERS, CUSTOMER_TAB, KPI_TAB, PROMOTION_HEADERS, PROMOTION_TAB, TASKS_TAB, WATCH_TAB } from '../../shared/sheets/branch-layout.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';

/**
 * The local branch workbook, on real files: the system writes it, "the manager" reorders a
 * column, inserts a column of their own, edits an archive cell and sorts the rows (all with
 * exceljs, as Excel would save them), and the next run must keep all of that while it
 * updates the computed cells.
 */

function cells(id: string, overrides: Partial<ComputedCells> = {}): ComputedCells {
  const out = {} as Record<string, string>;
  for (const h of COMPUTED_HEADERS) out[h] = `${id}-${h}`;
  return { ...(out as ComputedCells), 联系状态: '正常', ...overrides };
}

function content(computed: [string, ComputedCells][], promotionRows: string[][]): BranchWorkbookContent {
  return {
    branchId: 'B1',
    customers: { computed: new Map(computed), initial: new Map([['C1', { 家庭住址: '北京' }]]) },
    lists: { [PROMOTION_TAB]: promotionRows, [WATCH_TAB]: [], [TASKS_TAB]: [['T1', 'C1', 'M1', '生日祝福', '张三生日', '2025-07-20', '正常']], [KPI_TAB]: [] },
  };
}

const promo = (id: string) => ['1', id, 'M1', '中银理财客户', '中银财富管理客户', '10.00%', '100.00', '', '60', '差距小'];

async function open(path: string): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook.getWorksheet(CUSTOMER_TAB)!;
}

function headerOf(sheet: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  for (let c = 1; c <= sheet.columnCount; c++) out.push(String(sheet.getRow(1).getCell(c).value ?? ''));
  return out;
}

/** The row number holding a customer, and a getter by header: how a person reads the sheet. */
function rowOf(sheet: ExcelJS.Worksheet, id: string): (header: string) => ExcelJS.Cell {
  const header = headerOf(sheet);
  const key = header.indexOf('客户号') + 1;
  for (let r = 2; r <= sheet.rowCount; r++) {
    if (sheet.getRow(r).getCell(key).value === id) return (h: string) => sheet.getRow(r).getCell(header.indexOf(h) + 1);
  }
  throw new Error(`no row for ${id}`);
}

/** exceljs keeps the read-back <sheetProtection> on the worksheet but leaves it out of its typings. */
const protectionOf = (sheet: ExcelJS.Worksheet) => (sheet as unknown as { sheetProtection: Record<string, unknown> | null }).sheetProtection;

const argbOf = (cell: ExcelJS.Cell) => (cell.fill?.type === 'pattern' ? cell.fill.fgColor?.argb : undefined);

/** The "text is exactly" colour rules covering a column, text → background (exceljs keeps them in conditionalFormattings). */
function statusColours(sheet: ExcelJS.Worksheet, column: number): Record<string, string> {
  const letter = sheet.getColumn(column).letter;
  const out: Record<string, string> = {};
  for (const cf of (sheet as unknown as { conditionalFormattings: { ref: string; rules: { type: string; operator: string; formulae: string[]; style: { fill: { bgColor: { argb: string } } } }[] }[] }).conditionalFormattings) {
    if (!cf.ref.startsWith(`${letter}2:${letter}`)) continue;
    for (const rule of cf.rules) if (rule.type === 'cellIs' && rule.operator === 'equal') out[JSON.parse(rule.formulae[0]!)] = rule.style.fill.bgColor.argb;
  }
  return out;
}

describe('xlsx branch workbook', () => {
  let dir: string;
  let path: string;
  let workbookId: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'branch-xlsx-'));
    path = join(dir, 'B1.xlsx');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates every tab, the documented columns, protection with editable columns unlocked and coloured status', async () => {
    const report = await writeBranchWorkbook(path, content([['C1', cells('C1', { 联系状态: '逾期' })], ['C2', cells('C2', { 联系状态: '本周' })]], [promo('C1'), promo('C2')]));
    expect(report.created).toBe(true);
    expect(report.rowsAdded).toBe(2);
    expect(report.workbookId).toMatch(/^xlsx:[0-9a-f-]{36}$/);
    workbookId = report.workbookId;

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([CUSTOMER_TAB, PROMOTION_TAB, WATCH_TAB, TASKS_TAB, KPI_TAB, IDENTITY_TAB]);
    // the identity tab: very hidden, and what readIdentity finds
    expect(workbook.getWorksheet(IDENTITY_TAB)!.state).toBe('veryHidden');
    expect(readIdentity(workbook)).toEqual({ workbookId, branchId: 'B1' });
    // the snapshot beside it knows the archive written on C1's new row, and that C2's row has none
    const snapshot = JSON.parse(await readFile(snapshotPath(path), 'utf8'));
    expect(snapshot).toMatchObject({ workbookId, branchId: 'B1', cells: { C1: { 家庭住址: '北京' }, C2: {} }, answered: {}, fileHash: null });
    const sheet = workbook.getWorksheet(CUSTOMER_TAB)!;
    expect(headerOf(sheet)).toEqual([...CUSTOMER_HEADERS]);

    const c1 = rowOf(sheet, 'C1');
    expect(c1('当前等级').value).toBe('C1-当前等级');
    expect(c1('家庭住址').value).toBe('北京');
    expect(protectionOf(sheet)).toMatchObject({ sheet: true, sort: true, autoFilter: true });
    expect(c1('家庭住址').protection?.locked).toBe(false);
    expect(c1('联系备注').protection?.locked).toBe(false);
    // locked is the xlsx default, so it may read back as absent: it must not be false
    expect(c1('当前等级').protection?.locked).not.toBe(false);
    expect(c1('客户号').protection?.locked).not.toBe(false);
    // 联系状态 (column U, 21) is coloured by rules on the column, which colour by the text whatever row it moves to; no cell is painted
    expect(statusColours(sheet, 21)).toEqual({ 逾期: 'FFFFC7CE', 今日: 'FFFFEB9C', 本周: 'FFFFEB9C' });
    expect(argbOf(c1('联系状态'))).toBeUndefined();

    const promotion = workbook.getWorksheet(PROMOTION_TAB)!;
    expect(promotion.getRow(1).values).toEqual([undefined, ...PROMOTION_HEADERS]);
    expect(promotion.rowCount).toBe(3);
  });

  it('keeps the manager’s reordering, own column, edit and sort while updating only computed cells', async () => {
    // The manager at work (what Excel would save).
    {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(path);
      const sheet = workbook.getWorksheet(CUSTOMER_TAB)!;
      const rows = sheet.rowCount;
      // move 联系状态 to column A
      const status = headerOf(sheet).indexOf('联系状态') + 1;
      const moved: ExcelJS.CellValue[] = [];
      for (let r = 1; r <= rows; r++) moved.push(sheet.getRow(r).getCell(status).value);
      sheet.spliceColumns(status, 1);
      sheet.spliceColumns(1, 0, moved);
      // their own column right after 客户号, with a note on C2's row (row 3 before the sort)
      const key = headerOf(sheet).indexOf('客户号') + 1;
      sheet.spliceColumns(key + 1, 0, ['经理备注', '', '下周拜访']);
      // an archive edit on C2, then sort descending by 客户号 (C2 first)
      rowOf(sheet, 'C2')('家庭住址').value = '上海市浦东新区';
      const values = [2, 3].map((r) => sheet.getRow(r).values);
      sheet.getRow(2).values = values[1] as ExcelJS.CellValue[];
      sheet.getRow(3).values = values[0] as ExcelJS.CellValue[];
      await workbook.xlsx.writeFile(path);
    }
    const before = await open(path);
    expect(headerOf(before).slice(0, 3)).toEqual(['联系状态', '客户号', '经理备注']);
    expect(before.getRow(2).getCell(2).value).toBe('C2');

    // The next run: C1's tier and status changed, C2 unchanged, C3 is new.
    const report = await writeBranchWorkbook(
      path,
      content([['C1', cells('C1', { 当前等级: '中银财富管理客户', 联系状态: '正常' })], ['C2', cells('C2', { 联系状态: '本周' })], ['C3', cells('C3')]], [promo('C3')]),
    );
    expect(report.created).toBe(false);
    expect(report.workbookId).toBe(workbookId); // made once, kept
    expect(report.adoptedRows).toBe(0);
    expect(report.appendedColumns).toEqual([]);
    expect(report.rowsAdded).toBe(1);
    // C1: 当前等级 and 联系状态; C3: 客户号 + 11 computed cells
    expect(report.cellsWritten).toBe(2 + 12);
    // 升级名单 goes from C1, C2 to C3: row 2's 客户号 (C1 → C3) changes, and row 3's nine filled
    // cells are emptied (ten columns, 下期起需补足 was already empty)
    expect(report.listCellsWritten).toBe(1 + 9);

    const sheet = await open(path);
    expect(headerOf(sheet)).toEqual(['联系状态', '客户号', '经理备注', ...CUSTOMER_HEADERS.filter((h) => h !== '联系状态' && h !== '客户号')]);
    // the sort stays: C2, C1, then the new C3
    expect([2, 3, 4].map((r) => sheet.getRow(r).getCell(2).value)).toEqual(['C2', 'C1', 'C3']);
    const c1 = rowOf(sheet, 'C1');
    const c2 = rowOf(sheet, 'C2');
    expect(c1('当前等级').value).toBe('中银财富管理客户');
    expect(c1('联系状态').value).toBe('正常');
    // the status moved to column A without its rules (exceljs moves no rules): the run puts them on column A
    expect(statusColours(sheet, 1)).toEqual({ 逾期: 'FFFFC7CE', 今日: 'FFFFEB9C', 本周: 'FFFFEB9C' });
    expect(argbOf(c2('联系状态'))).toBeUndefined();
    expect(c2('经理备注').value).toBe('下周拜访');
    expect(c2('家庭住址').value).toBe('上海市浦东新区');
    expect(c1('家庭住址').value).toBe('北京');
    expect(c2('当前等级').value).toBe('C2-当前等级');
    // the manager's column stays editable; computed columns stay locked wherever they moved
    expect(c2('经理备注').protection?.locked).toBe(false);
    expect(c2('联系状态').protection?.locked).not.toBe(false);
    expect(protectionOf(sheet)).toMatchObject({ sheet: true });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const promotion = workbook.getWorksheet(PROMOTION_TAB)!;
    // the list is emptied cell by cell, never cleared wholesale: the header and one row hold anything
    expect(promotion.actualRowCount).toBe(2);
    expect(promotion.getRow(2).getCell(2).value).toBe('C3');
  });

  it('a run with nothing new writes no customer cells', async () => {
    const report = await writeBranchWorkbook(
      path,
      content([['C1', cells('C1', { 当前等级: '中银财富管理客户', 联系状态: '正常' })], ['C2', cells('C2', { 联系状态: '本周' })], ['C3', cells('C3')]], [promo('C3')]),
    );
    expect(report.cellsWritten).toBe(0);
    expect(report.rowsAdded).toBe(0);
  });

  it('reads the editable columns back by 客户号', async () => {
    const edits = await readBranchEdits(path);
    expect(edits.map((e) => e.customerId)).toEqual(['C2', 'C1', 'C3']);
    const c2 = edits.find((e) => e.customerId === 'C2')!;
    expect(c2.fields.家庭住址).toBe('上海市浦东新区');
    expect(c2.fields.工作单位).toBe('');
    expect(edits.find((e) => e.customerId === 'C1')!.fields.家庭住址).toBe('北京');
  });

  it('refuses to write one branch’s customers into another branch’s workbook', async () => {
    const other = join(dir, 'copied.xlsx');
    await copyFile(path, other);
    const attempt = writeBranchWorkbook(other, { ...content([['C1', cells('C1')]], []), branchId: 'B2' });
    await expect(attempt).rejects.toThrow(WorkbookIdentityError);
    await expect(attempt).rejects.toThrow('belongs to branch B1');
  });

  it('gives a workbook made before identities one, taking its editable cells as they are (so they are not sent as edits)', async () => {
    // A workbook as the writer made it before: 客户名单 only, a manager's archive edit in it.
    const old = join(dir, 'old.xlsx');
    {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet(CUSTOMER_TAB);
      sheet.addRow([...CUSTOMER_HEADERS]);
      const row: string[] = CUSTOMER_HEADERS.map(() => '');
      row[CUSTOMER_HEADERS.indexOf('客户号')] = 'C1';
      row[CUSTOMER_HEADERS.indexOf('工作单位')] = '市第一医院';
      sheet.addRow(row);
      await workbook.xlsx.writeFile(old);
    }
    const report = await writeBranchWorkbook(old, content([['C1', cells('C1')], ['C2', cells('C2')]], []));
    expect(report.created).toBe(false);
    expect(report.adoptedRows).toBe(1);
    expect(report.rowsAdded).toBe(1);
    const snapshot = JSON.parse(await readFile(snapshotPath(old), 'utf8'));
    // C1 adopted as found; C2's new row carries no archive (initial values exist for C1 only)
    expect(snapshot.cells).toEqual({ C1: { 工作单位: '市第一医院' }, C2: {} });
    expect(snapshot.workbookId).toBe(report.workbookId);
  });
});
