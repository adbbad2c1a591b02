import { describe, expect, it } from 'vitest';
import { parseBusinessDate } from '../../shared/business-date.js';
import { parseCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import { dailyView } from '../../shared/daily-view.js';
import { customerCoverage } from '../../shared/service/archive-coverage.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { contactDue } from '../../shared/service/contact-due.js';
import type { ContactEntry } from '../../shared/service/contact-log.schema.js';
import { monthlyAverage } from '../../shared/service/service-band.js';
import type { Channel, ObligationKind } from '../../shared/service/service-vocabulary.js';
import { COMPUTED_HEADERS, CUSTOMER_HEADERS, EDITABLE_HEADERS, columnRole } from '../../shared/sheets/branch-layout.js';
import { mapColumns, type SheetGrid } from '../../shared/sheets/column-map.js';
import { computeCustomerCells, type ComputedCells } from '../../shared/sheets/customer-cells.js';
import { allWrites, planCustomerSheet, readEditedRows } from '../../shared/sheets/customer-sheet-plan.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { customer, fen, month, run, type Row } from '../support/facts-builder.js';
import { bundled } from '../support/scheme-builder.js';

/**
 * The 客户名单 contract: computed cells of a customer (worked by hand), and the rule that
 * columns are found by header and rows by 客户号, so a manager's own columns, reordering
 * and sorting never get overwritten.
 */

const boc = bundled('boc');
const engine = createTierEngine(boc);
const d2 = bundledStandards('d2')!;

function day(text: string): CivilDay {
  const parsed = parseCivilDay(text);
  if (parsed === null) throw new Error(`test fixture: ${text} is not a date`);
  return parsed;
}

function entry(id: string, date: string, kind: ObligationKind, channel: Channel): ContactEntry {
  return { customerId: id, date: day(date), channel, kind, occasion: null, by: 'M-01', note: '' };
}

/** Today is Friday 11 July 2025 (the week ends Sunday 13 July); July has 31 days. */
function cellsOf(facts: CustomerFacts, balanceToday: string, log: ContactEntry[], products: string[]): ComputedCells {
  const today = '2025-07-11';
  const view = dailyView(engine, facts, parseBusinessDate(today)!, fen(balanceToday));
  const due = contactDue(engine, d2, facts, log, day(today));
  const coverage = customerCoverage(d2, facts, monthlyAverage(facts, month('2025-06')), products);
  return computeCustomerCells({ scheme: boc, view, due, coverage, updatedAt: '2025-07-11 06:30' });
}

function withArchive(rows: Row[], id: string, archive: CustomerFacts['profile']): CustomerFacts {
  return { ...customer(rows, { id }), branchId: 'B1', ...(archive ? { profile: archive } : {}) };
}

describe('computed cells of a customer (BOC, d2, 2025-07-11)', () => {
  it('licai customer on the way to wealth: names, money, gap, top-up, next contact, completeness', () => {
    // Jan–Jun at mda 300,000: licai (中银理财客户) for July; next is wealth (mda ≥ 1,000,000).
    // Gap at the June assessment: 1,000,000 − 300,000 = 700,000.00.
    // July so far S = 3,100,000 (day-sum), T × D = 31,000,000, r = 31 − 11 = 20:
    // hold (31,000,000 − 3,100,000) / 20 = 1,395,000.00; today's balance 300,000 → top up 1,095,000.00.
    // Contacts: product SMS 1 (due 8 Jul) done on 8 Jul, contact 1 (due 16 Jul) done on 10 Jul;
    // the earliest open item is product SMS 2, due ceil(2 × 31 / 4) = 16 Jul, after Sunday 13 Jul → 正常.
    // Archive 4 of 6 fields → floor(400 / 6) = 66 %; 3 product kinds.
    const facts = withArchive([...run('2025-01', '2025-06', { mda: '300000' }), { month: '2025-07', daySum: '3100000' }], 'C-A', {
      archive: { homeAddress: '北京市西城区', employer: '某公司', mobile: '13800001111', riskProfile: 'C3' },
      servicePlan: {},
    });
    const log = [entry('C-A', '2025-07-08', 'product-message', 'sms'), entry('C-A', '2025-07-10', 'monthly-contact', 'phone')];
    expect(cellsOf(facts, '300000', log, ['DEP', 'FUND', 'LCCARD'])).toEqual({
      当前等级: '中银理财客户',
      月日均资产: '300000.00',
      下一等级: '中银财富管理客户',
      距下一等级差额: '700000.00',
      本月需补足: '1095000.00',
      降级预警: '',
      下次联系截止: '2025-07-16',
      联系状态: '正常',
      建档完整度: '66%',
      产品数: '3',
      更新时间: '2025-07-11 06:30',
    });
  });

  it('nothing logged: product SMS 1 was due 8 July → 逾期, due date shown', () => {
    const facts = withArchive(run('2025-01', '2025-06', { mda: '300000' }), 'C-B', { archive: {}, servicePlan: {} });
    const cells = cellsOf(facts, '0', [], ['DEP']);
    expect(cells.联系状态).toBe('逾期');
    expect(cells.下次联系截止).toBe('2025-07-08');
    expect(cells.建档完整度).toBe('0%');
  });

  it('licai met Jan–Mar, below Apr–Jun: 3 failed assessments (watch from 3), 6 − 3 = 3 left → 关注：再3期降级', () => {
    const facts = withArchive([...run('2025-01', '2025-03', { mda: '300000' }), ...run('2025-04', '2025-06', { mda: '100000' })], 'C-W', undefined);
    const cells = cellsOf(facts, '100000', [], []);
    expect(cells.当前等级).toBe('中银理财客户');
    expect(cells.降级预警).toBe('关注：再3期降级');
    expect(cells.月日均资产).toBe('100000.00');
  });

  it('a customer at the top tier has no next tier, gap or top-up', () => {
    const facts = withArchive(run('2025-01', '2025-06', { mda: '7000000' }), 'C-P', undefined);
    const cells = cellsOf(facts, '7000000', [], []);
    expect([cells.当前等级, cells.下一等级, cells.距下一等级差额, cells.本月需补足]).toEqual(['私人银行客户', '', '', '']);
  });
});

/** Synthetic computed cells: every value names its customer and column, so a misplaced write shows. */
function cells(id: string, overrides: Partial<ComputedCells> = {}): ComputedCells {
  const out = {} as Record<string, string>;
  for (const h of COMPUTED_HEADERS) out[h] = `${id}:${h}`;
  return { ...(out as ComputedCells), ...overrides };
}

/** A row in the given header order with the given values by header (others empty). */
function rowOf(header: readonly string[], values: Record<string, string>): string[] {
  return header.map((h) => values[h] ?? '');
}

function currentRow(header: readonly string[], id: string, extra: Record<string, string> = {}): string[] {
  return rowOf(header, { 客户号: id, ...cells(id), ...extra });
}

describe('the column map: columns by header, never by position', () => {
  // The manager moved 联系状态 to the front, put their own 备注(经理) between 客户号 and 家庭住址,
  // and left a blank column before the rest.
  const header = ['联系状态', '客户号', '备注(经理)', '家庭住址', '', ...CUSTOMER_HEADERS.filter((h) => h !== '联系状态' && h !== '客户号' && h !== '家庭住址')];
  const grid: SheetGrid = { header, rows: [] };

  it('finds every layout column where it is now and knows the manager’s column as theirs', () => {
    const map = mapColumns(grid);
    expect(map.key).toBe(2);
    expect(map.columns.get('联系状态')).toBe(1);
    expect(map.columns.get('家庭住址')).toBe(4);
    expect(map.columns.get('工作单位')).toBe(6);
    expect(map.own).toEqual([3]);
    expect(map.nextColumn).toBe(header.length + 1);
    expect(columnRole('备注(经理)')).toBeNull();
    expect(columnRole(' 当前等级 ')).toBe('computed');
  });

  it('the changed-cells list writes only computed columns: never the manager’s column, the blank one, or an editable one', () => {
    const rows = [
      // every computed cell stale except 当前等级; manager text in their column and an archive edit
      { row: 2, cells: rowOf(header, { 客户号: 'C1', 当前等级: 'C1:当前等级', '备注(经理)': '周三回访', 家庭住址: '新地址' }) },
    ];
    const plan = planCustomerSheet({ header, rows }, { computed: new Map([['C1', cells('C1')]]) });
    const written = new Set(plan.cellWrites.map((w) => w.column));
    expect(written.has(3)).toBe(false);
    expect(written.has(4)).toBe(false);
    expect(written.has(5)).toBe(false);
    for (const w of allWrites(plan)) expect(columnRole(header[w.column - 1] ?? '')).toBe('computed');
    // 10 of 11 computed cells differ (当前等级 is already right)
    expect(plan.cellWrites).toHaveLength(10);
    expect(plan.cellWrites.find((w) => w.column === 1)).toEqual({ row: 2, column: 1, value: 'C1:联系状态' });
    expect(plan.appendColumns).toEqual([]);
    expect(plan.newRows).toEqual([]);
  });
});

describe('rows are found by 客户号 wherever sorting put them', () => {
  const header = CUSTOMER_HEADERS;
  const col = (h: string) => header.indexOf(h) + 1;

  it('a sorted sheet (C3, C1, C2 in rows 2–4) gets each customer’s figures on its own row', () => {
    const rows = [
      { row: 2, cells: currentRow(header, 'C3', { 当前等级: 'old' }) },
      { row: 3, cells: currentRow(header, 'C1', { 当前等级: 'old' }) },
      { row: 4, cells: currentRow(header, 'C2', { 当前等级: 'old' }) },
    ];
    const computed = new Map(['C1', 'C2', 'C3'].map((id) => [id, cells(id)]));
    const plan = planCustomerSheet({ header, rows }, { computed });
    expect(plan.cellWrites).toEqual([
      { row: 2, column: col('当前等级'), value: 'C3:当前等级' },
      { row: 3, column: col('当前等级'), value: 'C1:当前等级' },
      { row: 4, column: col('当前等级'), value: 'C2:当前等级' },
    ]);
  });

  it('unchanged cells produce no writes at all', () => {
    const rows = [
      { row: 2, cells: currentRow(header, 'C1', { 家庭住址: '经理改过的地址' }) },
      { row: 3, cells: currentRow(header, 'C2') },
    ];
    const plan = planCustomerSheet({ header, rows }, { computed: new Map([['C1', cells('C1')], ['C2', cells('C2')]]) });
    expect(allWrites(plan)).toEqual([]);
  });

  it('a new customer is appended after the last used row with its key and computed cells; an unknown row is left alone', () => {
    const rows = [
      { row: 2, cells: currentRow(header, 'C1') },
      { row: 3, cells: currentRow(header, 'GONE') },
    ];
    const computed = new Map([['C1', cells('C1')], ['C9', cells('C9', { 降级预警: '' })]]);
    const plan = planCustomerSheet({ header, rows }, { computed, initial: new Map([['C9', { 手机号码: '13900002222' }]]) });
    expect(plan.unknownCustomers).toEqual(['GONE']);
    expect(plan.cellWrites).toEqual([]);
    expect(plan.newRows).toHaveLength(1);
    const added = plan.newRows[0]!;
    expect(added.row).toBe(4);
    expect(added.writes).toContainEqual({ row: 4, column: col('客户号'), value: 'C9' });
    expect(added.writes).toContainEqual({ row: 4, column: col('手机号码'), value: '13900002222' });
    // an empty computed value is not written to a new (empty) row
    expect(added.writes.some((w) => w.column === col('降级预警'))).toBe(false);
    expect(added.writes).toHaveLength(1 + 1 + 10);
  });

  it('a second row with the same 客户号 is reported and not written', () => {
    const rows = [
      { row: 2, cells: currentRow(header, 'C1', { 产品数: 'x' }) },
      { row: 3, cells: currentRow(header, 'C1', { 产品数: 'y' }) },
    ];
    const plan = planCustomerSheet({ header, rows }, { computed: new Map([['C1', cells('C1')]]) });
    expect(plan.cellWrites).toEqual([{ row: 2, column: col('产品数'), value: 'C1:产品数' }]);
    expect(plan.problems.map((p) => p.code)).toEqual(['DUPLICATE_CUSTOMER']);
  });
});

describe('missing columns are appended at the end', () => {
  it('a deleted computed column comes back after the manager’s last column, not in its old place', () => {
    const header = [...CUSTOMER_HEADERS.filter((h) => h !== '产品数'), '我的列'];
    const rows = [{ row: 2, cells: rowOf(header, { 客户号: 'C1', ...cells('C1'), 我的列: '保留' }) }];
    const plan = planCustomerSheet({ header, rows }, { computed: new Map([['C1', cells('C1')]]) });
    const end = header.length + 1;
    expect(plan.appendColumns).toEqual([{ row: 1, column: end, value: '产品数' }]);
    expect(plan.cellWrites).toEqual([{ row: 2, column: end, value: 'C1:产品数' }]);
  });

  it('a blank sheet gets the whole layout from column A', () => {
    const plan = planCustomerSheet({ header: [], rows: [] }, { computed: new Map([['C1', cells('C1')]]) });
    expect(plan.appendColumns.map((w) => w.value)).toEqual([...CUSTOMER_HEADERS]);
    expect(plan.appendColumns[0]!.column).toBe(1);
    expect(plan.newRows[0]!.row).toBe(2);
  });

  it('a sheet with headers but no 客户号 column is not written at all', () => {
    const plan = planCustomerSheet({ header: ['姓名', '当前等级'], rows: [{ row: 2, cells: ['张三', ''] }] }, { computed: new Map([['C1', cells('C1')]]) });
    expect(allWrites(plan)).toEqual([]);
    expect(plan.problems.map((p) => p.code)).toEqual(['KEY_COLUMN_MISSING']);
  });
});

describe('reading edits back', () => {
  it('editable fields by 客户号, in whatever column they are, trimmed; rows without a key skipped', () => {
    const header = ['联系备注', '客户号', '自己的列', ...EDITABLE_HEADERS.filter((h) => h !== '联系备注')];
    const grid: SheetGrid = {
      header,
      rows: [
        { row: 2, cells: rowOf(header, { 客户号: 'C2', 联系备注: ' 已电话 ', 家庭住址: '上海', 自己的列: 'x' }) },
        { row: 3, cells: rowOf(header, { 自己的列: '合计' }) },
      ],
    };
    const edits = readEditedRows(grid);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.row).toBe(2);
    expect(edits[0]!.customerId).toBe('C2');
    expect(edits[0]!.fields.联系备注).toBe('已电话');
    expect(edits[0]!.fields.家庭住址).toBe('上海');
    expect(edits[0]!.fields.工作单位).toBe('');
    expect(Object.keys(edits[0]!.fields)).toHaveLength(EDITABLE_HEADERS.length);
  });
});
