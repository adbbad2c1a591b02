import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { workbookFolder, workbooksAt } from '../../functions/sheets/workbook-locator.js';
import { hashOf, snapshotPath, writeSnapshot, type WorkbookSnapshot } from '../../functions/sheets/workbook-snapshot.js';
import { prepareBranchWorkbook } from '../../functions/sheets/xlsx-branch-workbook.js';
import { WorkbookChangedError, xlsxSheetsGateway } from '../../functions/sheets/xlsx-sheets-gateway.js';
import { processWorkbookEdits, type LocalEditDeps } from '../../functions/sheets/xlsx-workbook-edits.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { COMPUTED_HEADERS, CUSTOMER_HEADERS, CUSTOMER_TAB, LIST_TABS, type ListTabName } from '../../shared/sheets/branch-layout.js';
import { planBranchSheet } from '../../shared/sheets/branch-sheet-sync.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * What only the local workbook gateway has to get right (the contract both gateways share is
 * in sheets-gateway-contract.test.ts): a manager's save landing while the gateway writes, the
 * snapshot `ladder watch` keeps beside the workbook, and which file is which workbook. Real
 * files, exceljs as the manager's editor, the watcher's own edit path on the emulator.
 */

const { db } = testFirestore('xlsx-gateway-test');
const scheme = bundledScheme('boc')!;
const deps: LocalEditDeps = { db, scheme, standards: bundledStandards('d2')!, engine: createTierEngine(scheme), now: () => new Date('2026-11-29T08:00:00Z'), today: () => parseCivilDay('2026-11-29')! };

const cells = (tier: string): ComputedCells => Object.fromEntries(COMPUTED_HEADERS.map((h) => [h, h === '当前等级' ? tier : `${h}…`])) as ComputedCells;
const noLists = Object.fromEntries(LIST_TABS.map((t) => [t.name, []])) as unknown as Record<ListTabName, string[][]>;
const column = (header: string) => CUSTOMER_HEADERS.indexOf(header) + 1;

let root: string;
let dir: string;
let path: string;
let id: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'xlsx-gateway-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await db.terminate();
});
beforeEach(async () => {
  dir = await mkdtemp(join(root, 'case-'));
  path = join(dir, 'B01.xlsx');
  id = (await prepareBranchWorkbook(path, 'B01')).workbookId;
});

async function managerTypes(file: string, row: number, col: number, value: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  workbook.getWorksheet(CUSTOMER_TAB)!.getCell(row, col).value = value;
  workbook.lastModifiedBy = '李经理';
  await workbook.xlsx.writeFile(file);
}

async function cellAt(file: string, row: number, col: number): Promise<unknown> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook.getWorksheet(CUSTOMER_TAB)!.findCell(row, col)?.value ?? null;
}

const sidecar = async (): Promise<WorkbookSnapshot> => JSON.parse(await readFile(snapshotPath(path), 'utf8'));

async function firstNight(): Promise<void> {
  const gateway = xlsxSheetsGateway(workbooksAt([[id, path]]));
  const plan = planBranchSheet(await gateway.read(id), { computed: new Map([['C1', cells('普通客户')], ['C2', cells('普通客户')]]), initial: new Map([['C1', { 工作单位: '市第一医院' }]]), lists: noLists });
  await gateway.updateStructure(id, plan.structure);
  await gateway.writeCells(id, plan.writes);
}

