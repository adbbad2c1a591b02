import { describe, expect, it } from 'vitest';
import { COMPUTED_HEADERS, CUSTOMER_HEADERS, LIST_TABS, type ListTabName } from '../../shared/sheets/branch-layout.js';
import { planBranchSheet, type BranchSheetPlan } from '../../shared/sheets/branch-sheet-sync.js';
import { mapColumns } from '../../shared/sheets/column-map.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';
import { planCustomerSheet } from '../../shared/sheets/customer-sheet-plan.js';
import { protectedThingOf, protectionDescription } from '../../shared/sheets/sheet-contract.js';
import type { StructureChange, TabSnapshot } from '../../shared/sheets/sheet-snapshot.js';

/**
 * Planning a branch's Google Sheet from one read (pure): columns by developer metadata first
 * and header second, structure asked for only when missing, grids grown to fit, renamed tabs
 * and columns still found. Snapshots are written by hand here; the gateway tests read them
 * from the Sheets test server.
 */

// Layout positions in a fresh 客户名单: 客户号 1, the 12 editable columns 2–13, the 11 computed 14–24.
const AT = (header: string) => CUSTOMER_HEADERS.indexOf(header) + 1;

const cells = (tier: string): ComputedCells =>
  ({ 当前等级: tier, 月日均资产: '850000.00', 下一等级: '中银财富管理客户', 距下一等级差额: '150000.00', 本月需补足: '', 降级预警: '', 下次联系截止: '2026-11-30', 联系状态: '逾期', 建档完整度: '50%', 产品数: '1', 更新时间: '2026-11-10' }) as ComputedCells;

const noLists = Object.fromEntries(LIST_TABS.map((t) => [t.name, []])) as unknown as Record<ListTabName, string[][]>;
const content = (customers: [string, string][] = [['C1', '中银理财客户']]) => ({ computed: new Map(customers.map(([id, tier]) => [id, cells(tier)])), initial: new Map(), lists: noLists });

function tab(over: Partial<TabSnapshot> & Pick<TabSnapshot, 'sheetId' | 'title'>): TabSnapshot {
  return { rowCount: 1000, columnCount: 26, values: [], tabTag: null, columnTags: new Map(), protections: [], conditionalRules: [], ...over };
}

/** list tabs as a previous run left them: tagged, header written, protected */
function settledLists(firstId: number): TabSnapshot[] {
  return LIST_TABS.map((t, i) =>
    tab({ sheetId: firstId + i, title: t.name, tabTag: t.name, values: [[...t.headers]], protections: [{ id: 900 + i, description: protectionDescription({ kind: 'tab', name: t.name }), span: {} }] }),
  );
}

const kinds = (plan: BranchSheetPlan) => plan.structure.map((c) => c.kind);
const ofKind = <K extends StructureChange['kind']>(plan: BranchSheetPlan, kind: K) => plan.structure.filter((c): c is Extract<StructureChange, { kind: K }> => c.kind === kind);

