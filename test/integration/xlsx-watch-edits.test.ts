import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { processFolderOnce } from '../../functions/cli/watch-command.js';
import { checkRegistrations } from '../../functions/sheets/workbook-registration.js';
import { writeBranchWorkbook } from '../../functions/sheets/xlsx-branch-workbook.js';
import { processWorkbookEdits, type LocalEditDeps, type WorkbookOutcome } from '../../functions/sheets/xlsx-workbook-edits.js';
import { applySheetEdits } from '../../functions/store/firestore-sheet-edits.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { COMPUTED_HEADERS, CUSTOMER_TAB, KPI_TAB, PROMOTION_TAB, TASKS_TAB, WATCH_TAB } from '../../shared/sheets/branch-layout.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * A manager's saved edits of a local branch workbook through the sheet-edit path: real files,
 * real exceljs (standing in for the manager's editor, as Excel or LibreOffice would save), the
 * real Firestore emulator, processSheetEdit itself.
 */

const { db, clear } = testFirestore('xlsx-watch-test');
const scheme = bundledScheme('boc')!;
const today = parseCivilDay('2026-11-29')!;
const deps: LocalEditDeps = { db, scheme, standards: bundledStandards('d2')!, engine: createTierEngine(scheme), now: () => new Date('2026-11-29T08:00:00Z'), today: () => today };

/** What the last nightly write put in the computed columns: placeholders, so that every answered cell visibly differs. */
function placeholders(id: string): ComputedCells {
  const out = {} as Record<string, string>;
  for (const h of COMPUTED_HEADERS) out[h] = `${id}-${h}`;
  return out as ComputedCells;
}

let root: string;
let dir: string;
let path: string;
let workbookId: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'xlsx-watch-'));
});
beforeEach(async () => {
  await clear();
  dir = await mkdtemp(join(root, 'case-'));
  path = join(dir, 'B01.xlsx');
  const written = await writeBranchWorkbook(path, {
    branchId: 'B01',
    customers: { computed: new Map(['C1', 'C2', 'C3'].map((id) => [id, placeholders(id)])), initial: new Map([['C1', { 家庭住址: '北京市朝阳区' }]]) },
    lists: { [PROMOTION_TAB]: [], [WATCH_TAB]: [], [TASKS_TAB]: [], [KPI_TAB]: [] },
  });
  workbookId = written.workbookId;
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', spreadsheetId: 'SHEET-B01', workbookId });
  for (const id of ['C1', 'C2', 'C3']) {
    batch.set(db.collection('customers').doc(id), { customerId: id, branchId: 'B01', profile: { archive: id === 'C1' ? { homeAddress: '北京市朝阳区' } : {} } });
    // October 2026: 930,000,000 fen over 31 days = 30,000,000 fen = 300,000.00 yuan a day → licai (≥ 200,000) from November
    batch.set(db.collection('facts').doc(`${id}_2026-10`), { customerId: id, branchId: 'B01', month: '2026-10', summary: { s: 930_000_000, e: 30_000_000, l: 0, c: 0, t: 0, p: ['DEP'] } });
  }
  await batch.commit();
});
afterAll(async () => {
  await db.terminate();
  await rm(root, { recursive: true, force: true });
});

/** The manager at work: open, change, save (lastModifiedBy is what Excel and LibreOffice record as the saver). */
async function managerSaves(change: (sheet: ExcelJS.Worksheet) => void, by = '李经理', file = path): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  change(workbook.getWorksheet(CUSTOMER_TAB)!);
  workbook.lastModifiedBy = by;
  await workbook.xlsx.writeFile(file);
}

/** A customer's cell by header, wherever sorting and moving have put row and column. */
function cellOf(sheet: ExcelJS.Worksheet, id: string, header: string): ExcelJS.Cell {
  const headers: string[] = [];
  for (let c = 1; c <= sheet.columnCount; c++) headers.push(String(sheet.getRow(1).getCell(c).value ?? ''));
  const key = headers.indexOf('客户号') + 1;
  for (let r = 2; r <= sheet.rowCount; r++) {
    if (sheet.getRow(r).getCell(key).value === id) return sheet.getRow(r).getCell(headers.indexOf(header) + 1);
  }
  throw new Error(`no row for ${id}`);
}

async function opened(file = path): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook.getWorksheet(CUSTOMER_TAB)!;
}

const noteOf = (cell: ExcelJS.Cell) => (cell.note === undefined ? '' : typeof cell.note === 'string' ? cell.note : (cell.note.texts ?? []).map((t) => t.text).join(''));

function processed(outcome: WorkbookOutcome): Extract<WorkbookOutcome, { kind: 'processed' }> {
  if (outcome.kind !== 'processed') throw new Error(`expected processed, got ${JSON.stringify(outcome)}`);
  return outcome;
}

