import { describe, expect, it } from 'vitest';
import { dataFilterWrites } from '../../functions/sheets/google-sheets-writes.js';
import { CUSTOMER_HEADERS, LIST_TABS, type ListTabName } from '../../shared/sheets/branch-layout.js';
import { planBranchSheet } from '../../shared/sheets/branch-sheet-sync.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';
import type { TabSnapshot } from '../../shared/sheets/sheet-snapshot.js';

/**
 * A first night of a very large branch, planned (pure) and turned into data-filter writes: no
 * step may spread its cells into one function call's arguments (which overflows the stack at a
 * few hundred thousand). 100,000 customers × (客户号 + 9 computed cells) is about 1,000,000 cells.
 */

const CUSTOMERS = 100_000;
const cells: ComputedCells = { 当前等级: '中银理财客户', 月日均资产: '250000.00', 下一等级: '中银财富管理客户', 距下一等级差额: '750000.00', 本月需补足: '', 降级预警: '', 下次联系截止: '2026-11-30', 联系状态: '逾期', 建档完整度: '50%', 产品数: '1', 更新时间: '2026-11-10' } as ComputedCells;
const noLists = Object.fromEntries(LIST_TABS.map((t) => [t.name, []])) as unknown as Record<ListTabName, string[][]>;
const empty: TabSnapshot = { sheetId: 0, title: 'Sheet1', rowCount: 1000, columnCount: 26, values: [], tabTag: null, columnTags: new Map(), protections: [], conditionalRules: [] };

describe('a first night of 100,000 customers', () => {
  const computed = new Map(Array.from({ length: CUSTOMERS }, (_, i) => [`C${String(i + 1).padStart(6, '0')}`, cells] as const));
  const plan = planBranchSheet({ tabs: [empty] }, { computed, initial: new Map(), lists: noLists });

  it('is planned: every customer a row, the new tab sized for them', () => {
    const customerWrites = plan.writes.filter((w) => w.tab === '客户名单');
    // 24 header cells; each row 客户号 + 9 non-empty computed cells
    expect(customerWrites).toHaveLength(CUSTOMER_HEADERS.length + CUSTOMERS * 10);
    const rows = customerWrites.reduce((most, w) => Math.max(most, w.row), 0);
    expect(rows).toBe(CUSTOMERS + 1);
    const added = plan.structure.find((c) => c.kind === 'addTab' && c.title === '客户名单');
    expect(added).toMatchObject({ rows: CUSTOMERS + 1 + 100 });
  });

  it('goes out as one data-filter value range per column, row 1 down to the last customer', () => {
    const ranges = dataFilterWrites(plan.writes.filter((w) => w.tab === '客户名单'));
    expect(ranges).toHaveLength(CUSTOMER_HEADERS.length);
    const key = ranges.find((r) => r.dataFilter?.developerMetadataLookup?.metadataValue === '客户号')!;
    expect(key.values![0]).toHaveLength(CUSTOMERS + 1);
    expect(key.values![0]![CUSTOMERS]).toBe('C100000');
  });
});