describe('a first run on an empty spreadsheet', () => {
  const plan = planBranchSheet({ tabs: [tab({ sheetId: 0, title: 'Sheet1' })] }, content());

  it('adds the five tabs with ids not in use, tags them, and asks for everything in one batch, in an order a batch can apply', () => {
    expect(plan.tabsAdded).toEqual(['客户名单', '升级名单', '降级预警', '待办', '考核']);
    expect(ofKind(plan, 'addTab').map((c) => [c.sheetId, c.title, c.rows, c.columns])).toEqual([
      [1, '客户名单', 1000, 26],
      [2, '升级名单', 1000, 26],
      [3, '降级预警', 1000, 26],
      [4, '待办', 1000, 26],
      [5, '考核', 1000, 26],
    ]);
    expect(ofKind(plan, 'tagTab').map((c) => [c.sheetId, c.name])).toEqual([
      [1, '客户名单'],
      [2, '升级名单'],
      [3, '降级预警'],
      [4, '待办'],
      [5, '考核'],
    ]);
    // 5 tabs + 5 tab tags + 24 column tags + (1 key + 11 computed) column protections + 4 tab protections + 3 colour rules + 5 text formats = 58
    expect(plan.structure).toHaveLength(58);
    const order = ['addTab', 'growTab', 'tagTab', 'tagColumn', 'protect', 'colourWhenText', 'textFormat'];
    const ranks = kinds(plan).map((k) => order.indexOf(k));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('tags every layout column where it is created and protects the key and computed columns, one range each', () => {
    expect(ofKind(plan, 'tagColumn').map((c) => [c.column, c.header])).toEqual(CUSTOMER_HEADERS.map((h, i) => [i + 1, h]));
    const columnProtections = ofKind(plan, 'protect').filter((c) => c.sheetId === 1);
    expect(columnProtections.map((c) => [c.span.fromColumn, protectedThingOf(c.description)?.name])).toEqual([[1, '客户号'], ...COMPUTED_HEADERS.map((h) => [AT(h), h])]);
    // 当前等级 is column 14: a whole column, every row
    expect(columnProtections[1]).toEqual({ kind: 'protect', sheetId: 1, span: { fromColumn: 14, toColumn: 14 }, description: '[wealth-ladder:列 当前等级] 系统计算列，每晚自动更新；手工修改会在下次更新时被覆盖' });
    expect(ofKind(plan, 'protect').filter((c) => c.sheetId !== 1).map((c) => [c.sheetId, c.span])).toEqual([
      [2, {}],
      [3, {}],
      [4, {}],
      [5, {}],
    ]);
  });

  it('colours 联系状态 (column 21) below the header: 逾期 light red, 今日 and 本周 amber', () => {
    expect(ofKind(plan, 'colourWhenText').map((c) => [c.sheetId, c.span, c.text, c.background])).toEqual([
      [1, { fromRow: 2, fromColumn: 21, toColumn: 21 }, '逾期', 'FFC7CE'],
      [1, { fromRow: 2, fromColumn: 21, toColumn: 21 }, '今日', 'FFEB9C'],
      [1, { fromRow: 2, fromColumn: 21, toColumn: 21 }, '本周', 'FFEB9C'],
    ]);
  });

  it('writes the header and the new row to 客户名单 and the headers of the list tabs', () => {
    const customerWrites = plan.writes.filter((w) => w.tab === '客户名单');
    // 24 header cells; the row: 客户号 + 9 non-empty computed cells (本月需补足 and 降级预警 are empty)
    expect(customerWrites).toHaveLength(24 + 1 + 9);
    expect(customerWrites).toContainEqual({ tab: '客户名单', row: 2, column: 14, value: '中银理财客户', sheetId: 1, header: '当前等级' });
    // every cell of 客户名单 names its column's tag, every list cell its tab's id
    expect(customerWrites.every((w) => w.sheetId === 1 && w.header === CUSTOMER_HEADERS[w.column - 1])).toBe(true);
    expect(plan.writes.filter((w) => w.tab === '待办').every((w) => w.sheetId === 4 && w.header === undefined)).toBe(true);
    expect(plan.writes.filter((w) => w.tab === '待办').map((w) => w.value)).toEqual(LIST_TABS[2].headers);
  });
});

describe('a settled sheet', () => {
  /** 客户名单 as the first run left it: every column tagged, protections and rules in place, C1's row current */
  function settled(): TabSnapshot {
    const row = CUSTOMER_HEADERS.map((h) => (h === '客户号' ? 'C1' : ((cells('中银理财客户') as Record<string, string>)[h] ?? '')));
    return tab({
      sheetId: 1,
      title: '客户名单',
      tabTag: '客户名单',
      values: [[...CUSTOMER_HEADERS], row],
      columnTags: new Map(CUSTOMER_HEADERS.map((h, i) => [i + 1, h])),
      protections: ['客户号', ...COMPUTED_HEADERS].map((h, i) => ({ id: 100 + i, description: protectionDescription({ kind: 'column', name: h }), span: { fromColumn: AT(h), toColumn: AT(h) } })),
      conditionalRules: ['逾期', '今日', '本周'].map((text) => ({ type: 'TEXT_EQ', values: [text], spans: [{ fromRow: 2, fromColumn: 21, toColumn: 21 }] })),
    });
  }

  it('asks for nothing when nothing changed', () => {
    const plan = planBranchSheet({ tabs: [settled(), ...settledLists(2)] }, content());
    expect(plan.structure).toEqual([]);
    expect(plan.writes).toEqual([]);
    expect(plan.tabsAdded).toEqual([]);
  });

  it('a manager renamed 当前等级 to 等级 and the tab to 本行客户: still found, nothing appended, the tier written under the new names', () => {
    const renamed = settled();
    const values = renamed.values.map((r) => [...r]);
    values[0]![13] = '等级';
    const plan = planBranchSheet({ tabs: [{ ...renamed, title: '本行客户', values }, ...settledLists(2)] }, content([['C1', '中银财富管理客户']]));
    expect(plan.customers.appendColumns).toEqual([]);
    expect(plan.structure).toEqual([]);
    expect(plan.writes).toEqual([{ tab: '本行客户', row: 2, column: 14, value: '中银财富管理客户', sheetId: 1, header: '当前等级' }]);
    expect(plan.problems).toEqual([]);
  });

  it('a protected range that no longer covers its column is moved back; a second one of ours is removed', () => {
    const sheet = settled();
    const protections = [...sheet.protections];
    protections[1] = { ...protections[1]!, span: { fromColumn: 3, toColumn: 3 } }; // 当前等级's range, on column C now
    protections.push({ id: 999, description: protectionDescription({ kind: 'column', name: '产品数' }), span: { fromColumn: 23, toColumn: 23 } });
    protections.push({ id: 998, description: '经理自己的保护', span: { fromColumn: 2, toColumn: 2 } });
    const plan = planBranchSheet({ tabs: [{ ...sheet, protections }, ...settledLists(2)] }, content());
    expect(plan.structure).toEqual([
      { kind: 'moveProtection', protectionId: 101, sheetId: 1, span: { fromColumn: 14, toColumn: 14 } },
      { kind: 'dropProtection', protectionId: 999 },
    ]);
  });

  it('a colour rule is added only for the status it lacks on the 联系状态 column (a rule on another column does not count)', () => {
    const sheet = settled();
    const rules = [sheet.conditionalRules[0]!, sheet.conditionalRules[1]!, { type: 'TEXT_EQ', values: ['本周'], spans: [{ fromRow: 2, fromColumn: 20, toColumn: 20 }] }];
    const plan = planBranchSheet({ tabs: [{ ...sheet, conditionalRules: rules }, ...settledLists(2)] }, content());
    expect(plan.structure).toEqual([{ kind: 'colourWhenText', sheetId: 1, span: { fromRow: 2, fromColumn: 21, toColumn: 21 }, text: '本周', background: 'FFEB9C' }]);
  });

  it('a deleted computed column comes back tagged and protected after the last column', () => {
    const sheet = settled();
    // the manager deleted 产品数 (column 23): 更新时间 moved to 23, and the metadata and protection went with the column
    const drop = (r: readonly string[]) => [...r.slice(0, 22), ...r.slice(23)];
    const tags = new Map(CUSTOMER_HEADERS.filter((h) => h !== '产品数').map((h, i) => [i + 1, h]));
    const protections = sheet.protections.filter((p) => protectedThingOf(p.description)?.name !== '产品数').map((p) => (protectedThingOf(p.description)?.name === '更新时间' ? { ...p, span: { fromColumn: 23, toColumn: 23 } } : p));
    const plan = planBranchSheet({ tabs: [{ ...sheet, values: sheet.values.map(drop), columnTags: tags, protections }, ...settledLists(2)] }, content());
    expect(plan.customers.appendColumns).toEqual([{ row: 1, column: 24, value: '产品数' }]);
    expect(plan.structure).toEqual([
      { kind: 'tagColumn', sheetId: 1, column: 24, header: '产品数' },
      { kind: 'protect', sheetId: 1, span: { fromColumn: 24, toColumn: 24 }, description: protectionDescription({ kind: 'column', name: '产品数' }) },
    ]);
    expect(plan.writes).toEqual([
      { tab: '客户名单', row: 1, column: 24, value: '产品数', sheetId: 1, header: '产品数' },
      { tab: '客户名单', row: 2, column: 24, value: '1', sheetId: 1, header: '产品数' },
    ]);
  });

  it('grows a tab that is too small: rows needed + 100 headroom, columns exactly', () => {
    // two new customers need rows 3 and 4 of a sheet of 3 rows: 4 − 3 + 100 = 101 rows more
    const plan = planBranchSheet({ tabs: [{ ...settled(), rowCount: 3 }, ...settledLists(2)] }, content([['C1', '中银理财客户'], ['C2', '普通客户'], ['C3', '普通客户']]));
    expect(plan.structure).toEqual([{ kind: 'growTab', sheetId: 1, dimension: 'ROWS', by: 101 }]);
    const narrow = planBranchSheet({ tabs: [{ ...settled(), columnCount: 20 }, ...settledLists(2)] }, content());
    expect(narrow.structure).toEqual([{ kind: 'growTab', sheetId: 1, dimension: 'COLUMNS', by: 4 }]);
  });
});

describe('a sheet the branch built before the system tagged it', () => {
  it('columns found by header are tagged where they are, the missing ones appended after the manager’s column', () => {
    // the manager's own 客户名单: 我的备注, 客户号, 当前等级 — nothing tagged yet, the tab found by its title
    const sheet = tab({ sheetId: 7, title: '客户名单', values: [['我的备注', '客户号', '当前等级'], ['老客户', 'C1', '']] });
    const plan = planBranchSheet({ tabs: [sheet, ...settledLists(8)] }, content());
    const tags = ofKind(plan, 'tagColumn');
    expect(tags.slice(0, 2)).toEqual([
      { kind: 'tagColumn', sheetId: 7, column: 2, header: '客户号' },
      { kind: 'tagColumn', sheetId: 7, column: 4, header: '家庭住址' },
    ]);
    expect(tags.find((t) => t.header === '当前等级')).toEqual({ kind: 'tagColumn', sheetId: 7, column: 3, header: '当前等级' });
    expect(tags).toHaveLength(24);
    expect(ofKind(plan, 'tagTab')).toEqual([{ kind: 'tagTab', sheetId: 7, name: '客户名单' }]);
    // 22 layout columns were missing: appended at 4..25 (3 + 22 = 25 ≤ 26 columns, so the grid does not grow)
    expect(plan.customers.appendColumns.map((w) => w.column)).toEqual(Array.from({ length: 22 }, (_, i) => i + 4));
    expect(ofKind(plan, 'growTab')).toEqual([]);
    expect(plan.writes.some((w) => w.column === 1)).toBe(false); // the manager's column is never written
  });

  it('a sheet with headers but no 客户号 (by header or tag) gets no writes and no column structure, and says why', () => {
    const sheet = tab({ sheetId: 7, title: '客户名单', values: [['姓名', '当前等级'], ['张三', '']] });
    const plan = planBranchSheet({ tabs: [sheet, ...settledLists(8)] }, content());
    expect(plan.writes).toEqual([]);
    expect(plan.structure).toEqual([{ kind: 'tagTab', sheetId: 7, name: '客户名单' }]);
    expect(plan.problems.map((p) => p.code)).toEqual(['KEY_COLUMN_MISSING']);
  });
});

describe('metadata first, header second', () => {
  const header = ['客户号', '等级', '下一等级', '当前等级'];
  const tags = new Map([
    [1, '客户号'],
    [2, '当前等级'],
    [3, '当前等级'],
  ]);

  it('a tag wins over the header text; a second column tagged or headed the same is a duplicate, not used', () => {
    const map = mapColumns({ header, rows: [], tags });
    expect(map.key).toBe(1);
    expect(map.columns.get('当前等级')).toBe(2);
    expect([...map.tagged].sort()).toEqual(['客户号', '当前等级'].sort());
    // column 3 carries a second 当前等级 tag: claimed (so its header 下一等级 does not count), not used
    expect(map.columns.has('下一等级')).toBe(false);
    expect(map.duplicates).toEqual([{ header: '当前等级', columns: [2, 3, 4] }]);
    expect(map.renamed).toEqual([
      { header: '当前等级', column: 2, text: '等级' },
    ]);
    expect(map.nextColumn).toBe(5);
  });

  it('a tagged column whose header names another layout column is reported; the header-named column is appended', () => {
    const plan = planCustomerSheet({ header: ['客户号', '下一等级'], rows: [], tags: new Map([[2, '当前等级']]) }, { computed: new Map() });
    expect(plan.columns.get('当前等级')).toBe(2);
    expect(plan.appendColumns.find((w) => w.value === '下一等级')).toEqual({ row: 1, column: expect.any(Number), value: '下一等级' });
    expect(plan.problems).toEqual([{ code: 'HEADER_MISMATCH', message: '第 2 列的表头写着“下一等级”，但该列是系统的“当前等级”列（按列标记识别）；请改回表头，以免看错' }]);
  });

  it('a tag naming a header the layout does not have is ignored; a tagged empty column still counts for where to append', () => {
    const map = mapColumns({ header: ['客户号'], rows: [], tags: new Map([[1, '客户号'], [2, '旧列'], [5, '产品数']]) });
    expect(map.columns.get('产品数')).toBe(5);
    expect(map.own).toEqual([]);
    expect(map.nextColumn).toBe(6);
  });

  it('duplicate headers are reported with every column and the one used', () => {
    const plan = planCustomerSheet({ header: ['当前等级', '客户号', '当前等级'], rows: [], tags: new Map([[3, '当前等级']]) }, { computed: new Map() });
    expect(plan.problems).toEqual([{ code: 'DUPLICATE_HEADER', message: '“当前等级”列出现了 2 次（第 1、3 列），系统只使用第 3 列' }]);
  });
});

describe('protection descriptions', () => {
  it.each([
    [{ kind: 'column', name: '当前等级' }, '[wealth-ladder:列 当前等级] 系统计算列，每晚自动更新；手工修改会在下次更新时被覆盖'],
    [{ kind: 'column', name: '客户号' }, '[wealth-ladder:列 客户号] 客户号标识每一行属于哪位客户，请勿修改'],
    [{ kind: 'tab', name: '待办' }, '[wealth-ladder:表 待办] 系统生成的名单，每晚重写；请勿手工修改'],
  ] as const)('%o round-trips through its description', (thing, text) => {
    expect(protectionDescription(thing)).toBe(text);
    expect(protectedThingOf(text)).toEqual(thing);
  });

  it.each([[''], ['经理的保护'], ['wealth-ladder:列 当前等级'], [null], [undefined]])('%j is not the system’s', (description) => {
    expect(protectedThingOf(description)).toBeNull();
  });
});

describe('plain-text format on the text-like columns of the system’s own 客户名单', () => {
  // in TEXT_HEADERS order: 客户号 1, 手机号码 4, 家庭电话 5, 家庭住址 2, 工作单位 3 in a fresh layout
  const TEXT_AT = [1, 4, 5, 2, 3];
  const fresh = planBranchSheet({ tabs: [tab({ sheetId: 0, title: 'Sheet1' })] }, content());

  it('a new 客户名单: 客户号, 家庭住址, 工作单位, 手机号码 and 家庭电话 formatted as text from row 2 down, after the rest', () => {
    expect(ofKind(fresh, 'textFormat')).toEqual(TEXT_AT.map((column) => ({ kind: 'textFormat', sheetId: 1, column, fromRow: 2 })));
    expect(kinds(fresh).slice(-5)).toEqual(Array(5).fill('textFormat'));
  });

  it('found formatted on the next read: not asked for again; one a manager set back to a number format is formatted again', () => {
    const settledTab = (textColumns: number[]) =>
      tab({
        sheetId: 1,
        title: '客户名单',
        tabTag: '客户名单',
        values: [[...CUSTOMER_HEADERS]],
        columnTags: new Map(CUSTOMER_HEADERS.map((h, i) => [i + 1, h])),
        textColumns: new Set(textColumns),
        protections: ['客户号', ...COMPUTED_HEADERS].map((h, i) => ({ id: 100 + i, description: protectionDescription({ kind: 'column', name: h }), span: { fromColumn: AT(h), toColumn: AT(h) } })),
        conditionalRules: ['逾期', '今日', '本周'].map((text) => ({ type: 'TEXT_EQ', values: [text], spans: [{ fromRow: 2, fromColumn: 21, toColumn: 21 }] })),
      });
    expect(ofKind(planBranchSheet({ tabs: [settledTab(TEXT_AT), ...settledLists(2)] }, content([])), 'textFormat')).toEqual([]);
    expect(ofKind(planBranchSheet({ tabs: [settledTab([1, 2, 3, 4]), ...settledLists(2)] }, content([])), 'textFormat')).toEqual([{ kind: 'textFormat', sheetId: 1, column: 5, fromRow: 2 }]);
  });

  it('a reader that does not say (textColumns absent): formatted only when the column is tagged, i.e. once', () => {
    const tagged = tab({ sheetId: 1, title: '客户名单', tabTag: '客户名单', values: [[...CUSTOMER_HEADERS]], columnTags: new Map(CUSTOMER_HEADERS.map((h, i) => [i + 1, h])) });
    expect(ofKind(planBranchSheet({ tabs: [tagged, ...settledLists(2)] }, content([])), 'textFormat')).toEqual([]);
  });
});
