import { describe, expect, it } from 'vitest';
import { COMPUTED_HEADERS, LIST_TABS, MISSING_HEADERS, type ListTabName } from '../../shared/sheets/branch-layout.js';
import { planBranchSheet, type BranchSheetPlan } from '../../shared/sheets/branch-sheet-sync.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';
import type { LedgerBinding } from '../../shared/sheets/ledger-binding.js';
import type { StructureChange } from '../../shared/sheets/sheet-snapshot.js';
import { boundLedger, workbookOf } from '../support/ledger-builder.js';

/**
 * planBranchSheet on a branch's own ledger, bound (branch-sheet-sync.ts over ledger-grid.ts): the
 * ledger stays the branch's. Only the computed columns are added, after the ledger's widest row
 * (a title merged wider than the table counts), headed on its header row; the only other cells
 * written are those computed columns on customers' rows; nothing on it is protected; the
 * branch's customers it lacks are listed on 未入台账, or get rows below the table only in append
 * mode with nothing of the branch's below it.
 */

const TITLE = '城东支行中高端客户管户台账（2026年11月）';
/** A 序号, B 客户编号, C 客户姓名, D 管户经理, E 金融资产(万元), F 客户等级, G 手机, H 备注 */
const HEADER = ['序号', '客户编号', '客户姓名', '管户经理', '金融资产(万元)', '客户等级', '手机', '备注'];
const TAGS = { B: '客户号', G: '手机号码' };
const customer = (n: number, id: string) => [String(n), id, `客户${n}`, '王芳', '85', '金卡', `1380000000${n}`, ''];
const binding = (headerRow: number, missing: LedgerBinding['missing'] = 'list') => ({ headerRow, headerRows: 1, keyHeader: '客户编号', missing });

const cells = (tier: string): ComputedCells =>
  ({ 当前等级: tier, 月日均资产: '850000.00', 下一等级: '中银财富管理客户', 距下一等级差额: '150000.00', 本月需补足: '', 降级预警: '', 下次联系截止: '2026-11-30', 联系状态: '逾期', 建档完整度: '50%', 产品数: '1', 更新时间: '2026-11-10' }) as ComputedCells;
const noLists = Object.fromEntries(LIST_TABS.map((t) => [t.name, []])) as unknown as Record<ListTabName, string[][]>;
/** the branch's customers as the nightly run computed them: C1 and C3 are in the ledger, C2 is not */
const content = (ids = ['C1', 'C2', 'C3']) => ({ computed: new Map(ids.map((id) => [id, cells('中银理财客户')])), initial: new Map(), lists: noLists });

const LEDGER_ID = 7;
const ledgerWrites = (plan: BranchSheetPlan) => plan.writes.filter((w) => w.tab === '城东台账');
const onLedger = (plan: BranchSheetPlan) => plan.structure.filter((c) => 'sheetId' in c && c.sheetId === LEDGER_ID);
const ofKind = <K extends StructureChange['kind']>(changes: StructureChange[], kind: K) => changes.filter((c): c is Extract<StructureChange, { kind: K }> => c.kind === kind);
const missingTabRows = (plan: BranchSheetPlan) => {
  const rows = new Map<number, string[]>();
  for (const w of plan.writes.filter((x) => x.tab === '未入台账')) (rows.get(w.row) ?? rows.set(w.row, []).get(w.row)!)[w.column - 1] = w.value;
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
};

