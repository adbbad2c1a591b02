import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readExtractFiles } from '../../functions/ingest/read-extracts.js';
import { branchIdsNamed, readBranchRegister, roleOf } from '../../shared/ingest/branch-register.js';
import type { RowRejection } from '../../shared/ingest/ingest-files.js';

/**
 * The branch register extracts (branches.csv, staff.csv) from bytes to branches and managers:
 * headers in English or Chinese, UTF-8 or GB18030, and every rejection with its file, line,
 * column, branch and raw line. Expected values are written out by hand.
 */

type Files = Record<string, string | Uint8Array>;

function read(files: Files, stored: readonly string[] = []) {
  const bytes = new Map(Object.entries(files).map(([name, content]) => [name, typeof content === 'string' ? new TextEncoder().encode(content) : content]));
  const extracts = readExtractFiles(bytes);
  const rowsOf = (kind: string) => extracts.files.find((f) => f.kind === kind)?.rows;
  const rows = { branches: rowsOf('branches'), staff: rowsOf('staff') };
  return { extracts, rows, register: readBranchRegister(rows, new Set(stored)) };
}

const gb = (text: string) => iconv.encode(text, 'gb18030');
const BRANCHES = 'branch_id,name,parent_id\nHQ,总行,\nB01,城东支行,HQ\n';

describe('branch register headers and encodings', () => {
  it('reads Chinese headers in GB18030 and in UTF-8, in any column order', () => {
    const { extracts, register } = read({
      'branches.csv': gb('上级机构号,机构号,机构名称\n,HQ,总行\nHQ,B01,城东支行\n'),
      'staff.csv': '人员编号,姓名,机构号,角色,其他\nB01-RM1,王芳,B01,理财经理,x\nB01-P,李强,B01,支行行长,y\n',
    });
    expect(extracts.files.map((f) => [f.kind, f.encoding])).toEqual([
      ['branches', 'gb18030'],
      ['staff', 'utf-8'],
    ]);
    expect(extracts.rejections).toEqual([]);
    expect(register.rejections).toEqual([]);
    expect(register.branches).toEqual([
      { branchId: 'HQ', name: '总行', parentId: null },
      { branchId: 'B01', name: '城东支行', parentId: 'HQ' },
    ]);
    expect([...register.managers!]).toEqual([
      ['HQ', []],
      [
        'B01',
        [
          { managerId: 'B01-RM1', name: '王芳', role: 'wealth-manager' },
          { managerId: 'B01-P', name: '李强', role: 'branch-president' },
        ],
      ],
    ]);
    expect(register.counts).toEqual({ branches: { read: 2, accepted: 2, rejected: 0 }, staff: { read: 2, accepted: 2, rejected: 0 } });
  });

  it('reads staff.csv in GB18030 with 员工号 and 岗位', () => {
    const { extracts, register } = read({ 'branches.csv': BRANCHES, 'staff.csv': gb('员工号,机构号,姓名,岗位\nB01-H,B01,赵敏,网点负责人\n') });
    expect(extracts.files.find((f) => f.kind === 'staff')?.encoding).toBe('gb18030');
    expect(register.managers!.get('B01')).toEqual([{ managerId: 'B01-H', name: '赵敏', role: 'outlet-head' }]);
  });

  it('keeps 机构名称 in the customer master from being taken for the customer’s name', () => {
    const { extracts } = read({ 'customers.csv': gb('客户号,机构号,机构名称,客户姓名\nC1,B01,城东支行,张三\n') });
    expect(extracts.files[0]!.rows[0]!.cells['name']).toBe('张三');
  });

  it('rejects a register file whose header lacks a required column, whole; its absence is not “missing”', () => {
    const { extracts, register } = read({ 'branches.csv': BRANCHES, 'staff.csv': 'staff_id,branch_id,name\nS1,B01,王芳\n' });
    expect(extracts.rejections).toEqual([{ file: 'staff.csv', line: 1, column: 'role', customerId: null, reason: 'the header has no role column; the whole file was not used', raw: 'staff_id,branch_id,name' }]);
    // an unreadable staff.csv is as if not sent: no branch's managers change
    expect(register.managers).toBeNull();
    expect(read({ 'balances.csv': 'customer_id,account_id,product,currency,balance\n' }).extracts.missing).toEqual(['customers', 'fx', 'cards', 'loans', 'holdings']);
  });
});

