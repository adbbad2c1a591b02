import type { Firestore } from '@google-cloud/firestore';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNightlyBranch, type NightlyBranchDeps } from '../../functions/nightly/run-branch.js';
import { tabValues, type SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { workbookFolder } from '../../functions/sheets/workbook-locator.js';
import { processWorkbookEdits, type LocalEditDeps } from '../../functions/sheets/xlsx-workbook-edits.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { COMPUTED_HEADERS, CUSTOMER_HEADERS, CUSTOMER_TAB, LIST_TABS, type ListTabName } from '../../shared/sheets/branch-layout.js';
import { planBranchSheet, type BranchSheetPlan } from '../../shared/sheets/branch-sheet-sync.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';
import { protectionDescription } from '../../shared/sheets/sheet-contract.js';
import type { SpreadsheetSnapshot, TabSnapshot } from '../../shared/sheets/sheet-snapshot.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';
import { gatewayHarnesses, type GatewayHarness } from '../support/sheets-gateway-harness.js';
import { seedTwoCustomers } from '../support/two-customer-branch.js';

/**
 * One contract, two implementations of the SheetsGateway port, the same tests against each:
 * - Google: googleSheetsGateway with the real googleapis client over HTTP, against the
 *   project's Sheets API test server (test/support/sheets-api-server/);
 * - local workbook: xlsxSheetsGateway on real .xlsx files in a temporary folder (found by
 *   the id in their _ladder tab), with exceljs standing in for the manager's Excel.
 * What a manager does is done the way their tool does it (the API's own requests for Google;
 * open, change, save for a workbook). No fakes.
 */

let server: SheetsApiServer;
let folder: string;
let harnesses: GatewayHarness[];

beforeAll(async () => {
  server = await startSheetsApiServer();
  folder = await mkdtemp(join(tmpdir(), 'gateway-contract-'));
  harnesses = gatewayHarnesses(server, folder);
});
afterAll(async () => {
  await server.close();
  await rm(folder, { recursive: true, force: true });
});

const cells = (tier: string, status = '正常'): ComputedCells =>
  ({ 当前等级: tier, 月日均资产: '850000.00', 下一等级: '中银财富管理客户', 距下一等级差额: '150000.00', 本月需补足: '', 降级预警: '', 下次联系截止: '2026-11-30', 联系状态: status, 建档完整度: '100%', 产品数: '3', 更新时间: '2026-11-29' }) as ComputedCells;
const noLists = Object.fromEntries(LIST_TABS.map((t) => [t.name, []])) as unknown as Record<ListTabName, string[][]>;
const content = (customers: [string, ComputedCells][], lists = noLists, initial: [string, Record<string, string>][] = []) => ({ computed: new Map(customers), initial: new Map(initial), lists });

/** one nightly sheet write by hand: read, plan, structure, values */
async function sync(gateway: SheetsGateway, id: string, c: ReturnType<typeof content>): Promise<BranchSheetPlan> {
  const plan = planBranchSheet(await gateway.read(id), c);
  await gateway.updateStructure(id, plan.structure);
  await gateway.writeCells(id, plan.writes);
  return plan;
}

function tab(snapshot: SpreadsheetSnapshot, title: string): TabSnapshot {
  const found = snapshot.tabs.find((t) => t.title === title);
  if (found === undefined) throw new Error(`no tab ${title}; tabs: ${snapshot.tabs.map((t) => t.title).join(', ')}`);
  return found;
}

const column = (header: string) => CUSTOMER_HEADERS.indexOf(header) + 1;

describe.each(['google', 'xlsx'] as const)('the SheetsGateway contract: %s', (kind) => {
  const h = () => harnesses.find((x) => x.kind === kind)!;

  it('a new spreadsheet reads as tabs without cells, tags, protections or colour rules', async () => {
    const id = await h().create();
    const snapshot = await h().gateway.read(id);
    expect(snapshot.tabs.length).toBeGreaterThan(0);
    for (const t of snapshot.tabs) {
      expect(t).toMatchObject({ values: [], tabTag: null, protections: [], conditionalRules: [] });
      expect(t.columnTags.size).toBe(0);
      expect(t.rowCount).toBeGreaterThanOrEqual(1000);
      expect(t.columnCount).toBeGreaterThanOrEqual(26);
    }
  });

  it('the first sync adds the structure, once: tabs and columns tagged, key and computed columns and list tabs protected, 联系状态 coloured; a second plan asks for nothing', async () => {
    const { gateway } = h();
    const id = await h().create();
    const c = content([['C1', cells('中银理财客户', '逾期')], ['C2', cells('普通客户', '本周')]], { ...noLists, 待办: [['T1', 'C1', '李经理', '联络', '第1次月度联络', '2026-11-05', '逾期']] });
    const first = await sync(gateway, id, c);
    expect(first.structure.length).toBeGreaterThan(0);

    const snapshot = await gateway.read(id);
    const customers = tab(snapshot, CUSTOMER_TAB);
    expect(customers.tabTag).toBe(CUSTOMER_TAB);
    // every layout column tagged where a new 客户名单 puts it: 客户号 in A … 更新时间 in X (24)
    expect(new Map([...customers.columnTags].filter(([, header]) => CUSTOMER_HEADERS.includes(header)))).toEqual(new Map(CUSTOMER_HEADERS.map((header, i) => [i + 1, header])));
    // 客户号 and the 11 computed columns, each protected as a whole column, described for the manager
    const protectedColumns = customers.protections.map((p) => [p.description, p.span.fromColumn, p.span.toColumn, p.span.fromRow ?? 1]).sort();
    expect(protectedColumns).toEqual(['客户号', ...COMPUTED_HEADERS].map((header) => [protectionDescription({ kind: 'column', name: header }), column(header), column(header), 1]).sort());
    // 联系状态 is column 21 (U): three "text is exactly" rules from row 2 down
    const rules = customers.conditionalRules.filter((r) => r.type === 'TEXT_EQ').map((r) => [r.values[0], r.spans.map((s) => [s.fromRow, s.fromColumn, s.toColumn])]);
    expect(rules.sort()).toEqual([
      ['今日', [[2, 21, 21]]],
      ['本周', [[2, 21, 21]]],
      ['逾期', [[2, 21, 21]]],
    ]);
    expect(column('联系状态')).toBe(21);
    for (const list of LIST_TABS) {
      const t = tab(snapshot, list.name);
      expect(t.tabTag).toBe(list.name);
      // the whole tab: a span that starts at A1 and runs to the sheet's edges
      expect(t.protections.map((p) => [p.description, p.span])).toEqual([[protectionDescription({ kind: 'tab', name: list.name }), { fromRow: 1, fromColumn: 1 }]]);
      expect(t.values[0]).toEqual([...list.headers]);
    }
    expect(tab(snapshot, '待办').values[1]).toEqual(['T1', 'C1', '李经理', '联络', '第1次月度联络', '2026-11-05', '逾期']);

    const second = planBranchSheet(snapshot, c);
    expect(second.structure).toEqual([]);
    expect(second.writes).toEqual([]);
    // and the manager's tool agrees: protected where the port says, open in the editable columns
    expect(await h().isProtected(id, CUSTOMER_TAB, 2, column('当前等级'))).toBe(true);
    expect(await h().isProtected(id, CUSTOMER_TAB, 2, column('客户号'))).toBe(true);
    expect(await h().isProtected(id, CUSTOMER_TAB, 2, column('手机号码'))).toBe(false);
    expect(await h().isProtected(id, CUSTOMER_TAB, 3, column('联系备注'))).toBe(false);
    expect(await h().isProtected(id, '待办', 2, 1)).toBe(true);
  });

  it('cells written read back as written, and no other cell changes', async () => {
    const { gateway } = h();
    const id = await h().create();
    await sync(gateway, id, content([['C1', cells('普通客户')], ['C2', cells('普通客户')]]));
    const before = tabValues(await gateway.read(id), CUSTOMER_TAB);
    const written = await gateway.writeCells(id, [
      { tab: CUSTOMER_TAB, row: 3, column: column('当前等级'), value: '中银理财客户' },
      { tab: '考核', row: 2, column: 1, value: '建档完整' },
    ]);
    expect(written).toBe(2);
    const after = await gateway.read(id);
    const expected = before.map((row) => [...row]);
    expected[2]![column('当前等级') - 1] = '中银理财客户';
    expect(tabValues(after, CUSTOMER_TAB)).toEqual(expected);
    expect(tabValues(after, '考核')[1]).toEqual(['建档完整']);
    expect(await gateway.writeCells(id, [])).toBe(0);
  });

  it('a value starting with = stays text, a number stays a number, text that looks like a number stays text, and "" empties a cell', async () => {
    const { gateway } = h();
    const id = await h().create();
    await sync(gateway, id, content([['C1', cells('普通客户')]]));
    await gateway.writeCells(id, [
      { tab: '考核', row: 2, column: 1, value: '=SUM(A1:A9)' },
      { tab: '考核', row: 2, column: 2, value: 42 },
      { tab: '考核', row: 2, column: 3, value: '007' },
      { tab: '考核', row: 2, column: 4, value: 'x' },
    ]);
    await gateway.writeCells(id, [{ tab: '考核', row: 2, column: 4, value: '' }]);
    expect(tabValues(await gateway.read(id), '考核')[1]).toEqual(['=SUM(A1:A9)', '42', '007']);
    expect(await h().stored(id, '考核', 2, 1)).toEqual({ kind: 'text', value: '=SUM(A1:A9)' });
    expect(await h().stored(id, '考核', 2, 2)).toEqual({ kind: 'number', value: 42 });
    expect(await h().stored(id, '考核', 2, 3)).toEqual({ kind: 'text', value: '007' });
    expect(await h().stored(id, '考核', 2, 4)).toEqual({ kind: 'empty', value: null });
  });

  it('a manager’s own column and their edits are never touched: only the computed cell that changed is written', async () => {
    const { gateway } = h();
    const id = await h().create();
    await sync(gateway, id, content([['C1', cells('普通客户')], ['C2', cells('普通客户')]], noLists, [['C1', { 工作单位: '市第一医院' }]]));
    // their own column Z (26) with a note on C1's row; C2's phone typed in; C1's employer changed
    await h().manager.type(id, CUSTOMER_TAB, [
      { row: 1, column: 26, value: '我的备注' },
      { row: 2, column: 26, value: '=重点客户' },
      { row: 3, column: column('手机号码'), value: '13800138000' },
      { row: 2, column: column('工作单位'), value: '市第二医院' },
    ]);
    const next = await sync(gateway, id, content([['C1', cells('中银理财客户')], ['C2', cells('普通客户')]], noLists, [['C1', { 工作单位: '市第一医院' }]]));
    expect(next.structure).toEqual([]);
    expect(next.writes).toEqual([{ tab: CUSTOMER_TAB, row: 2, column: column('当前等级'), value: '中银理财客户', sheetId: tab(await gateway.read(id), CUSTOMER_TAB).sheetId, header: '当前等级' }]);
    const values = tabValues(await gateway.read(id), CUSTOMER_TAB);
    expect(values[0]?.[25]).toBe('我的备注');
    expect(values[1]?.[25]).toBe('=重点客户');
    expect(await h().stored(id, CUSTOMER_TAB, 2, 26)).toEqual({ kind: 'text', value: '=重点客户' });
    expect(values[2]?.[column('手机号码') - 1]).toBe('13800138000');
    expect(values[1]?.[column('工作单位') - 1]).toBe('市第二医院'); // the archive was written on the new row only
    expect(values[1]?.[column('当前等级') - 1]).toBe('中银理财客户');
  });

  it('a column the manager moved to A and renamed is found by its tag: written there, its protection with it, nothing appended or added', async () => {
    const { gateway } = h();
    const id = await h().create();
    await sync(gateway, id, content([['C1', cells('中银理财客户')]]));
    await h().manager.moveColumn(id, CUSTOMER_TAB, column('当前等级'), 1);
    await h().manager.type(id, CUSTOMER_TAB, [{ row: 1, column: 1, value: '等级' }]);

    const snapshot = await gateway.read(id);
    expect(tab(snapshot, CUSTOMER_TAB).columnTags.get(1)).toBe('当前等级');
    expect(tab(snapshot, CUSTOMER_TAB).columnTags.get(2)).toBe('客户号');
    const next = planBranchSheet(snapshot, content([['C1', cells('中银财富管理客户')]]));
    expect(next.structure).toEqual([]); // tags, protection and the colour rules moved with the columns
    expect(next.problems).toEqual([]);
    expect(next.writes).toEqual([{ tab: CUSTOMER_TAB, row: 2, column: 1, value: '中银财富管理客户', sheetId: tab(snapshot, CUSTOMER_TAB).sheetId, header: '当前等级' }]);
    await gateway.writeCells(id, next.writes);
    const values = tabValues(await gateway.read(id), CUSTOMER_TAB);
    expect(values[0]?.slice(0, 2)).toEqual(['等级', '客户号']);
    expect(values[0]).not.toContain('当前等级');
    expect(values[1]?.[0]).toBe('中银财富管理客户');
  });

  it('a column the manager deleted comes back at the end, tagged and protected, and a tab they renamed is still the system’s', async () => {
    const { gateway } = h();
    const id = await h().create();
    await sync(gateway, id, content([['C1', cells('中银理财客户')]]));
    await h().manager.deleteColumn(id, CUSTOMER_TAB, column('产品数'));
    await h().manager.renameTab(id, '待办', '我的待办');
    const next = await sync(gateway, id, content([['C1', cells('中银理财客户')]]));
    // 23 columns are left; 产品数 comes back as the 24th
    expect(next.structure.map((c) => c.kind)).toEqual(['tagColumn', 'protect']);
    expect(next.tabsAdded).toEqual([]);
    const snapshot = await gateway.read(id);
    const customers = tab(snapshot, CUSTOMER_TAB);
    expect(customers.values[0]?.[23]).toBe('产品数');
    expect(customers.values[1]?.[23]).toBe('3');
    expect(customers.columnTags.get(24)).toBe('产品数');
    expect(customers.protections.filter((p) => p.description === protectionDescription({ kind: 'column', name: '产品数' })).map((p) => p.span)).toEqual([{ fromRow: 1, fromColumn: 24, toColumn: 24 }]);
    expect(tab(snapshot, '我的待办').tabTag).toBe('待办');
    expect(snapshot.tabs.some((t) => t.title === '待办')).toBe(false);
    expect(planBranchSheet(snapshot, content([['C1', cells('中银理财客户')]])).structure).toEqual([]);
  });
});

/**
 * The nightly run of one branch (runNightlyBranch, as test/integration/nightly-branch.test.ts
 * runs it) through each gateway, every part real: the emulator (one project per gateway, the
 * same branch in each), the Google gateway on the test server, the local gateway on a
 * workbook registered as the branch's `workbookId`.
 */
describe('the nightly run through each gateway', () => {
  const today = parseCivilDay('2026-11-10')!;
  const tomorrow = parseCivilDay('2026-11-11')!;
  const scheme = bundledScheme('boc')!;
  const standards = bundledStandards('d2')!;
  const stores = { google: testFirestore('gateway-contract-google'), xlsx: testFirestore('gateway-contract-xlsx') };

  afterAll(async () => {
    await Promise.all(Object.values(stores).map((s) => s.db.terminate()));
  });

  /** a fresh branch B01 with N1 (upgraded to licai for November) and N2 (base), its sheet new */
  async function branch(kind: 'google' | 'xlsx'): Promise<{ deps: NightlyBranchDeps; id: string; db: Firestore }> {
    const { db, clear } = stores[kind];
    await clear();
    const harness = harnesses.find((x) => x.kind === kind)!;
    const id = await harness.create('B01');
    await db.collection('branches').doc('B01').set(kind === 'google' ? { branchId: 'B01', spreadsheetId: id } : { branchId: 'B01', spreadsheetId: null, workbookId: id });
    await seedTwoCustomers(db);
    const deps: NightlyBranchDeps = { db, scheme, standards, sheets: harness.gateway, now: () => new Date(), ...(kind === 'xlsx' ? { sheetField: 'workbookId' as const } : {}) };
    return { deps, id, db };
  }

  const layoutTabs = [CUSTOMER_TAB, ...LIST_TABS.map((t) => t.name)];
  const shown = (snapshot: SpreadsheetSnapshot) => Object.fromEntries(layoutTabs.map((title) => [title, tabValues(snapshot, title)]));

  it('writes the same 客户名单 and list tabs through either gateway, records the tier change once, and a re-run writes nothing', async () => {
    const results: Record<string, { report: Awaited<ReturnType<typeof runNightlyBranch>>; tabs: Record<string, readonly (readonly string[])[]>; again: Awaited<ReturnType<typeof runNightlyBranch>>; events: number }> = {};
    for (const kind of ['google', 'xlsx'] as const) {
      const { deps, id, db } = await branch(kind);
      const report = await runNightlyBranch(deps, 'B01', today);
      const tabs = shown(await deps.sheets.read(id));
      const again = await runNightlyBranch(deps, 'B01', today);
      results[kind] = { report, tabs, again, events: (await db.collection('tierEvents').get()).size };
    }
    const { google: g, xlsx: x } = results as Record<'google' | 'xlsx', (typeof results)[string]>;
    expect(x.tabs).toEqual(g.tabs);
    // and what they show is the run's: N1 licai with its archive on the new row, N2 base, 更新时间 the business date
    const customers = g.tabs[CUSTOMER_TAB]!;
    const at = (id: string, header: string) => customers.find((r) => r[0] === id)?.[customers[0]!.indexOf(header)];
    expect(customers[0]).toEqual([...CUSTOMER_HEADERS]);
    expect([at('N1', '当前等级'), at('N1', '工作单位'), at('N2', '当前等级'), at('N1', '更新时间')]).toEqual(['中银理财客户', '市第一医院', '普通客户', '2026-11-10']);
    for (const r of [g, x]) {
      expect(r.report).toMatchObject({ customers: 2, skipped: [], tierEventsCreated: 1, sheetRequests: 3, reevaluated: [], sheetProblems: [] });
      expect(r.again).toMatchObject({ tierEventsCreated: 0, cellsWritten: 0, structureChanges: 0, sheetRequests: 1 });
      expect(r.events).toBe(1);
    }
    // the same cells written; a new Google spreadsheet lacks every layout tab, a new workbook has a blank 客户名单
    expect(x.report.cellsWritten).toBe(g.report.cellsWritten);
    expect(g.report.tabsAdded).toEqual(layoutTabs);
    expect(x.report.tabsAdded).toEqual(layoutTabs.slice(1));
  });

  it('local: an override saved in the workbook and sent by ladder watch while the run is reading is evaluated again, not overwritten, and not sent twice', async () => {
    const { deps, id, db } = await branch('xlsx');
    await runNightlyBranch(deps, 'B01', today);
    const path = await workbookFolder(folder)(id);
    const watch: LocalEditDeps = { db, scheme, standards, engine: createTierEngine(scheme), now: () => new Date(), today: () => tomorrow };
    expect(await processWorkbookEdits(path, watch)).toMatchObject({ kind: 'processed', rowsSent: 0 }); // the first night's archive is not an edit

    // Between the run's Firestore read and its workbook read, the manager sets N2's override,
    // saves, and ladder watch sends it (stored, logged, N2's computed cells written back).
    const real = deps.sheets;
    let sent: unknown = null;
    const during: SheetsGateway = {
      read: async (sheet) => {
        await managerSaves(path, 'N2', { 指定等级: '中银财富管理客户', 指定原因: '总行批准', 指定截止月: '2027-03' });
        sent = await processWorkbookEdits(path, watch);
        return real.read(sheet);
      },
      updateStructure: (sheet, changes) => real.updateStructure(sheet, changes),
      writeCells: (sheet, writes) => real.writeCells(sheet, writes),
    };
    const report = await runNightlyBranch({ ...deps, sheets: during }, 'B01', tomorrow);
    expect(sent).toMatchObject({ kind: 'processed', rowsSent: 1, accepted: 3, refused: 0, writeBack: 'written' });
    expect(report.reevaluated).toEqual(['N2']);
    const customers = tabValues(await real.read(id), CUSTOMER_TAB);
    const n2 = customers.find((r) => r[0] === 'N2')!;
    // evaluated from the facts read before the edit, N2 would be 普通客户 again
    expect(n2[customers[0]!.indexOf('当前等级')]).toBe('中银财富管理客户');
    expect(n2[customers[0]!.indexOf('更新时间')]).toBe('2026-11-11');
    // the watcher finds nothing new: the override was sent once, and the snapshot, which reflected
    // the file the run loaded (the watcher's write-back), reflects the run's write too
    expect(await processWorkbookEdits(path, watch)).toMatchObject({ kind: 'unchanged' });
    expect((await db.collection('editLog').get()).size).toBe(3);
  });
});

/** The manager at work in the local workbook: open, type into a customer's row by header, save. */
async function managerSaves(path: string, customerId: string, values: Record<string, string>): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.getWorksheet(CUSTOMER_TAB)!;
  const headers = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  sheet.eachRow((row) => {
    if (row.getCell(headers.indexOf('客户号')).value !== customerId) return;
    for (const [header, value] of Object.entries(values)) row.getCell(headers.indexOf(header)).value = value;
  });
  workbook.lastModifiedBy = '李经理';
  await workbook.xlsx.writeFile(path);
}
