import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPUTED_HEADERS } from '../../shared/sheets/branch-layout.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * `ladder adopt` with its options as an operator types them, the built CLI against the test run's
 * Firestore emulator: a workbook with two tabs that both look like the ledger (10月台账 and
 * 11月台账), a column whose header (移动电话号码) only the bank's synonyms file knows, and a
 * 制表 row above the header. `--tab`, `--header-row` and `--synonyms` settle it; `--dry-run
 * --json` prints the preview and writes nothing; a tab that is not there, a header row without
 * the key and bad option values exit 2 with why.
 *
 * The workbook (written below):
 * - 10月台账: row 1 the title (A1:F1 merged), row 2 the header, row 3 0031000001.
 * - 11月台账: row 1 the title (A1:F1 merged), row 2 「制表：王芳」, row 3 the header
 *   序号 | 客户编号 | 客户姓名 | 移动电话号码 | 风险等级 | 备注,
 *   row 4 0031000001 13800000001 C3, row 5 0031000002 13900000002, row 6 0032000001 (B02's).
 * Branch B01 has 0031000001 (mobile 13800000001 on record), 0031000002 and 0031000003.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const project = 'adopt-options-cli';
const { db, host, clear } = testFirestore(project);
const dir = mkdtempSync(join(tmpdir(), 'adopt-options-cli-'));
const ledger = join(dir, '城东支行台账.xlsx');
const words = join(dir, 'bank-synonyms.json');
const HEADER = ['序号', '客户编号', '客户姓名', '移动电话号码', '风险等级', '备注'];

function ladder(args: string[]) {
  const { FIRESTORE_EMULATOR_HOST: _h, GOOGLE_CLOUD_PROJECT: _p, ...base } = process.env;
  const run = spawnSync(process.execPath, [join(root, 'dist/functions/cli/ladder.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...base, FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function writeTwoMonthLedger(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const october = workbook.addWorksheet('10月台账');
  october.mergeCells('A1:F1');
  october.getCell('A1').value = '城东支行管户台账（2026年10月）';
  october.getRow(2).values = HEADER;
  october.getRow(3).values = [1, '0031000001', '张一', '13800000001', 'C3', ''];
  const november = workbook.addWorksheet('11月台账');
  november.mergeCells('A1:F1');
  november.getCell('A1').value = '城东支行管户台账（2026年11月）';
  november.getCell('A2').value = '制表：王芳';
  november.getRow(3).values = HEADER;
  november.getRow(4).values = [1, '0031000001', '张一', '13800000001', 'C3'];
  november.getRow(5).values = [2, '0031000002', '李二', '13900000002'];
  november.getRow(6).values = [3, '0032000001', '钱四'];
  await workbook.xlsx.writeFile(path);
}

beforeAll(async () => {
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', name: '城东支行', parentId: null, spreadsheetId: null, managers: [] });
  batch.set(db.collection('branches').doc('B02'), { branchId: 'B02', name: '城西支行', parentId: null, spreadsheetId: null, managers: [] });
  const customers: [string, string, Record<string, string>][] = [
    ['0031000001', 'B01', { mobile: '13800000001' }],
    ['0031000002', 'B01', {}],
    ['0031000003', 'B01', {}],
    ['0032000001', 'B02', {}],
  ];
  for (const [id, branchId, archive] of customers) batch.set(db.collection('customers').doc(id), { customerId: id, branchId, profile: { archive, servicePlan: {} } });
  await batch.commit();
  await writeTwoMonthLedger(ledger);
  writeFileSync(words, JSON.stringify({ 手机号码: ['移动电话号码'] }), 'utf8');
});
afterAll(async () => {
  await db.terminate();
});

describe('ladder adopt FILE.xlsx --branch B01 --tab --header-row --synonyms --dry-run --json', () => {
  it('previews 11月台账 with its header on row 3 and 移动电话号码 bound to 手机号码 by the bank’s word; nothing written', async () => {
    const before = hash(ledger);
    const run = ladder(['adopt', ledger, '--branch', 'B01', '--tab', '11月台账', '--header-row', '3', '--synonyms', words, '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('ladder adopt: dry run, nothing was written');
    const preview = JSON.parse(run.stdout);
    expect(preview).toMatchObject({ ok: true, tab: '11月台账', headerRow: 3, headerRows: 1, titleRows: [1, 2], keyColumn: 'B', applied: null });
    expect(preview.columns).toEqual([
      { column: 'A', columnNumber: 1, header: '序号', group: null, role: 'own', field: null, by: null },
      { column: 'B', columnNumber: 2, header: '客户编号', group: null, role: 'key', field: '客户号', by: 'synonym' },
      { column: 'C', columnNumber: 3, header: '客户姓名', group: null, role: 'own', field: null, by: null },
      { column: 'D', columnNumber: 4, header: '移动电话号码', group: null, role: 'editable', field: '手机号码', by: 'synonym' },
      { column: 'E', columnNumber: 5, header: '风险等级', group: null, role: 'editable', field: '风险特征', by: 'synonym' },
      { column: 'F', columnNumber: 6, header: '备注', group: null, role: 'own', field: null, by: null },
    ]);
    // rows 4 and 5 are B01's; row 6 is B02's
    expect(preview.matched).toBe(2);
    expect(preview.unmatched).toEqual([{ row: 6, value: '0032000001', reason: 'other-branch', zh: '第 6 行：客户 0032000001 属于其他支行（B02），本支行不能更新', en: 'row 6: customer 0032000001 belongs to branch B02' }]);
    // row 4: the mobile is the one on record (same), C3 is new; row 5: the mobile is new → 2 cells on 2 rows, 1 the same
    expect(preview.archive).toEqual({ rows: 2, cells: 2, same: 1 });
    expect(preview.conflicts).toEqual([]);
    // the computed columns go after F, the widest (the title is merged over A–F too)
    expect(preview.adds.filter((a: { kind: string }) => a.kind === 'column').map((a: { column: string; header: string }) => `${a.column}:${a.header}`)).toEqual(COMPUTED_HEADERS.map((h, i) => `${String.fromCharCode(71 + i)}:${h}`));
    expect(preview.adds.find((a: { kind: string }) => a.kind === 'listed')).toMatchObject({ tab: '未入台账', customers: ['0031000003'] });
    expect(preview.table).toEqual({ firstRow: 4, lastRow: 6, totalsRow: null, trailingFrom: null });

    // --dry-run: not the file, not its watcher snapshot, not the branch's registration
    expect(hash(ledger)).toBe(before);
    expect(existsSync(join(dir, '.ladder'))).toBe(false);
    expect((await db.collection('branches').doc('B01').get()).get('workbookId')).toBeUndefined();
    expect((await db.collection('editLog').limit(1).get()).empty).toBe(true);
  });

  it('without the synonyms file 移动电话号码 is the branch’s own column', () => {
    const run = ladder(['adopt', ledger, '--branch', 'B01', '--tab', '11月台账', '--header-row', '3', '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).columns[3]).toEqual({ column: 'D', columnNumber: 4, header: '移动电话号码', group: null, role: 'own', field: null, by: null });
  });

  it('without --tab the two tabs are ambiguous: exit 2, both named with their header rows', () => {
    const run = ladder(['adopt', ledger, '--branch', 'B01', '--synonyms', words, '--dry-run', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      problems: [
        {
          code: 'AMBIGUOUS_TAB',
          zh: '多个工作表都像客户台账（“10月台账”第 2 行、“11月台账”第 3 行）；请指定是哪一个工作表（命令行用 --tab，表格中按提示填写）',
          en: 'several tabs look like the ledger (10月台账 row 2, 11月台账 row 3); choose one with --tab',
        },
      ],
    });
  });

  it('--tab naming a tab that is not there: exit 2, TAB_NOT_FOUND with the tabs there are, in JSON and in words', () => {
    const json = ladder(['adopt', ledger, '--branch', 'B01', '--tab', '12月台账', '--dry-run', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, problems: [{ code: 'TAB_NOT_FOUND', zh: '找不到名为“12月台账”的工作表（现有：10月台账、11月台账）', en: 'no tab named "12月台账" (tabs: 10月台账, 11月台账)' }] });
    const plain = ladder(['adopt', ledger, '--branch', 'B01', '--tab', '12月台账', '--dry-run']);
    expect(plain.code).toBe(2);
    expect(plain.stdout).toBe('无法连接台账 (no binding):\n  ✗ 找不到名为“12月台账”的工作表（现有：10月台账、11月台账）\n');
  });

  it('--header-row on the 制表 row (2): exit 2, HEADER_ROW_WITHOUT_KEY', () => {
    const run = ladder(['adopt', ledger, '--branch', 'B01', '--tab', '11月台账', '--header-row', '2', '--dry-run', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).problems).toEqual([{ code: 'HEADER_ROW_WITHOUT_KEY', zh: '工作表“11月台账”第 2 行没有客户号列（如 客户编号）；请检查表头行，或用 --map 指定客户号列', en: 'row 2 of tab "11月台账" has no key column; check the header row or name the key with --map' }]);
  });

  const usage: { name: string; args: string[]; message: string }[] = [
    { name: 'a header row of 0', args: ['--header-row', '0'], message: 'ladder: --header-row must be a row number (1 or more), got "0"' },
    { name: 'a header row "x"', args: ['--header-row', 'x'], message: 'ladder: --header-row must be a row number (1 or more), got "x"' },
    { name: 'a --map without =', args: ['--map', '移动电话号码'], message: `ladder: --map must be THEIRS=LAYOUT (e.g. '联系电话=手机号码', or '备注=-' for a column of the branch's own), got "移动电话号码"` },
    { name: 'a synonyms file that is not there', args: ['--synonyms', join(dir, 'none.json')], message: `ladder: --synonyms ${join(dir, 'none.json')}: ENOENT: no such file or directory, open '${join(dir, 'none.json')}'` },
  ];
  for (const c of usage) {
    it(`${c.name}: a usage error, exit 2, the reason first on standard error, nothing on standard output`, () => {
      const run = ladder(['adopt', ledger, '--branch', 'B01', '--tab', '11月台账', '--dry-run', '--json', ...c.args]);
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')[0]).toBe(c.message);
      expect(run.stdout).toBe('');
    });
  }

  it('--map to a field the layout does not have: exit 2, MAP_FIELD_UNKNOWN', () => {
    const run = ladder(['adopt', ledger, '--branch', 'B01', '--tab', '11月台账', '--map', '移动电话号码=移动电话', '--dry-run', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).problems).toEqual([{ code: 'MAP_FIELD_UNKNOWN', zh: '--map 的“移动电话”不是系统的列名', en: '--map: "移动电话" is not a layout column' }]);
  });
});
