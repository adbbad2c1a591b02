import iconv from 'iconv-lite';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { runIngest } from '../../functions/ingest/run-ingest.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * The branch register through `ladder ingest` into the emulator: branches.csv and staff.csv
 * become branches/{id} in the shape the rest of the system reads, a re-ingest changes only
 * what the extracts carry (a branch's spreadsheetId and registered workbookId survive), and
 * every rejected row is kept on the run.
 */

const { db, clear } = testFirestore('branch-register-test');
const boc = bundledScheme('boc')!;
const now = () => new Date('2026-11-02T01:00:00Z');
const date = parseCivilDay('2026-11-02')!;

beforeEach(clear);
afterAll(() => db.terminate());

function extracts(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'register-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const ingest = (files: Record<string, string | Buffer>) => runIngest(db, { date, dir: extracts(files), scheme: boc, now });

async function branch(id: string) {
  const doc = await db.collection('branches').doc(id).get();
  return doc.exists ? doc.data() : null;
}

// GB18030 with Chinese headers, as a core system writes it
const BRANCHES = iconv.encode('机构号,机构名称,上级机构号\nHQ,总行,\nB01,城东支行,HQ\nB02,城西支行,HQ\n', 'gb18030');
const STAFF = '员工号,机构号,姓名,岗位\nB01-RM1,B01,王芳,理财经理\nB01-P,B01,李强,支行行长\nB02-RM1,B02,赵敏,客户经理\n';

describe('the branch register through ingest', () => {
  it('writes branches/{id} with name, parent and managers, in the shape writeBranches gives', async () => {
    const report = await ingest({ 'branches.csv': BRANCHES, 'staff.csv': STAFF });
    expect(report.rejections).toEqual([]);
    expect(report.files).toEqual([
      { kind: 'branches', encoding: 'gb18030', read: 3, accepted: 3, rejected: 0 },
      { kind: 'staff', encoding: 'utf-8', read: 3, accepted: 3, rejected: 0 },
    ]);
    expect(report.register).toEqual({ branchesWritten: 3, managersReplaced: 3 });
    expect(await branch('HQ')).toEqual({ branchId: 'HQ', name: '总行', parentId: null, spreadsheetId: null, managers: [] });
    expect(await branch('B01')).toEqual({
      branchId: 'B01',
      name: '城东支行',
      parentId: 'HQ',
      spreadsheetId: null,
      managers: [
        { managerId: 'B01-RM1', name: '王芳', role: 'wealth-manager' },
        { managerId: 'B01-P', name: '李强', role: 'branch-president' },
      ],
    });
    expect((await branch('B02'))?.['managers']).toEqual([{ managerId: 'B02-RM1', name: '赵敏', role: 'wealth-manager' }]);
    const run = await db.collection('runs').doc(report.runId).get();
    expect(run.get('branchesWritten')).toBe(3);
    expect(run.get('missing')).toEqual(['customers', 'fx', 'balances', 'cards', 'loans', 'holdings']);
  });

  it('keeps spreadsheetId and workbookId through a re-ingest, and replaces only what the extracts carry', async () => {
    await ingest({ 'branches.csv': BRANCHES, 'staff.csv': STAFF });
    await db.collection('branches').doc('B01').update({ spreadsheetId: 'sheet-B01', workbookId: 'xlsx:0b1c' });

    // renamed, and a new staff list: B01-P left, B01-RM2 came
    await ingest({ 'branches.csv': 'branch_id,name,parent_id\nB01,城东支行营业部,HQ\n', 'staff.csv': 'staff_id,branch_id,name,role\nB01-RM1,B01,王芳,wealth-manager\nB01-RM2,B01,孙丽,理财经理\n' });
    expect(await branch('B01')).toEqual({
      branchId: 'B01',
      name: '城东支行营业部',
      parentId: 'HQ',
      spreadsheetId: 'sheet-B01',
      workbookId: 'xlsx:0b1c',
      managers: [
        { managerId: 'B01-RM1', name: '王芳', role: 'wealth-manager' },
        { managerId: 'B01-RM2', name: '孙丽', role: 'wealth-manager' },
      ],
    });

    // branches.csv alone, without a parent column: the name changes, the managers and the parent stay
    await ingest({ 'branches.csv': 'branch_id,name\nB01,城东支行\n' });
    const b01 = await branch('B01');
    expect(b01).toMatchObject({ name: '城东支行', parentId: 'HQ', spreadsheetId: 'sheet-B01', workbookId: 'xlsx:0b1c' });
    expect(b01?.['managers']).toHaveLength(2);

    // staff.csv alone, for a stored branch: its managers only
    await ingest({ 'staff.csv': 'staff_id,branch_id,name,role\nB01-H,B01,周杰,网点负责人\n' });
    expect(await branch('B01')).toEqual({ branchId: 'B01', name: '城东支行', parentId: 'HQ', spreadsheetId: 'sheet-B01', workbookId: 'xlsx:0b1c', managers: [{ managerId: 'B01-H', name: '周杰', role: 'outlet-head' }] });
    // B02, in neither file, kept its staff
    expect((await branch('B02'))?.['managers']).toEqual([{ managerId: 'B02-RM1', name: '赵敏', role: 'wealth-manager' }]);
  });

  it('rejects bad rows with where and why, on the run and in the report, and stores the rest', async () => {
    await ingest({ 'branches.csv': 'branch_id,name\nHQ,总行\n' });
    const report = await ingest({
      'branches.csv': 'branch_id,name,parent_id\nB01,城东支行,HQ\nB01,重复,HQ\nB03,城南支行,ZZ\n',
      'staff.csv': 'staff_id,branch_id,name,role\nS1,B01,王芳,理财经理\nS2,B09,李强,理财经理\nS3,HQ,赵敏,柜台\nS1,HQ,王芳,柜员\nS4,HQ,钱多,分管行长\n',
    });
    expect(report.rejections.map((r) => [r.file, r.line, r.column, r.branchId])).toEqual([
      ['branches.csv', 3, 'branch_id', 'B01'],
      ['branches.csv', 4, 'parent_id', 'B03'],
      ['staff.csv', 3, 'branch_id', 'B09'],
      ['staff.csv', 4, 'role', 'HQ'],
      ['staff.csv', 5, 'staff_id', 'HQ'],
    ]);
    expect(report.files).toEqual([
      { kind: 'branches', encoding: 'utf-8', read: 3, accepted: 2, rejected: 1 },
      { kind: 'staff', encoding: 'utf-8', read: 5, accepted: 2, rejected: 3 },
    ]);
    // B03 stored without the unknown parent; HQ's staff replaced (it was named in staff.csv)
    expect(await branch('B03')).toEqual({ branchId: 'B03', name: '城南支行', parentId: null, spreadsheetId: null, managers: [] });
    expect((await branch('B01'))?.['name']).toBe('城东支行');
    expect((await branch('HQ'))?.['managers']).toEqual([{ managerId: 'S4', name: '钱多', role: 'vice-president' }]);
    expect(await branch('B09')).toBeNull();

    const run = await db.collection('runs').doc(report.runId).get();
    expect(run.get('rejected')).toBe(5);
    const stored = (await run.ref.collection('rejects').orderBy('__name__').get()).docs.map((d) => d.data());
    expect(stored[2]).toEqual({ file: 'staff.csv', line: 3, column: 'branch_id', customerId: null, branchId: 'B09', reason: 'names branch B09, which is neither in branches.csv nor in Firestore', raw: 'S2,B09,李强,理财经理' });
    expect(stored[3]?.['reason']).toContain('must be one of wealth-manager 理财经理');
  });
});