describe('the local workbook gateway', () => {
  it('a manager’s save landing while it writes is kept: the call starts again from that save', async () => {
    await firstNight();
    const gateway = xlsxSheetsGateway(workbooksAt([[id, path]]), {
      // on the first try only, the manager saves between our load and our replace
      afterLoad: async (file, attempt) => {
        if (attempt === 1) await managerTypes(file, 3, column('手机号码'), '13800138000');
      },
    });
    expect(await gateway.writeCells(id, [{ tab: CUSTOMER_TAB, row: 2, column: column('当前等级'), value: '中银理财客户' }])).toBe(1);
    expect(await cellAt(path, 3, column('手机号码'))).toBe('13800138000');
    expect(await cellAt(path, 2, column('当前等级'))).toBe('中银理财客户');
  });

  it('a workbook saved again at every try is left as the manager saved it, and the call fails saying so', async () => {
    await firstNight();
    let saves = 0;
    const gateway = xlsxSheetsGateway(workbooksAt([[id, path]]), { afterLoad: async (file) => managerTypes(file, 3, column('联系备注'), `第${++saves}次保存`) });
    await expect(gateway.writeCells(id, [{ tab: CUSTOMER_TAB, row: 2, column: column('当前等级'), value: '中银理财客户' }])).rejects.toThrow(WorkbookChangedError);
    expect(saves).toBe(3);
    expect(await cellAt(path, 3, column('联系备注'))).toBe('第3次保存');
    expect(await cellAt(path, 2, column('当前等级'))).toBe('普通客户');
  });

  it('a write naming a tab the workbook lacks fails whole: the file is not touched', async () => {
    await firstNight();
    const before = hashOf(await readFile(path));
    const gateway = xlsxSheetsGateway(workbooksAt([[id, path]]));
    const writes = [
      { tab: CUSTOMER_TAB, row: 2, column: column('当前等级'), value: '中银理财客户' },
      { tab: '_ladder', row: 1, column: 1, value: 'x' },
    ];
    await expect(gateway.writeCells(id, writes)).rejects.toThrow('the workbook has no tab _ladder');
    expect(hashOf(await readFile(path))).toBe(before);
    expect((await gateway.read(id)).tabs.map((t) => t.title)).toEqual(['客户名单', '升级名单', '降级预警', '待办', '考核']); // the identity tab is never shown
  });

  it('the watcher’s snapshot learns what the system wrote: a new row’s archive is not an edit, answers of a rewritten customer go', async () => {
    await firstNight();
    expect((await sidecar()).cells).toEqual({ C1: { 工作单位: '市第一医院' }, C2: {} });
    // the watcher reads the workbook: nothing of ours is sent as an edit
    expect(await processWorkbookEdits(path, deps)).toMatchObject({ kind: 'processed', rowsSent: 0, writeBack: 'nothing to write' });
    const seen = await sidecar();
    expect(seen.fileHash).toBe(hashOf(await readFile(path)));

    // answers the edit path gave for C1 and C2 earlier in the day
    await writeSnapshot(snapshotPath(path), { ...seen, answered: { C1: { 当前等级: '中银理财客户' }, C2: { 当前等级: '普通客户' } } });
    const gateway = xlsxSheetsGateway(workbooksAt([[id, path]]));
    await gateway.writeCells(id, [{ tab: CUSTOMER_TAB, row: 2, column: column('当前等级'), value: '中银财富管理客户' }]);
    const after = await sidecar();
    // C1 (row 2) got tonight's tier: its older answer goes; C2's stays
    expect(after.answered).toEqual({ C2: { 当前等级: '普通客户' } });
    // the snapshot reflected the file before our write, so it reflects it after: the watcher does not read it again
    expect(after.fileHash).toBe(hashOf(await readFile(path)));
    expect(await processWorkbookEdits(path, deps)).toEqual({ file: 'B01.xlsx', kind: 'unchanged' });
  });

  it('a manager’s edit not yet sent keeps the workbook unseen after our write, and is then sent once', async () => {
    await firstNight();
    expect(await processWorkbookEdits(path, deps)).toMatchObject({ kind: 'processed', rowsSent: 0 });
    await managerTypes(path, 3, column('工作单位'), '市第二医院'); // saved, not yet processed
    const gateway = xlsxSheetsGateway(workbooksAt([[id, path]]));
    await gateway.writeCells(id, [{ tab: CUSTOMER_TAB, row: 2, column: column('当前等级'), value: '中银理财客户' }]);
    expect((await sidecar()).fileHash).toBeNull();
    // the branch has no registered workbook here, so the edit is refused, but it is sent: one row, one cell
    expect(await processWorkbookEdits(path, deps)).toMatchObject({ kind: 'processed', rowsSent: 1, refused: 1 });
  });

  it('opens only the workbook asked for: another workbook at the path, or two files with one id, are refused by name', async () => {
    const other = join(dir, 'B02.xlsx');
    const otherId = (await prepareBranchWorkbook(other, 'B02')).workbookId;
    const wrong = xlsxSheetsGateway(workbooksAt([[id, other]]));
    await expect(wrong.read(id)).rejects.toThrow(`${other} is the workbook ${otherId}, not ${id}`);

    const folder = xlsxSheetsGateway(workbookFolder(dir));
    expect((await folder.read(otherId)).tabs.map((t) => t.title)).toEqual(['客户名单']);
    await copyFile(path, join(dir, 'B01 - 副本.xlsx'));
    await expect(xlsxSheetsGateway(workbookFolder(dir)).read(id)).rejects.toThrow(/B01 - 副本\.xlsx and .*B01\.xlsx are both xlsx:/);
    await expect(xlsxSheetsGateway(workbookFolder(dir)).read('xlsx:00000000-0000-4000-8000-000000000000')).rejects.toThrow(`no workbook in ${dir} is xlsx:00000000-0000-4000-8000-000000000000`);
  });

  it('a workbook renamed in its folder is found again by its id', async () => {
    const gateway = xlsxSheetsGateway(workbookFolder(dir));
    expect((await gateway.read(id)).tabs).toHaveLength(1);
    await copyFile(path, join(dir, 'B01 李经理.xlsx'));
    await rm(path);
    await gateway.writeCells(id, [{ tab: CUSTOMER_TAB, row: 1, column: 1, value: '客户号' }]);
    expect(await cellAt(join(dir, 'B01 李经理.xlsx'), 1, 1)).toBe('客户号');
  });

  it('a workbook saved by LibreOffice (protection written true/false) still reads as protected with its editable columns open: the next night asks for no structure', async () => {
    await firstNight();
    // LibreOffice 7.4 writes xsd:boolean as true/false: <sheetProtection sheet="true" …/>, <protection locked="false" …/>
    const zip = await JSZip.loadAsync(await readFile(path));
    for (const name of Object.keys(zip.files).filter((n) => /^xl\/(styles\.xml|worksheets\/.*\.xml)$/.test(n))) {
      const text = await zip.file(name)!.async('string');
      zip.file(name, text.replace(/<(sheetProtection|protection)\b[^>]*>/g, (tag) => tag.replace(/="([01])"/g, (_m, v: string) => (v === '1' ? '="true"' : '="false"'))));
    }
    await writeFile(path, await zip.generateAsync({ type: 'nodebuffer' }));
    // exceljs alone reads that as an unprotected sheet
    const plain = new ExcelJS.Workbook();
    await plain.xlsx.readFile(path);
    expect((plain.getWorksheet(CUSTOMER_TAB) as unknown as { sheetProtection: { sheet?: boolean } }).sheetProtection.sheet).toBeUndefined();

    const gateway = xlsxSheetsGateway(workbooksAt([[id, path]]));
    const snapshot = await gateway.read(id);
    expect(snapshot.tabs.map((t) => t.protections.length)).toEqual([12, 1, 1, 1, 1]);
    const plan = planBranchSheet(snapshot, { computed: new Map([['C1', cells('普通客户')], ['C2', cells('普通客户')]]), initial: new Map([['C1', { 工作单位: '市第一医院' }]]), lists: noLists });
    expect(plan.structure).toEqual([]);
    expect(plan.writes).toEqual([]);
  });

  it('a half-written file is reported as such, not read', async () => {
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(xlsxSheetsGateway(workbooksAt([[id, path]])).read(id)).rejects.toThrow(`${path} is not a readable .xlsx workbook`);
  });
});

