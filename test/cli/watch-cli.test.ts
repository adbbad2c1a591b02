import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFirestore } from '../../functions/config.js';
import { clearEmulator } from '../../functions/emulator/firestore-emulator.js';
import { writeBranchWorkbook } from '../../functions/sheets/xlsx-branch-workbook.js';
import { COMPUTED_HEADERS, CUSTOMER_TAB, KPI_TAB, PROMOTION_TAB, TASKS_TAB, WATCH_TAB } from '../../shared/sheets/branch-layout.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';

/**
 * `ladder watch DIR` as an operator runs it, against the test run's Firestore emulator: `--once`
 * (what cron runs), and the loop itself on a real folder with fs.watch, stopped with SIGINT.
 * The command reads today's date from the clock, so the seeded month is last month.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const ladderJs = join(root, 'dist/functions/cli/ladder.js');
const project = 'watch-cli-test';
const host = inject('firestoreHost');
const db = createFirestore({ projectId: project, emulatorHost: host });

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base['FIRESTORE_EMULATOR_HOST'];
  delete base['GOOGLE_CLOUD_PROJECT'];
  return { ...base, ...extra };
}
const storeEnv = { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: project };

function ladder(args: string[], env: Record<string, string> = storeEnv) {
  const run = spawnSync(process.execPath, [ladderJs, ...args], { cwd: root, encoding: 'utf8', env: cleanEnv(env) });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const lastMonth = DateTime.now().setZone('Asia/Shanghai').minus({ months: 1 });

async function newWorkbookFolder(): Promise<{ dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'watch-cli-'));
  const path = join(dir, 'B01.xlsx');
  const placeholders = Object.fromEntries(COMPUTED_HEADERS.map((h) => [h, `…${h}`])) as ComputedCells;
  await writeBranchWorkbook(path, { branchId: 'B01', customers: { computed: new Map([['C1', placeholders]]) }, lists: { [PROMOTION_TAB]: [], [WATCH_TAB]: [], [TASKS_TAB]: [], [KPI_TAB]: [] } });
  return { dir, path };
}

async function managerSaves(path: string, values: Record<string, string>): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.getWorksheet(CUSTOMER_TAB)!;
  const headers = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  for (const [header, value] of Object.entries(values)) sheet.getRow(2).getCell(headers.indexOf(header)).value = value;
  workbook.lastModifiedBy = '王经理';
  await workbook.xlsx.writeFile(path);
}

async function cellOfC1(path: string, header: string): Promise<{ value: unknown; note: string }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.getWorksheet(CUSTOMER_TAB)!;
  const headers = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  const cell = sheet.getRow(2).getCell(headers.indexOf(header));
  const note = cell.note === undefined ? '' : typeof cell.note === 'string' ? cell.note : (cell.note.texts ?? []).map((t) => t.text).join('');
  return { value: cell.value, note };
}

beforeAll(async () => {
  await clearEmulator(host, project);
  const days = lastMonth.daysInMonth!;
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', spreadsheetId: null });
  batch.set(db.collection('customers').doc('C1'), { customerId: 'C1', branchId: 'B01', profile: { archive: {} } });
  // last month: 300,000.00 yuan = 30,000,000 fen on each of its days → licai (≥ 200,000 a day) this month
  batch.set(db.collection('facts').doc(`C1_${lastMonth.toFormat('yyyy-MM')}`), { customerId: 'C1', branchId: 'B01', month: lastMonth.toFormat('yyyy-MM'), summary: { s: 30_000_000 * days, e: 30_000_000, l: 0, c: 0, t: 0, p: ['DEP'] } });
  await batch.commit();
});
afterAll(async () => {
  await clearEmulator(host, project);
  await db.terminate();
});

describe('ladder watch', () => {
  it('--once: says an unregistered workbook’s edits would be refused; --register makes it the branch’s, and the edits go through', async () => {
    const { dir, path } = await newWorkbookFolder();
    const unregistered = ladder(['watch', dir, '--once']);
    expect(unregistered.stderr).toContain("B01.xlsx (xlsx:");
    expect(unregistered.stderr).toContain("is not branch B01's registered workbook");
    expect(unregistered.code).toBe(0); // nothing was edited yet: nothing sent

    await managerSaves(path, { 工作单位: '市第一医院', 风险特征: 'C9' });
    const run = ladder(['watch', dir, '--once', '--register']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/B01\.xlsx registered as branch B01's workbook xlsx:/);
    expect(run.stderr).toContain('ladder watch: B01.xlsx (branch B01): 1 rows sent, 1 cells accepted, 1 refused, 1 rows recomputed; written back: 11 computed cells, 1 notes set, 0 notes cleared');
    expect((await db.collection('customers').doc('C1').get()).get('profile.archive')).toEqual({ employer: '市第一医院' });
    const log = (await db.collection('editLog').get()).docs.map((d) => d.data());
    expect(log.map((e) => [e.column, e.accepted, e.editor]).sort()).toEqual([
      ['工作单位', true, '王经理'],
      ['风险特征', false, '王经理'],
    ]);
    expect(await cellOfC1(path, '当前等级')).toEqual({ value: '中银理财客户', note: '' });
    expect((await cellOfC1(path, '风险特征')).note).toBe('【未保存】风险特征应为C1–C5之一');

    const again = ladder(['watch', dir, '--once']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('ladder watch: B01.xlsx: unchanged since it was last processed');
    expect((await db.collection('editLog').get()).size).toBe(2);
  });

  it('--once: names a workbook it cannot read and exits 1', async () => {
    const { dir } = await newWorkbookFolder();
    writeFileSync(join(dir, 'B02.xlsx'), 'PK\u0003\u0004 not really a workbook');
    const run = ladder(['watch', dir, '--once']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ladder watch: B02\.xlsx could not be processed: is not a readable \.xlsx workbook/);
  });

  it('usage and configuration errors exit 2', () => {
    const noDir = ladder(['watch']);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain('DIR is required');
    const noStore = ladder(['watch', tmpdir(), '--once'], {});
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toContain('set FIRESTORE_EMULATOR_HOST');
  });

  it('the loop: a save in the watched folder is processed and written back; Ctrl-C stops it, exit 0', async () => {
    const { dir, path } = await newWorkbookFolder();
    expect(ladder(['watch', dir, '--once', '--register']).code).toBe(0);
    const child = spawn(process.execPath, [ladderJs, 'watch', dir], { cwd: root, env: cleanEnv(storeEnv) });
    let stderr = '';
    const waiters: { text: string; resolve: () => void }[] = [];
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      for (const w of waiters.filter((x) => stderr.includes(x.text))) w.resolve();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Bounded waits for what the watcher says (never a measured duration).
    const saying = (text: string) =>
      new Promise<void>((resolve, reject) => {
        if (stderr.includes(text)) return resolve();
        const timer = setTimeout(() => reject(new Error(`the watcher did not say "${text}"; it said:\n${stderr}`)), 20_000);
        waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) });
      });
    try {
      await saying('watching');
      // an editor's lock file appears beside the workbook, then the save
      writeFileSync(join(dir, '.~lock.B01.xlsx#'), ',王经理,host,;');
      await managerSaves(path, { 家庭住址: '上海市浦东新区' });
      await saying('1 rows sent, 1 cells accepted, 0 refused');
      expect((await db.collection('customers').doc('C1').get()).get('profile.archive.homeAddress')).toBe('上海市浦东新区');
      expect(await cellOfC1(path, '家庭住址')).toEqual({ value: '上海市浦东新区', note: '' });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('ladder watch: stopped');
    expect(stderr).not.toContain('.~lock');
  });
});