describe('a bound ledger with a title wider than its table, a 合计 row and a note', () => {
  // the title is merged over A1:J1, two columns wider than the 8-column table: the computed columns start at K (11)
  const ledger = boundLedger(
    '城东台账',
    [[TITLE], ['制表：王芳'], HEADER, customer(1, 'C1'), customer(2, 'X9'), customer(3, '1.00200E+08'), customer(4, 'C3'), ['合计', '', '', '', '340', '', '', ''], ['注：金融资产为月末时点数。']],
    binding(3),
    { sheetId: LEDGER_ID, tags: TAGS, merges: ['A1:J1'] },
  );
  const plan = planBranchSheet(workbookOf(ledger), content());

  it('appends the computed columns, and only those, after the widest row: K (11) onwards, headed on the header row 3', () => {
    expect(plan.customers.appendColumns).toEqual(COMPUTED_HEADERS.map((value, i) => ({ row: 3, column: 11 + i, value })));
  });

  it('writes nothing else of the branch’s: only the header row and customers’ rows (4 and 7), only in the appended columns', () => {
    const writes = ledgerWrites(plan);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((w) => w.column >= 11)).toBe(true);
    expect([...new Set(writes.map((w) => w.row))].sort()).toEqual([3, 4, 7]);
    // the title (1), 制表 (2), X9 unknown to the bank (5), a number Excel rounded (6), 合计 (8) and the note (9) are left as they are
    expect(writes).toContainEqual({ tab: '城东台账', row: 4, column: 11, value: '中银理财客户', sheetId: LEDGER_ID, header: '当前等级' });
  });

  it('protects nothing on the ledger; tags the appended columns; colours 联系状态 (column 18) below the header', () => {
    const mine = onLedger(plan);
    expect(mine.filter((c) => c.kind === 'protect' || c.kind === 'moveProtection')).toEqual([]);
    expect(ofKind(mine, 'tagColumn').map((c) => [c.column, c.header])).toEqual(COMPUTED_HEADERS.map((h, i) => [11 + i, h]));
    expect(ofKind(mine, 'colourWhenText').map((c) => c.span)).toEqual([
      { fromRow: 4, fromColumn: 18, toColumn: 18 },
      { fromRow: 4, fromColumn: 18, toColumn: 18 },
      { fromRow: 4, fromColumn: 18, toColumn: 18 },
    ]);
    expect(ofKind(mine, 'bindTab')).toEqual([]);
  });

  it('lists the customer the ledger lacks (C2) on 未入台账 with its figures; X9 and 1.00200E+08 name no customer given and are left alone', () => {
    expect(plan.tabsAdded).toContain('未入台账');
    expect(missingTabRows(plan)).toEqual([[...MISSING_HEADERS], ['C2', '中银理财客户', '850000.00', '中银财富管理客户', '150000.00', '本支行客户，台账中没有这一行']]);
    expect(plan.customers.missing).toEqual(['C2']);
    expect(plan.customers.unknownCustomers).toEqual(['X9', '1.00200E+08']);
    expect(plan.customers.newRows).toEqual([]);
  });

  it('a second run over the ledger as the first left it writes nothing on the ledger', () => {
    const after = ledger.values.map((r) => [...r]);
    for (const w of ledgerWrites(plan)) {
      const cellsOfRow = (after[w.row - 1] ??= []);
      while (cellsOfRow.length < w.column) cellsOfRow.push('');
      cellsOfRow[w.column - 1] = w.value;
    }
    const tags = { ...TAGS, ...Object.fromEntries(COMPUTED_HEADERS.map((h, i) => [String.fromCharCode(75 + i), h])) };
    const again = planBranchSheet(workbookOf(boundLedger('城东台账', after, binding(3), { sheetId: LEDGER_ID, tags, merges: ['A1:J1'] })), content());
    expect(again.customers.appendColumns).toEqual([]);
    expect(ledgerWrites(again)).toEqual([]);
    expect(ofKind(onLedger(again), 'tagColumn')).toEqual([]);
  });
});