const editLog = async () => (await db.collection('editLog').get()).docs.map((d) => d.data());

describe('local workbook edits through the sheet-edit path', () => {
  it('stores an override set in the workbook, logs it, and writes the recomputed tier back into the row', async () => {
    await managerSaves((sheet) => {
      cellOf(sheet, 'C1', '指定等级').value = '中银财富管理客户';
      cellOf(sheet, 'C1', '指定原因').value = '总行批准';
      cellOf(sheet, 'C1', '指定截止月').value = '2027-03';
    });
    const outcome = processed(await processWorkbookEdits(path, deps));
    expect(outcome).toMatchObject({ branchId: 'B01', rowsSent: 1, accepted: 3, refused: 0, recomputed: 1, writeBack: 'written', notesSet: 0, problems: [] });
    // every computed cell of C1's row held a placeholder: all 11 are written
    expect(outcome.cellsWritten).toBe(11);

    const c1 = await db.collection('customers').doc('C1').get();
    expect(c1.get('override')).toEqual({ tier: 'wealth', from: '2026-11', until: '2027-03', reason: '总行批准', by: '李经理' });
    const log = await editLog();
    expect(log.map((e) => [e.column, e.value, e.accepted]).sort()).toEqual([
      ['指定原因', '总行批准', true],
      ['指定截止月', '2027-03', true],
      ['指定等级', '中银财富管理客户', true],
    ]);
    expect(log.every((e) => e.spreadsheetId === workbookId && e.editor === '李经理' && e.branchId === 'B01')).toBe(true);

    const sheet = await opened();
    // licai on October's 300,000.00 a day, overridden to wealth for November: the next tier is private banking
    expect(cellOf(sheet, 'C1', '当前等级').value).toBe('中银财富管理客户');
    expect(cellOf(sheet, 'C1', '月日均资产').value).toBe('300000.00');
    expect(cellOf(sheet, 'C1', '下一等级').value).toBe('私人银行客户');
    expect(cellOf(sheet, 'C1', '更新时间').value).toBe('2026-11-29');
    // the manager's edit stays as typed; other customers' rows are untouched
    expect(cellOf(sheet, 'C1', '指定等级').value).toBe('中银财富管理客户');
    expect(cellOf(sheet, 'C2', '当前等级').value).toBe('C2-当前等级');
  });

  it('puts a Chinese note on each refused cell, stores the row’s good cell, and clears a note once the cell is accepted', async () => {
    await managerSaves((sheet) => {
      cellOf(sheet, 'C2', '风险特征').value = 'C9';
      cellOf(sheet, 'C2', '手机号码').value = '12345';
      cellOf(sheet, 'C2', '工作单位').value = '市第二医院';
    });
    expect(processed(await processWorkbookEdits(path, deps))).toMatchObject({ rowsSent: 1, accepted: 1, refused: 2, notesSet: 2, notesCleared: 0 });
    let sheet = await opened();
    expect(noteOf(cellOf(sheet, 'C2', '风险特征'))).toBe('【未保存】风险特征应为C1–C5之一');
    expect(noteOf(cellOf(sheet, 'C2', '手机号码'))).toBe('【未保存】手机号码应为11位数字，以13–19开头');
    expect(noteOf(cellOf(sheet, 'C2', '工作单位'))).toBe('');
    expect((await db.collection('customers').doc('C2').get()).get('profile.archive')).toEqual({ employer: '市第二医院' });
    expect((await editLog()).filter((e) => !e.accepted).map((e) => e.column).sort()).toEqual(['手机号码', '风险特征']);

    // The manager corrects the risk level only: that one cell is sent (the refused phone is not sent again).
    await managerSaves((s) => {
      cellOf(s, 'C2', '风险特征').value = 'C3';
    });
    expect(processed(await processWorkbookEdits(path, deps))).toMatchObject({ rowsSent: 1, accepted: 1, refused: 0, notesSet: 0, notesCleared: 1 });
    sheet = await opened();
    expect(noteOf(cellOf(sheet, 'C2', '风险特征'))).toBe('');
    expect(noteOf(cellOf(sheet, 'C2', '手机号码'))).toBe('【未保存】手机号码应为11位数字，以13–19开头');
    expect((await db.collection('customers').doc('C2').get()).get('profile.archive')).toEqual({ employer: '市第二医院', riskProfile: 'C3' });
    // 3 edits the first time, 1 the second
    expect((await editLog()).length).toBe(4);
  });

  it('sends nothing for sorted rows, moved columns and a column of the manager’s own, and writes answers by header without touching theirs', async () => {
    await managerSaves((sheet) => {
      const rows = sheet.rowCount;
      const headers = () => (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
      // 联系状态 to column A
      const status = headers().indexOf('联系状态');
      const moved: ExcelJS.CellValue[] = [];
      for (let r = 1; r <= rows; r++) moved.push(sheet.getRow(r).getCell(status).value);
      sheet.spliceColumns(status, 1);
      sheet.spliceColumns(1, 0, moved);
      // their own column after 客户号
      sheet.spliceColumns(headers().indexOf('客户号') + 1, 0, ['经理备注', '老客户', '下周拜访', '']);
      // rows sorted descending by 客户号: C3, C2, C1
      const values = [2, 3, 4].map((r) => sheet.getRow(r).values);
      [4, 3, 2].forEach((r, i) => (sheet.getRow(r).values = values[i] as ExcelJS.CellValue[]));
    });
    const rearranged = processed(await processWorkbookEdits(path, deps));
    expect(rearranged).toMatchObject({ rowsSent: 0, cellsWritten: 0, writeBack: 'nothing to write' });
    expect(await editLog()).toEqual([]);

    // An edit on the rearranged sheet: only that cell goes, the answers land in the moved columns.
    await managerSaves((sheet) => {
      cellOf(sheet, 'C3', '工作单位').value = '市第三中学';
    });
    expect(processed(await processWorkbookEdits(path, deps))).toMatchObject({ rowsSent: 1, accepted: 1, recomputed: 1, cellsWritten: 11 });
    expect((await editLog()).map((e) => e.column)).toEqual(['工作单位']);
    const sheet = await opened();
    expect(sheet.getRow(1).getCell(1).value).toBe('联系状态');
    expect([2, 3, 4].map((r) => sheet.getRow(r).getCell(2).value)).toEqual(['C3', 'C2', 'C1']);
    expect(cellOf(sheet, 'C3', '当前等级').value).toBe('中银理财客户'); // 300,000.00 a day ≥ 200,000: licai
    expect(cellOf(sheet, 'C3', '联系状态').value).not.toBe('C3-联系状态');
    // their column moved with the rows: C1 (row 2 before the sort) '老客户', C2 '下周拜访', C3 nothing
    expect(cellOf(sheet, 'C1', '经理备注').value).toBe('老客户');
    expect(cellOf(sheet, 'C2', '经理备注').value).toBe('下周拜访');
    expect(cellOf(sheet, 'C3', '经理备注').value).toBeNull();
    expect(cellOf(sheet, 'C2', '当前等级').value).toBe('C2-当前等级');
  });

  it('sends a save once, even when processed twice or saved again by an editor that still held the old copy open', async () => {
    await managerSaves((sheet) => {
      cellOf(sheet, 'C1', '指定等级').value = '中银财富管理客户';
      cellOf(sheet, 'C1', '指定原因').value = '总行批准';
      cellOf(sheet, 'C1', '指定截止月').value = '2027-03';
    });
    // what the manager's editor still holds after saving: their edit, none of the system's answers
    const held = join(dir, 'held.copy');
    await copyFile(path, held);
    processed(await processWorkbookEdits(path, deps));
    expect(await processWorkbookEdits(path, deps)).toEqual({ file: 'B01.xlsx', kind: 'unchanged' });
    expect((await editLog()).length).toBe(3);

    // The editor saves its copy over the system's write-back, with one more edit.
    await copyFile(held, path);
    await managerSaves((sheet) => {
      cellOf(sheet, 'C2', '工作单位').value = '市第二医院';
    });
    const again = processed(await processWorkbookEdits(path, deps));
    expect(again).toMatchObject({ rowsSent: 1, accepted: 1, recomputed: 1 });
    // only the new edit was logged: 3 + 1
    expect((await editLog()).map((e) => e.column).sort()).toEqual(['工作单位', '指定原因', '指定截止月', '指定等级']);
    // C1's answered cells, lost in the editor's save, are put back; C2's are written: 11 + 11
    expect(again.cellsWritten).toBe(22);
    const sheet = await opened();
    expect(cellOf(sheet, 'C1', '当前等级').value).toBe('中银财富管理客户');
    expect(cellOf(sheet, 'C2', '当前等级').value).toBe('中银理财客户');
  });

  it('reports a workbook that cannot be read (half written) by name, to be tried again, and processes the others', async () => {
    await copyFile(path, join(dir, 'B02.xlsx'));
    const bytes = await readFile(path);
    await writeFile(join(dir, 'B02.xlsx'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await writeFile(join(dir, '.~lock.B01.xlsx#'), ',李经理,host,29.11.2026 16:00,file:///home/li/.config/libreoffice/4;');
    await managerSaves((sheet) => {
      cellOf(sheet, 'C3', '工作单位').value = '市第三中学';
    });
    const lines: string[] = [];
    const code = await processFolderOnce(dir, deps, (line) => lines.push(line));
    expect(code).toBe(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('ladder watch: B01.xlsx (branch B01): 1 rows sent, 1 cells accepted, 0 refused, 1 rows recomputed; written back: 11 computed cells, 0 notes set, 0 notes cleared');
    expect(lines[1]).toMatch(/^ladder watch: B02\.xlsx could not be processed: is not a readable \.xlsx workbook .*\(will try again\)$/);
    expect((await db.collection('customers').doc('C3').get()).get('profile.archive.employer')).toBe('市第三中学');
  });

  it('does not send a copy’s cells (they may be older than what was sent from the original), and lets a renamed workbook keep its snapshot', async () => {
    await managerSaves((sheet) => {
      cellOf(sheet, 'C1', '工作单位').value = '市第一医院';
    });
    processed(await processWorkbookEdits(path, deps));
    // a copy kept before the edit, saved into the folder
    const copy = join(dir, 'B01 - 副本.xlsx');
    await copyFile(path, copy);
    await managerSaves((sheet) => {
      cellOf(sheet, 'C1', '工作单位').value = '旧单位';
    }, '李经理', copy);
    const refused = await processWorkbookEdits(copy, deps);
    expect(refused).toMatchObject({ kind: 'failed', retry: false });
    expect(refused.kind === 'failed' && refused.reason).toMatch(/^is a copy of B01\.xlsx \(the same workbook id xlsx:/);
    expect((await db.collection('customers').doc('C1').get()).get('profile.archive.employer')).toBe('市第一医院');
    await rm(copy);

    // renamed: nothing is sent again, the snapshot now goes by the new name
    const renamed = join(dir, 'B01 李经理.xlsx');
    await copyFile(path, renamed);
    await rm(path);
    expect(processed(await processWorkbookEdits(renamed, deps))).toMatchObject({ rowsSent: 0, problems: ['renamed from B01.xlsx: its snapshot follows it'] });
    expect((await editLog()).length).toBe(1);
    expect(await processWorkbookEdits(renamed, deps)).toEqual({ file: 'B01 李经理.xlsx', kind: 'unchanged' });
  });

  it('refuses the edits of a workbook that is not its branch’s registered one, with the reason on each cell', async () => {
    await db.collection('branches').doc('B01').update({ workbookId: 'xlsx:00000000-0000-4000-8000-000000000000' });
    expect((await checkRegistrations(db, dir, false)).map((s) => s.state)).toEqual(['not registered']);
    await managerSaves((sheet) => {
      cellOf(sheet, 'C1', '工作单位').value = '别的单位';
    });
    expect(processed(await processWorkbookEdits(path, deps))).toMatchObject({ rowsSent: 1, accepted: 0, refused: 1, notesSet: 1 });
    expect(noteOf(cellOf(await opened(), 'C1', '工作单位'))).toBe('【未保存】此表格不属于该支行，修改未保存');
    expect((await db.collection('customers').doc('C1').get()).get('profile.archive')).toEqual({ homeAddress: '北京市朝阳区' });
    // --register makes it the branch's workbook again
    expect((await checkRegistrations(db, dir, true)).map((s) => s.state)).toEqual(['registered now']);
    expect((await db.collection('branches').doc('B01').get()).get('workbookId')).toBe(workbookId);
  });

  it('keeps Google sheet ids and local workbook ids apart in the ownership check', async () => {
    const edit = (spreadsheetId: string) => applySheetEdits(db, scheme, { branchId: 'B01', spreadsheetId, editor: 'li@bank', rows: [{ row: 2, customerId: 'C1', cells: { 工作单位: 'x' } }] }, today, deps.now);
    await db.collection('branches').doc('B01').set({ branchId: 'B01', spreadsheetId: 'SHEET-B01', workbookId });
    expect((await edit('SHEET-B01'))[0]!.accepted).toEqual(['工作单位']);
    expect((await edit(workbookId))[0]!.accepted).toEqual(['工作单位']);
    // a local id stored as the Google sheet does not make a local workbook the branch's, nor the other way round
    await db.collection('branches').doc('B01').set({ branchId: 'B01', spreadsheetId: workbookId, workbookId: 'SHEET-B01' });
    expect((await edit(workbookId))[0]!.refused).toEqual([{ column: '工作单位', zh: '此表格不属于该支行，修改未保存' }]);
    expect((await edit('SHEET-B01'))[0]!.refused).toEqual([{ column: '工作单位', zh: '此表格不属于该支行，修改未保存' }]);
  });
});
