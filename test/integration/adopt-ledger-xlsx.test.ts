import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFirestore } from '../../functions/config.js';
import { clearEmulator } from '../../functions/emulator/firestore-emulator.js';
import { COMPUTED_HEADERS } from '../../shared/sheets/branch-layout.js';
import { expectTestLedgerPreview } from '../support/ledger-preview-expectations.js';
import { branchCells, LEDGER_ROWS, LEDGER_TAB, LEDGER_WIDTH, writeLedgerWorkbook } from '../support/ledger-workbook.js';

/**
 * Adopting a branch's own .xlsx ledger as an operator does it, through the CLI against the test
 * run's Firestore emulator: the preview (`--dry-run --json`, nothing written), the adoption
 * (binding recorded, workbook registered, archive read in through the sheet-edit path, conflicts
 * left alone), the nightly run writing the ledger in place under any file name, a manager who
 * sorts rows and inserts a column, the next nightly run, and `ladder watch` reading an edit.
 * Every one of the branch's own cells (values, formulas, merges, the other tabs) is compared
 * before and after each run. The ledger (test/support/ledger-workbook.ts) says row by row what it
 * holds; the expected answers below are worked out from it.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const ladderJs = join(root, 'dist/functions/cli/ladder.js');
const project = 'adopt-ledger-xlsx';
const host = inject('firestoreHost');
const db = createFirestore({ projectId: project, emulatorHost: host });
const today = DateTime.now().setZone('Asia/Shanghai');
const lastMonth = today.minus({ months: 1 });
const dir = mkdtempSync(join(tmpdir(), 'adopt-ledger-'));
const ledger = join(dir, '城东支行管户台账.xlsx');

function ladder(args: string[]) {
  const env = { ...process.env, FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project };
  const run = spawnSync(process.execPath, [ladderJs, ...args], { cwd: root, encoding: 'utf8', env });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const B01 = ['0031000001', '0031000002', '0031000003', '0031000004', '0031000005', '0031000006'];

beforeAll(async () => {
  await clearEmulator(host, project);
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', name: '城东支行', parentId: null, spreadsheetId: null, managers: [] });
  batch.set(db.collection('branches').doc('B02'), { branchId: 'B02', name: '城西支行', parentId: null, spreadsheetId: null, managers: [] });
  const customers: [string, string, Record<string, string>][] = [
    ...B01.map((id): [string, string, Record<string, string>] => [id, 'B01', {}]),
    ['0032000001', 'B02', {}],
  ];
  // what the bank's master already holds: 0031000001's mobile agrees with the ledger, 0031000002's does not
  customers[0]![2] = { mobile: '13800000001' };
  customers[1]![2] = { mobile: '13800000002' };
  const days = lastMonth.daysInMonth!;
  customers.forEach(([id, branchId, archive], k) => {
    batch.set(db.collection('customers').doc(id), { customerId: id, branchId, profile: { archive, servicePlan: {} } });
    // (k + 1) × 100,000.00 yuan each day of last month: 0031000002 onwards are 中银理财 (≥ 200,000)
    const daily = (k + 1) * 10_000_000;
    batch.set(db.collection('facts').doc(`${id}_${lastMonth.toFormat('yyyy-MM')}`), { customerId: id, branchId, month: lastMonth.toFormat('yyyy-MM'), summary: { s: daily * days, e: daily, l: 0, c: 0, t: 0, p: ['DEP'] } });
  });
  await batch.commit();
  await writeLedgerWorkbook(ledger);
});
afterAll(async () => {
  await db.terminate();
});

const BRANCH_TABS = { [LEDGER_TAB]: { rows: LEDGER_ROWS, columns: LEDGER_WIDTH }, 说明: { rows: 1, columns: 1 }, 汇总: { rows: 1, columns: 2 } };

async function ledgerSheet(path = ledger): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook.getWorksheet(LEDGER_TAB)!;
}
const text = (sheet: ExcelJS.Worksheet, row: number, column: number) => String(sheet.getCell(row, column).value ?? '');

describe('ladder adopt FILE.xlsx', () => {
  it('previews with --dry-run --json: what was recognised, every row that is not the branch’s and why, what the first night adds; nothing is written', () => {
    const before = hash(ledger);
    const run = ladder(['adopt', ledger, '--branch', 'B01', '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const preview = JSON.parse(run.stdout);
    expectTestLedgerPreview(preview);
    expect(hash(ledger)).toBe(before);
  });

  it('exits 2 with why when no binding can be found, and says it in the text report too', async () => {
    const bare = join(mkdtempSync(join(tmpdir(), 'adopt-no-key-')), 'no-key.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRow(['姓名', '电话']);
    await workbook.xlsx.writeFile(bare);
    const json = ladder(['adopt', bare, '--branch', 'B01', '--dry-run', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problems: [{ code: 'NO_KEY_COLUMN' }] });
    const plain = ladder(['adopt', bare, '--branch', 'B01', '--dry-run']);
    expect(plain.code).toBe(2);
    expect(plain.stdout).toContain('找不到客户号列');
  });

  it('adopts: binding recorded, workbook registered, archive read in through the sheet-edit path, conflicts and refusals reported; the branch’s cells unchanged', async () => {
    const before = await branchCells(ledger, BRANCH_TABS);
    const run = ladder(['adopt', ledger, '--branch', 'B01', '--json', '--editor', 'wang@branch']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.applied.registration).toBe('registered now');
    expect(report.applied.archive.accepted).toBe(3);
    expect(report.applied.archive.refused).toEqual([{ row: 8, customerId: '0031000003', field: '手机号码', zh: expect.stringContaining('手机号码') }]);
    expect(await branchCells(ledger, BRANCH_TABS)).toEqual(before);

    const branch = await db.collection('branches').doc('B01').get();
    expect(branch.get('workbookId')).toMatch(/^xlsx:/);
    const one = await db.collection('customers').doc('0031000001').get();
    expect(one.get('profile.archive')).toEqual({ mobile: '13800000001', homeAddress: '城东路1号', riskProfile: 'C3' });
    const two = await db.collection('customers').doc('0031000002').get();
    expect(two.get('profile.archive.mobile')).toBe('13800000002');
    const three = await db.collection('customers').doc('0031000003').get();
    expect(three.get('profile.archive')).toEqual({ employer: '市医院' });
    const log = await db.collection('editLog').where('branchId', '==', 'B01').get();
    expect(log.docs.map((d) => `${d.get('customerId')} ${d.get('column')} ${d.get('accepted')}`).sort()).toEqual(['0031000001 家庭住址 true', '0031000001 风险特征 true', '0031000003 工作单位 true', '0031000003 手机号码 false']);
  });

  it('the nightly run writes the adopted ledger in place: computed columns after its last column, nothing of the branch’s touched, missing customers listed', async () => {
    const before = await branchCells(ledger, BRANCH_TABS);
    const run = ladder(['nightly', '--date', today.toISODate()!, '--workbooks', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(await branchCells(ledger, BRANCH_TABS)).toEqual(before);
    const sheet = await ledgerSheet();
    COMPUTED_HEADERS.forEach((h, i) => expect(text(sheet, 4, 13 + i)).toBe(h));
    // 0031000001 averaged 100,000 last month: 普通客户; 0031000002 200,000: 中银理财客户
    expect(text(sheet, 5, 13)).toBe('普通客户');
    expect(text(sheet, 6, 13)).toBe('中银理财客户');
    // rows that are not the branch's, the blank row, the totals row, the titles: nothing in the computed columns
    for (const row of [1, 2, 3, 7, 9, 10, 11, 12, 13, 14, 15]) for (let c = 13; c <= 23; c++) expect(text(sheet, row, c), `row ${row} column ${c}`).toBe('');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(ledger);
    const missing = workbook.getWorksheet('未入台账')!;
    expect([2, 3, 4].map((r) => String(missing.getCell(r, 1).value))).toEqual(['0031000004', '0031000005', '0031000006']);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['说明', LEDGER_TAB, '汇总', '升级名单', '降级预警', '待办', '考核', '未入台账', '_ladder']);

    // adopting it again (the same mapping) is a no-op preview: the system's columns are its own, nothing more to add
    const again = ladder(['adopt', ledger, '--branch', 'B01', '--dry-run', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const preview = JSON.parse(again.stdout);
    expect(preview.columns.filter((c: { role: string }) => c.role === 'computed').map((c: { column: string; field: string }) => `${c.column}:${c.field}`)).toEqual(COMPUTED_HEADERS.map((h, i) => `${String.fromCharCode(77 + i)}:${h}`));
    expect(preview.adds.filter((a: { kind: string }) => a.kind === 'column' || a.kind === 'tab')).toEqual([]);
    expect(preview.notes).toEqual([]);
    // another mapping is refused until the ledger is unbound
    const other = ladder(['adopt', ledger, '--branch', 'B01', '--dry-run', '--json', '--map', '手机=-']);
    expect(other.code).toBe(2);
    expect(JSON.parse(other.stdout).problems[0].code).toBe('ALREADY_BOUND');
  });

  it('a manager sorts the rows and inserts a column: the next nightly run still writes each customer’s figures on its own row and column, and keeps the branch’s cells', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(ledger);
    const sheet = workbook.getWorksheet(LEDGER_TAB)!;
    // sort: rows 5 and 6 change places (every cell of the row, the computed ones too)
    const five = (sheet.getRow(5).values as ExcelJS.CellValue[]).slice(1);
    const six = (sheet.getRow(6).values as ExcelJS.CellValue[]).slice(1);
    sheet.getRow(5).values = six;
    sheet.getRow(6).values = five;
    // a column of the manager's own, inserted after 客户姓名 (C): everything from D moves right
    sheet.spliceColumns(4, 0, ['性别', '性别', '', '', '女', '男']);
    await workbook.xlsx.writeFile(ledger);
    const before = await branchCells(ledger, { ...BRANCH_TABS, [LEDGER_TAB]: { rows: LEDGER_ROWS, columns: LEDGER_WIDTH + 1 } });

    const run = ladder(['nightly', '--date', today.toISODate()!, '--workbooks', dir, '--rerun']);
    expect(run.code, run.stderr).toBe(0);
    const after = await branchCells(ledger, { ...BRANCH_TABS, [LEDGER_TAB]: { rows: LEDGER_ROWS, columns: LEDGER_WIDTH + 1 } });
    expect(after).toEqual(before);
    const moved = await ledgerSheet();
    expect(text(moved, 5, 2)).toBe('0031000002');
    COMPUTED_HEADERS.forEach((h, i) => expect(text(moved, 4, 14 + i)).toBe(h));
    expect(text(moved, 5, 14)).toBe('中银理财客户');
    expect(text(moved, 6, 14)).toBe('普通客户');
    // nothing appended a second time
    for (let c = 25; c <= 36; c++) expect(text(moved, 4, c)).toBe('');
  });

  it('ladder watch reads a manager’s edit of the ledger through the sheet-edit path', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(ledger);
    const sheet = workbook.getWorksheet(LEDGER_TAB)!;
    // row 8 is 0031000003; 手机 is column F since the manager's column went in at D
    expect(String(sheet.getCell(8, 2).value)).toBe('0031000003');
    sheet.getCell(8, 6).value = '13700000003';
    workbook.lastModifiedBy = '王芳';
    await workbook.xlsx.writeFile(ledger);
    const run = ladder(['watch', dir, '--once']);
    expect(run.code, run.stderr).toBe(0);
    const three = await db.collection('customers').doc('0031000003').get();
    expect(three.get('profile.archive.mobile')).toBe('13700000003');
  });

  it('ladder unbind gives the ledger back: the system’s columns emptied, its tabs, tags and identity gone, the branch’s cells as they were, no longer registered', async () => {
    const tabs = { ...BRANCH_TABS, [LEDGER_TAB]: { rows: LEDGER_ROWS, columns: LEDGER_WIDTH + 1 } };
    const before = await branchCells(ledger, tabs);
    const run = ladder(['unbind', ledger]);
    expect(run.code, run.stderr).toBe(0);
    expect(await branchCells(ledger, tabs)).toEqual(before);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(ledger);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['说明', LEDGER_TAB, '汇总']);
    expect((workbook.definedNames as unknown as { model: unknown[] }).model).toEqual([]);
    const sheet = workbook.getWorksheet(LEDGER_TAB)!;
    for (let row = 1; row <= LEDGER_ROWS; row++) for (let c = 14; c <= 24; c++) expect(text(sheet, row, c), `row ${row} column ${c}`).toBe('');
    expect((await db.collection('branches').doc('B01').get()).get('workbookId')).toBeNull();
    // and it can be adopted again, as any ledger
    const again = ladder(['adopt', ledger, '--branch', 'B01', '--dry-run', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, headerRow: 4, keyColumn: 'B', matched: 3 });
  });
});