describe('role words', () => {
  it.each([
    ['wealth-manager', 'wealth-manager'],
    ['Wealth-Manager', 'wealth-manager'],
    ['理财经理', 'wealth-manager'],
    ['客户经理', 'wealth-manager'],
    ['支行行长', 'branch-president'],
    [' 网点负责人 ', 'outlet-head'],
    ['分管行长', 'vice-president'],
    ['大堂经理', 'lobby-manager'],
    ['柜员', 'teller'],
    ['teller', 'teller'],
    ['柜台', null],
    ['manager', null],
    ['', null],
  ])('%j → %j', (word, role) => {
    expect(roleOf(word)).toBe(role);
  });
});

interface Case {
  name: string;
  files: Files;
  stored?: string[];
  rejections: Partial<RowRejection>[];
  branches?: unknown[];
  managers?: [string, unknown[]][] | null;
}

const STAFF_HEADER = 'staff_id,branch_id,name,role\n';
const long = (n: number) => 'x'.repeat(n);

describe('located rejections', () => {
  const cases: Case[] = [
    {
      name: 'a branch row with no id',
      files: { 'branches.csv': 'branch_id,name\n,城东支行\n' },
      rejections: [{ file: 'branches.csv', line: 2, column: 'branch_id', branchId: null, customerId: null, reason: 'is empty', raw: ',城东支行' }],
      branches: [],
    },
    {
      name: 'a branch id that cannot name a document',
      files: { 'branches.csv': 'branch_id,name\nB/1,城东支行\n' },
      rejections: [{ line: 2, column: 'branch_id', branchId: 'B/1', reason: 'must not contain "/"' }],
      branches: [],
    },
    {
      name: 'a branch id of 101 characters',
      files: { 'branches.csv': `branch_id,name\n${long(101)},城东支行\n` },
      rejections: [{ line: 2, column: 'branch_id', reason: 'is 101 characters long; a branch number has at most 100' }],
      branches: [],
    },
    {
      name: 'a branch with no name',
      files: { 'branches.csv': 'branch_id,name\nB01, \n' },
      rejections: [{ line: 2, column: 'name', branchId: 'B01', reason: 'is empty' }],
      branches: [],
    },
    {
      name: 'a branch name of 201 characters',
      files: { 'branches.csv': `branch_id,name\nB01,${long(201)}\n` },
      rejections: [{ line: 2, column: 'name', branchId: 'B01', reason: 'is 201 characters long, at most 200' }],
      branches: [],
    },
    {
      name: 'a branch twice: the first row is kept',
      files: { 'branches.csv': 'branch_id,name\nB01,城东支行\nB01,城西支行\n' },
      rejections: [{ line: 3, column: 'branch_id', branchId: 'B01', reason: 'branch B01 appears twice in branches.csv; the first row is kept', raw: 'B01,城西支行' }],
      branches: [{ branchId: 'B01', name: '城东支行' }],
    },
    {
      name: 'a parent in neither file nor store: the branch is kept, the parent cell is not used',
      files: { 'branches.csv': 'branch_id,name,parent_id\nB01,城东支行,ZZ\n' },
      rejections: [{ line: 2, column: 'parent_id', branchId: 'B01', reason: 'names branch ZZ, which is neither in branches.csv nor in Firestore; the cell was not used (the parent stored, if any, is kept)' }],
      branches: [{ branchId: 'B01', name: '城东支行' }],
    },
    {
      name: 'a parent already stored',
      files: { 'branches.csv': 'branch_id,name,parent_id\nB01,城东支行,HQ\n' },
      stored: ['HQ'],
      rejections: [],
      branches: [{ branchId: 'B01', name: '城东支行', parentId: 'HQ' }],
    },
    {
      name: 'a parent later in the file',
      files: { 'branches.csv': 'branch_id,name,parent_id\nB01,城东支行,HQ\nHQ,总行,\n' },
      rejections: [],
      branches: [
        { branchId: 'B01', name: '城东支行', parentId: 'HQ' },
        { branchId: 'HQ', name: '总行', parentId: null },
      ],
    },
    {
      name: 'a branch its own parent',
      files: { 'branches.csv': 'branch_id,name,parent_id\nB01,城东支行,B01\n' },
      rejections: [{ line: 2, column: 'parent_id', branchId: 'B01', reason: 'names the branch itself as its parent; the cell was not used (the parent stored, if any, is kept)' }],
      branches: [{ branchId: 'B01', name: '城东支行' }],
    },
    {
      name: 'a loop of parents: each branch in it is told',
      files: { 'branches.csv': 'branch_id,name,parent_id\nA,甲,B\nB,乙,A\nC,丙,A\n' },
      rejections: [
        { line: 2, column: 'parent_id', branchId: 'A', reason: 'would make a loop of parents (A → B → A); the cell was not used (the parent stored, if any, is kept)' },
        { line: 3, column: 'parent_id', branchId: 'B', reason: 'would make a loop of parents (B → A → B); the cell was not used (the parent stored, if any, is kept)' },
      ],
      branches: [
        { branchId: 'A', name: '甲' },
        { branchId: 'B', name: '乙' },
        { branchId: 'C', name: '丙', parentId: 'A' },
      ],
    },
    {
      name: 'no parent_id column: the parent is not said, so not touched',
      files: { 'branches.csv': 'branch_id,name\nB01,城东支行\n' },
      rejections: [],
      branches: [{ branchId: 'B01', name: '城东支行' }],
    },
    {
      name: 'a staff member of a branch in neither file nor store',
      files: { 'branches.csv': BRANCHES, 'staff.csv': `${STAFF_HEADER}S1,B09,王芳,理财经理\n` },
      rejections: [{ file: 'staff.csv', line: 2, column: 'branch_id', branchId: 'B09', customerId: null, reason: 'names branch B09, which is neither in branches.csv nor in Firestore', raw: 'S1,B09,王芳,理财经理' }],
      managers: [
        ['HQ', []],
        ['B01', []],
      ],
    },
    {
      name: 'a staff member of a branch whose row was rejected, not stored',
      files: { 'branches.csv': 'branch_id,name\nB01,\n', 'staff.csv': `${STAFF_HEADER}S1,B01,王芳,理财经理\n` },
      rejections: [
        { file: 'branches.csv', line: 2, column: 'name', branchId: 'B01', reason: 'is empty' },
        { file: 'staff.csv', line: 2, column: 'branch_id', branchId: 'B01', reason: 'names branch B01, whose row in branches.csv was rejected and which is not in Firestore' },
      ],
      managers: [],
    },
    {
      name: 'a staff member of a stored branch branches.csv does not carry',
      files: { 'staff.csv': `${STAFF_HEADER}S1,B05,王芳,理财经理\n` },
      stored: ['B05'],
      rejections: [],
      managers: [['B05', [{ managerId: 'S1', name: '王芳', role: 'wealth-manager' }]]],
    },
    {
      name: 'a staff member twice: the first row is kept',
      files: { 'branches.csv': BRANCHES, 'staff.csv': `${STAFF_HEADER}S1,B01,王芳,理财经理\nS1,HQ,王芳,分管行长\n` },
      rejections: [{ line: 3, column: 'staff_id', branchId: 'HQ', reason: 'staff S1 appears twice in staff.csv; the first row is kept' }],
      managers: [
        ['HQ', []],
        ['B01', [{ managerId: 'S1', name: '王芳', role: 'wealth-manager' }]],
      ],
    },
    {
      name: 'a role not in the vocabulary, the allowed words listed',
      files: { 'branches.csv': BRANCHES, 'staff.csv': `${STAFF_HEADER}S1,B01,王芳,柜台\n` },
      rejections: [
        {
          line: 2,
          column: 'role',
          branchId: 'B01',
          reason:
            '“柜台” is not a role; must be one of wealth-manager 理财经理, lobby-manager 大堂经理, marketing-manager 营销经理, teller 柜员, retail-head 个金科负责人, outlet-head 网点负责人, branch-president 支行行长, vice-president 分管行长 (客户经理 is taken as wealth-manager)',
        },
      ],
    },
    {
      name: 'an empty role',
      files: { 'staff.csv': `${STAFF_HEADER}S1,B01,王芳,\n` },
      stored: ['B01'],
      rejections: [{ line: 2, column: 'role', reason: expect.stringMatching(/^is empty; must be one of wealth-manager 理财经理, /) }],
    },
    {
      name: 'a staff row with no staff number',
      files: { 'staff.csv': `${STAFF_HEADER},B01,王芳,理财经理\n` },
      stored: ['B01'],
      rejections: [{ line: 2, column: 'staff_id', branchId: 'B01', reason: 'is empty' }],
    },
    {
      name: 'a staff number of 101 characters',
      files: { 'staff.csv': `${STAFF_HEADER}${long(101)},B01,王芳,理财经理\n` },
      stored: ['B01'],
      rejections: [{ line: 2, column: 'staff_id', reason: 'is 101 characters long; a staff number has at most 100' }],
    },
    {
      name: 'a staff row with no branch',
      files: { 'staff.csv': `${STAFF_HEADER}S1,,王芳,理财经理\n` },
      rejections: [{ line: 2, column: 'branch_id', branchId: null, reason: 'is empty' }],
      managers: [],
    },
    {
      name: 'a staff row with no name',
      files: { 'staff.csv': `${STAFF_HEADER}S1,B01,,理财经理\n` },
      stored: ['B01'],
      rejections: [{ line: 2, column: 'name', branchId: 'B01', reason: 'is empty' }],
    },
  ];
  it.each(cases)('$name', (c) => {
    const { extracts, register } = read(c.files, c.stored);
    expect(extracts.rejections).toEqual([]);
    expect(register.rejections).toHaveLength(c.rejections.length);
    c.rejections.forEach((r, i) => expect(register.rejections[i]).toMatchObject(r));
    for (const r of register.rejections) expect(r.customerId).toBeNull();
    if (c.branches !== undefined) expect(register.branches).toEqual(c.branches);
    if (c.managers !== undefined) expect(c.managers === null ? null : [...register.managers!]).toEqual(c.managers);
  });

  it('counts a branch row whose parent cell was rejected as accepted, a rejected row as rejected', () => {
    const { register } = read({ 'branches.csv': 'branch_id,name,parent_id\nB01,城东支行,ZZ\nB01,城西支行,\n' });
    expect(register.counts.branches).toEqual({ read: 2, accepted: 1, rejected: 1 });
    expect(register.rejections.map((r) => [r.line, r.column])).toEqual([
      [3, 'branch_id'],
      [2, 'parent_id'],
    ]);
  });
});

