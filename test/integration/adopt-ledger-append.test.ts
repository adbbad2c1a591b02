import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFirestore } from '../../functions/config.js';
import { clearEmulator } from '../../functions/emulator/firestore-emulator.js';
import { branchCells, LEDGER_TAB, LEDGER_WIDTH, writeLedgerWorkbook } from '../support/ledger-workbook.js';

/**
 * `--missing append`: the branch's customers the ledger lacks get rows of their own after the
 * table's last row — only when nothing of the branch's is below the table. With a 合计 row below
 * it they are listed on 未入台账 instead, and the preview says why. The ledger is
 * test/support/ledger-workbook.ts: it holds B01's 0031000001 … 0031000003 on rows 5, 6 and 8 and
 * other rows down to 12; 0031000004 (with an address on record) is the one it lacks.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const project = 'adopt-ledger-append';
const host = inject('firestoreHost');
const db = createFirestore({ projectId: project, emulatorHost: host });
const today = DateTime.now().setZone('Asia/Shanghai');
const lastMonth = today.minus({ months: 1 });

function ladder(args: string[]) {
  const env = { ...process.env, FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project };
  const run = spawnSync(process.execPath, [join(root, 'dist/functions/cli/ladder.js'), ...args], { cwd: root, encoding: 'utf8', env });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  await clearEmulator(host, project);
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', name: '城东支行', parentId: null, spreadsheetId: null, managers: [] });
  const ids = ['0031000001', '0031000002', '0031000003', '0031000004'];
  ids.forEach((id, k) => {
    batch.set(db.collection('customers').doc(id), { customerId: id, branchId: 'B01', profile: { archive: id === '0031000004' ? { homeAddress: '城东路4号' } : {}, servicePlan: {} } });
    const daily = (k + 1) * 10_000_000;
    batch.set(db.collection('facts').doc(`${id}_${lastMonth.toFormat('yyyy-MM')}`), { customerId: id, branchId: 'B01', month: lastMonth.toFormat('yyyy-MM'), summary: { s: daily * lastMonth.daysInMonth!, e: daily, l: 0, c: 0, t: 0, p: ['DEP'] } });
  });
  await batch.commit();
});
afterAll(() => db.terminate());

describe('ladder adopt --missing append', () => {
  it('with a 合计 row below the table, lists the missing customers instead and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adopt-append-totals-'));
    const path = join(dir, 'ledger.xlsx');
    await writeLedgerWorkbook(path);
    const run = ladder(['adopt', path, '--branch', 'B01', '--missing', 'append', '--dry-run', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const added = JSON.parse(run.stdout).adds.filter((a: { kind: string }) => a.kind === 'listed' || a.kind === 'rows');
    expect(added).toEqual([{ kind: 'listed', tab: '未入台账', customers: ['0031000004'], zh: expect.stringContaining('合计行') }]);
  });

  it('with nothing below the table, gives them a row after its last one, with their archive in the bound columns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adopt-append-'));
    const path = join(dir, 'ledger.xlsx');
    await writeLedgerWorkbook(path, { totals: false });
    const preview = ladder(['adopt', path, '--branch', 'B01', '--missing', 'append', '--dry-run', '--json']);
    expect(JSON.parse(preview.stdout).adds.find((a: { kind: string }) => a.kind === 'rows')).toMatchObject({ fromRow: 13, customers: ['0031000004'] });
    expect(ladder(['adopt', path, '--branch', 'B01', '--missing', 'append']).code).toBe(0);
    const tabs = { [LEDGER_TAB]: { rows: 12, columns: LEDGER_WIDTH }, 说明: { rows: 1, columns: 1 }, 汇总: { rows: 1, columns: 2 } };
    const before = await branchCells(path, tabs);
    const nightly = ladder(['nightly', '--date', today.toISODate()!, '--workbooks', dir]);
    expect(nightly.code, nightly.stderr).toBe(0);
    expect(await branchCells(path, tabs)).toEqual(before);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.getWorksheet(LEDGER_TAB)!;
    // row 13: the key in 客户编号 (B), the address on record in 家庭地址 (F), the tier in 当前等级 (M); the branch's own columns empty
    expect([2, 6, 13].map((c) => String(sheet.getCell(13, c).value ?? ''))).toEqual(['0031000004', '城东路4号', '中银理财客户']);
    for (const c of [1, 3, 4, 9, 10, 12]) expect(sheet.getCell(13, c).value ?? null).toBeNull();
    // nothing listed: the ledger holds every customer now
    const missing = workbook.getWorksheet('未入台账')!;
    expect(missing.actualRowCount).toBe(1);
  });
});