describe('missing customers in append mode', () => {
  it('nothing below the table: C2 gets the row under the last customer, its number in the key column and its figures in the appended columns', () => {
    const ledger = boundLedger('城东台账', [[TITLE], HEADER, customer(1, 'C1')], binding(2, 'append'), { sheetId: LEDGER_ID, tags: TAGS, merges: ['A1:H1'] });
    const plan = planBranchSheet(workbookOf(ledger), content(['C1', 'C2']));
    expect(plan.customers.newRows.map((r) => [r.row, r.customerId])).toEqual([[4, 'C2']]);
    const row4 = ledgerWrites(plan).filter((w) => w.row === 4);
    expect(row4[0]).toEqual({ tab: '城东台账', row: 4, column: 2, value: 'C2', sheetId: LEDGER_ID, header: '客户号' });
    // the computed columns start at I (9): the title is merged exactly as wide as the table
    expect(row4.slice(1).every((w) => w.column >= 9)).toBe(true);
    expect(plan.customers.missing).toEqual([]);
    expect(missingTabRows(plan)).toEqual([[...MISSING_HEADERS]]);
  });

  it('a 合计 row below the table: no row is added, C2 is listed instead', () => {
    const ledger = boundLedger('城东台账', [[TITLE], HEADER, customer(1, 'C1'), ['合计', '', '', '', '85', '', '', '']], binding(2, 'append'), { sheetId: LEDGER_ID, tags: TAGS, merges: ['A1:H1'] });
    const plan = planBranchSheet(workbookOf(ledger), content(['C1', 'C2']));
    expect(plan.customers.newRows).toEqual([]);
    expect(ledgerWrites(plan).some((w) => w.row >= 4)).toBe(false);
    expect(missingTabRows(plan).map((r) => r[0])).toEqual(['客户号', 'C2']);
  });
});

describe('a ledger whose header moved or was lost', () => {
  it('a row inserted above the header: the header cells go on the new header row 4, and the binding is stored again', () => {
    const ledger = boundLedger('城东台账', [[TITLE], ['2026年11月'], ['制表：王芳'], HEADER, customer(1, 'C1')], binding(3), { sheetId: LEDGER_ID, tags: TAGS });
    const plan = planBranchSheet(workbookOf(ledger), content(['C1']));
    expect(plan.problems.map((p) => p.code)).toContain('HEADER_ROW_MOVED');
    expect(plan.customers.appendColumns.every((w) => w.row === 4)).toBe(true);
    expect(ofKind(plan.structure, 'bindTab')).toEqual([{ kind: 'bindTab', sheetId: LEDGER_ID, binding: { version: 1, ...binding(4) }, replaces: true }]);
    expect(ledgerWrites(plan).every((w) => w.row === 4 || w.row === 5)).toBe(true);
  });

  it('the key header renamed where it was: written as before, and the binding stored again with the new text', () => {
    const renamed = ['序号', '客户号码', ...HEADER.slice(2)];
    const ledger = boundLedger('城东台账', [[TITLE], renamed, customer(1, 'C1')], binding(2), { sheetId: LEDGER_ID, tags: TAGS });
    const plan = planBranchSheet(workbookOf(ledger), content(['C1']));
    expect(plan.problems.map((p) => p.code)).toEqual(['HEADER_RENAMED']);
    expect(ofKind(plan.structure, 'bindTab')).toEqual([{ kind: 'bindTab', sheetId: LEDGER_ID, binding: { version: 1, ...binding(2), keyHeader: '客户号码' }, replaces: true }]);
    expect(ledgerWrites(plan).some((w) => w.row === 3)).toBe(true);
  });

  it('the header lost (renamed and moved down at once): nothing written on the ledger, every customer listed on 未入台账 saying the ledger was not written', () => {
    const renamed = ['序号', '客户号码', ...HEADER.slice(2)];
    const ledger = boundLedger('城东台账', [[TITLE], ['制表：王芳'], renamed, customer(1, 'C1')], binding(2), { sheetId: LEDGER_ID, tags: TAGS });
    const plan = planBranchSheet(workbookOf(ledger), content(['C1', 'C2']));
    expect(plan.problems.map((p) => p.code)).toEqual(['HEADER_ROW_LOST']);
    expect(ledgerWrites(plan)).toEqual([]);
    expect(onLedger(plan).filter((c) => c.kind !== 'tagTab')).toEqual([]);
    expect(missingTabRows(plan).slice(1).map((r) => [r[0], r[5]])).toEqual([
      ['C1', '台账本次未能写入（见运行报告）'],
      ['C2', '台账本次未能写入（见运行报告）'],
    ]);
  });
});