describe('what staff.csv replaces', () => {
  it('gives every branch of branches.csv its rows, none for a branch without rows; without staff.csv nothing', () => {
    const files = { 'branches.csv': 'branch_id,name\nB01,城东支行\nB02,城西支行\n', 'staff.csv': `${STAFF_HEADER}S1,B01,王芳,理财经理\n` };
    expect([...read(files).register.managers!]).toEqual([
      ['B01', [{ managerId: 'S1', name: '王芳', role: 'wealth-manager' }]],
      ['B02', []],
    ]);
    expect(read({ 'branches.csv': files['branches.csv'] }).register.managers).toBeNull();
    // a header-only staff.csv is a staff of nobody
    expect([...read({ ...files, 'staff.csv': STAFF_HEADER }).register.managers!]).toEqual([
      ['B01', []],
      ['B02', []],
    ]);
  });

  it('names the branch ids to look up: the branches’, parents’ and staff’s, never one that cannot be an id', () => {
    const { rows } = read({ 'branches.csv': 'branch_id,name,parent_id\nB01,城东支行,HQ\nB/2,x,\n', 'staff.csv': `${STAFF_HEADER}S1,B05,王芳,理财经理\nS2,,李强,柜员\n` });
    expect(branchIdsNamed(rows)).toEqual(['B01', 'B05', 'HQ']);
  });
});