describe('a column inserted by a save between the run’s read and its write', () => {
  it('the values go to the column carrying their tag in the file as saved: none into the branch’s new column', async () => {
    await firstNight();
    const reader = xlsxSheetsGateway(workbooksAt([[id, path]]));
    const plan = planBranchSheet(await reader.read(id), { computed: new Map([['C1', cells('中银理财客户')], ['C2', cells('普通客户')]]), initial: new Map(), lists: noLists });
    expect(plan.writes.map((w) => [w.row, w.column, w.value])).toEqual([[2, column('当前等级'), '中银理财客户']]);
    const gateway = xlsxSheetsGateway(workbooksAt([[id, path]]), {
      // the manager inserts a column of their own just left of 当前等级 and saves, after the read and before our replace
      afterLoad: async (file, attempt) => {
        if (attempt !== 1) return;
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.readFile(file);
        workbook.getWorksheet(CUSTOMER_TAB)!.spliceColumns(column('当前等级'), 0, ['支行备注', '甲', '乙']);
        await workbook.xlsx.writeFile(file);
      },
    });
    await gateway.writeCells(id, plan.writes);
    expect(await cellAt(path, 1, column('当前等级'))).toBe('支行备注');
    expect(await cellAt(path, 2, column('当前等级'))).toBe('甲');
    expect(await cellAt(path, 1, column('当前等级') + 1)).toBe('当前等级');
    expect(await cellAt(path, 2, column('当前等级') + 1)).toBe('中银理财客户');
  });
});

describe('the text-like columns of a 客户名单 the system lays out', () => {
  it('get the plain-text format @ (a 家庭电话 typed 021… keeps its 0); a computed column does not', async () => {
    await firstNight();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.getWorksheet(CUSTOMER_TAB)!;
    for (const header of ['客户号', '手机号码', '家庭电话', '家庭住址', '工作单位']) expect(sheet.getColumn(column(header)).numFmt, header).toBe('@');
    expect(sheet.getCell(2, column('家庭电话')).numFmt).toBe('@');
    expect(sheet.getColumn(column('当前等级')).numFmt).toBeUndefined();
  });
});
