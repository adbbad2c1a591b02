import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMonth } from '../../shared/month.js';
import { CUSTOMER_HEADERS, CUSTOMER_TAB } from '../../shared/sheets/branch-layout.js';
import { AppsScriptPart } from './support/apps-script-part.js';
import { AVERAGE_YUAN, BRANCH, customerId, employerOf, kindOf, seedBranch, TIER_ZH, type Kind } from './support/branch-bank.js';
import { BranchSheet } from './support/branch-sheet.js';
import { customerCellsWritten, requestsSince } from './support/sheet-requests.js';
import { businessToday, okJson, startLadderStack, type BusinessToday, type LadderStack } from './support/ladder-stack.js';

/**
 * End to end, as a branch lives it: the nightly run creates and fills the branch sheet from
 * Firestore; a manager types an override and an archive field; the Apps Script's part posts
 * the row to sheetEdit and writes the answered computed cells back; the next nightly runs keep
 * the edit and write nothing that did not change. Every part real (ladder-stack.ts).
 */

const COUNT = 520;
let stack: LadderStack;
let today: BusinessToday;
let sheet: BranchSheet;
let script: AppsScriptPart;
let spreadsheetId = '';

beforeAll(async () => {
  stack = await startLadderStack('e2e-edit-round-trip');
  today = businessToday();
  ({ spreadsheetId } = await seedBranch(stack.db, stack.sheets, COUNT, today.month));
  sheet = new BranchSheet(stack.sheets, spreadsheetId);
  script = new AppsScriptPart(sheet, stack.postEdit, BRANCH);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** The nightly run over HTTP for today (the date sheetEdit computes for). */
function nightly() {
  return okJson(stack.postNightly({ branchId: BRANCH, businessDate: today.text }));
}

// The next tier and the gap to it (primary path: daily average), by hand:
// base 200,000 − 50,000 = 150,000; near 200,000 − 150,000 = 50,000;
// licai 1,000,000 − 250,000 = 750,000; wealth 6,000,000 − 1,200,000 = 4,800,000.
const NEXT: Readonly<Record<Kind, { tier: string; gap: string }>> = {
  base: { tier: '中银理财客户', gap: '150000.00' },
  near: { tier: '中银理财客户', gap: '50000.00' },
  licai: { tier: '中银财富管理客户', gap: '750000.00' },
  wealth: { tier: '私人银行客户', gap: '4800000.00' },
};

describe('a branch sheet, end to end', () => {
  it('the nightly run creates 客户名单 and fills one row per customer from Firestore', async () => {
    const report = await nightly();
    expect(report).toMatchObject({ branchId: BRANCH, businessDate: today.text, customers: COUNT, skipped: [], spreadsheetId, tabsAdded: [CUSTOMER_TAB, '升级名单', '降级预警', '待办', '考核'] });
    expect(stack.sheetsServer.countRequests(spreadsheetId, 'values.batchUpdateByDataFilter')).toBe(1);

    const { header, rows } = await sheet.table();
    expect(header).toEqual(CUSTOMER_HEADERS);
    expect(rows.map((r) => r.cells['客户号'])).toEqual(Array.from({ length: COUNT }, (_, i) => customerId(i + 1)));
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 2));
    for (const [i, { cells }] of rows.entries()) {
      const n = i + 1;
      const kind = kindOf(n);
      expect(cells, customerId(n)).toMatchObject({
        当前等级: TIER_ZH[kind],
        月日均资产: `${AVERAGE_YUAN[kind]}.00`,
        下一等级: NEXT[kind].tier,
        距下一等级差额: NEXT[kind].gap,
        工作单位: employerOf(n) ?? '',
        指定等级: '',
        更新时间: today.text,
      });
    }
    // 520 customers, n % 4 spreads them evenly: 130 of each kind; base and near are both 普通客户.
    const count = (tier: string) => rows.filter((r) => r.cells['当前等级'] === tier).length;
    expect([count('普通客户'), count('中银理财客户'), count('中银财富管理客户')]).toEqual([260, 130, 130]);
    const run = (await stack.db.collection('runs').doc(`nightly_${today.text}_${BRANCH}`).get()).data();
    expect(run).toMatchObject({ status: 'done', report: { customers: COUNT } });
  }, 60_000);

  it('an override and an archive edit go to Firestore and the edit log, and the computed cells come back into the row', async () => {
    const id = 'C0003'; // near: 150,000 a day, 普通客户, 50,000 short of 中银理财客户
    const until = formatMonth(today.month + 2);
    const before = await sheet.row(id);
    expect(before.cells).toMatchObject({ 当前等级: '普通客户', 工作单位: '单位3' });

    await sheet.type(id, { 指定等级: '中银财富管理客户', 指定原因: '总行批准：大额存单续作', 指定截止月: until, 工作单位: '市第一医院' });
    const [answer] = await script.onEdit('wang@bank.example', [{ customerId: id, headers: ['指定等级', '指定原因', '指定截止月', '工作单位'] }]);

    expect(answer).toMatchObject({ row: before.row, customerId: id, refused: [] });
    expect([...answer!.accepted].sort()).toEqual(['工作单位', '指定原因', '指定截止月', '指定等级'].sort());
    // Forced to 中银财富管理客户 this month: the next tier is 私人银行客户, 6,000,000 − 150,000 = 5,850,000 short.
    expect(answer!.computed).toMatchObject({ 当前等级: '中银财富管理客户', 下一等级: '私人银行客户', 距下一等级差额: '5850000.00', 月日均资产: '150000.00', 更新时间: today.text });

    const stored = (await stack.db.collection('customers').doc(id).get()).data()!;
    expect(stored['profile'].archive.employer).toBe('市第一医院');
    expect(stored['override']).toEqual({ tier: 'wealth', from: formatMonth(today.month), until, reason: '总行批准：大额存单续作', by: 'wang@bank.example' });
    expect(stored['editedBy']).toBe('wang@bank.example');

    const log = (await stack.db.collection('editLog').where('editor', '==', 'wang@bank.example').get()).docs.map((d) => d.data());
    expect(log).toHaveLength(4); // one entry per edited cell
    expect(log.map((e) => [e['column'], e['value'], e['accepted'], e['row'], e['customerId']]).sort()).toEqual(
      [
        ['工作单位', '市第一医院', true, before.row, id],
        ['指定原因', '总行批准：大额存单续作', true, before.row, id],
        ['指定截止月', until, true, before.row, id],
        ['指定等级', '中银财富管理客户', true, before.row, id],
      ].sort(),
    );

    const after = await sheet.row(id);
    expect(after.row).toBe(before.row);
    expect(after.cells).toMatchObject({ ...answer!.computed, 指定等级: '中银财富管理客户', 指定原因: '总行批准：大额存单续作', 指定截止月: until, 工作单位: '市第一医院' });
  });

  it('the next nightly run keeps the edit: no flip back, no write to 客户名单, then nothing at all', async () => {
    const id = 'C0003';
    const rowBefore = await sheet.row(id);
    const valuesBefore = await sheet.values();
    const mark = stack.sheetsServer.requests.length;

    const report = await nightly();
    // The override is a tier change decided at last month's assessment (普通客户 → 中银财富管理客户): one event.
    expect(report).toMatchObject({ customers: COUNT, tierEventsCreated: 1 });
    expect((await stack.db.collection('tierEvents').doc(`${id}_${formatMonth(today.month)}`).get()).data()).toMatchObject({ from: 'base', to: 'wealth', reason: 'override' });
    expect(customerCellsWritten(stack.sheetsServer, spreadsheetId, mark)).toEqual([]);
    expect(await sheet.values()).toEqual(valuesBefore);
    expect((await sheet.row(id)).cells).toEqual(rowBefore.cells);

    // Nothing changed since: the run reads the spreadsheet once and sends nothing, values or structure.
    const mark2 = stack.sheetsServer.requests.length;
    expect(await nightly()).toMatchObject({ cellsWritten: 0, tierEventsCreated: 0 });
    expect(requestsSince(stack.sheetsServer, spreadsheetId, mark2).map((r) => r.operation)).toEqual(['spreadsheets.get']);
  }, 60_000);
});
