import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPUTED_HEADERS, CUSTOMER_HEADERS, CUSTOMER_TAB } from '../../shared/sheets/branch-layout.js';
import { AppsScriptPart } from './support/apps-script-part.js';
import { BRANCH, customerId, seedBranch, setLastMonthAverage, TIER_ZH } from './support/branch-bank.js';
import { BranchSheet } from './support/branch-sheet.js';
import { customerCellsWritten } from './support/sheet-requests.js';
import { businessToday, okJson, startLadderStack, type BusinessToday, type LadderStack } from './support/ladder-stack.js';

/**
 * End to end: the branch makes the sheet its own — inserts a column of its own (备注2) between
 * layout columns, moves layout columns, sorts the rows — and then edits and the nightly run
 * still land in the right cells, found by header and 客户号; nothing is duplicated, the
 * branch's column is never written, and a column outside the layout is refused if sent.
 */

const COUNT = 520;
const OWN = '备注2';
let stack: LadderStack;
let today: BusinessToday;
let sheet: BranchSheet;
let script: AppsScriptPart;
let spreadsheetId = '';
let sheetId = 0;

beforeAll(async () => {
  stack = await startLadderStack('e2e-reordered-sheet');
  today = businessToday();
  ({ spreadsheetId } = await seedBranch(stack.db, stack.sheets, COUNT, today.month));
  sheet = new BranchSheet(stack.sheets, spreadsheetId);
  script = new AppsScriptPart(sheet, stack.postEdit, BRANCH);
  await okJson(stack.postNightly({ branchId: BRANCH, businessDate: today.text }));
  sheetId = await sheet.sheetId();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

function structural(requests: object[]) {
  return stack.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } });
}

describe('a sheet the branch has reordered', () => {
  it('a column of the branch’s own, moved columns and sorted rows: the next nightly run finds every cell by header and 客户号 and writes nothing', async () => {
    const header = CUSTOMER_HEADERS as string[];
    // 1. 备注2 inserted between 工作单位 and 手机号码, filled on every row
    const at = header.indexOf('手机号码');
    await structural([{ insertDimension: { range: { sheetId, dimension: 'COLUMNS', startIndex: at, endIndex: at + 1 } } }]);
    const own = String.fromCharCode(65 + at); // at < 26
    await stack.sheets.spreadsheets.values.batchUpdate({
      spreadsheetId,
      requestBody: { valueInputOption: 'RAW', data: [{ range: `'${CUSTOMER_TAB}'!${own}1:${own}${COUNT + 1}`, values: [[OWN], ...Array.from({ length: COUNT }, (_, i) => [`自有${customerId(i + 1)}`])] }] },
    });
    // 2. 当前等级 moved to column B, 工作单位 moved to the far right
    let now = (await sheet.values())[0]!;
    const tier = now.indexOf('当前等级');
    await structural([{ moveDimension: { source: { sheetId, dimension: 'COLUMNS', startIndex: tier, endIndex: tier + 1 }, destinationIndex: 1 } }]);
    now = (await sheet.values())[0]!;
    const employer = now.indexOf('工作单位');
    await structural([{ moveDimension: { source: { sheetId, dimension: 'COLUMNS', startIndex: employer, endIndex: employer + 1 }, destinationIndex: now.length } }]);
    // 3. rows sorted by 客户号, descending: customer n is now on row 522 − n (C0520 on row 2, C0001 on row 521)
    now = (await sheet.values())[0]!;
    await structural([{ sortRange: { range: { sheetId, startRowIndex: 1, endRowIndex: COUNT + 1, startColumnIndex: 0, endColumnIndex: now.length }, sortSpecs: [{ dimensionIndex: now.indexOf('客户号'), sortOrder: 'DESCENDING' }] } }]);

    const table = await sheet.table();
    expect(table.header[1]).toBe('当前等级');
    expect(table.header[table.header.length - 1]).toBe('工作单位');
    expect([...table.header].sort()).toEqual([...header, OWN].sort());
    expect(table.rows.map((r) => [r.row, r.cells['客户号']])).toEqual(Array.from({ length: COUNT }, (_, i) => [i + 2, customerId(COUNT - i)]));
    // C0003 (n % 4 = 3, near) kept its own cells through the moves: it is on row 522 − 3 = 519
    expect((await sheet.row('C0003')).cells).toMatchObject({ 当前等级: '普通客户', 工作单位: '单位3', [OWN]: '自有C0003' });
    expect((await sheet.row('C0003')).row).toBe(519);

    const mark = stack.sheetsServer.requests.length;
    const report = await okJson(stack.postNightly({ branchId: BRANCH, businessDate: today.text }));
    expect(customerCellsWritten(stack.sheetsServer, spreadsheetId, mark)).toEqual([]);
    expect(report).toMatchObject({ customers: COUNT, tabsAdded: [] });
  }, 60_000);

  it('an edit and a nightly change after the reorder land in the right row and column; nothing is duplicated; the branch’s column is untouched', async () => {
    // An ingest raised C0004's last month (n % 4 = 0, base) from 50,000 to 300,000 a day: 中银理财客户
    // this month, 1,000,000 − 300,000 = 700,000 short of 中银财富管理客户.
    await setLastMonthAverage(stack.db, 'C0004', today.month, 300_000);
    await sheet.type('C0003', { 风险特征: 'C3', 工作单位: '市第二医院' });
    const mark = stack.sheetsServer.requests.length; // after the manager's own typing
    const [answer] = await script.onEdit('li@bank.example', [{ customerId: 'C0003', headers: ['风险特征', '工作单位'] }]);
    expect(answer).toMatchObject({ row: 519, accepted: ['风险特征', '工作单位'], refused: [] });
    // 2 of 6 archive fields now = 33% (was 1 of 6 = 16%)
    expect(answer!.computed).toMatchObject({ 建档完整度: '33%', 当前等级: '普通客户' });

    await okJson(stack.postNightly({ branchId: BRANCH, businessDate: today.text }));
    const table = await sheet.table();
    const c3 = table.rows.find((r) => r.cells['客户号'] === 'C0003')!;
    const c4 = table.rows.find((r) => r.cells['客户号'] === 'C0004')!;
    expect(c3).toMatchObject({ row: 519, cells: { 风险特征: 'C3', 工作单位: '市第二医院', 建档完整度: '33%', [OWN]: '自有C0003' } });
    expect(c4).toMatchObject({ row: 518, cells: { 当前等级: TIER_ZH.licai, 月日均资产: '300000.00', 下一等级: '中银财富管理客户', 距下一等级差额: '700000.00', [OWN]: '自有C0004' } });
    expect((await stack.db.collection('customers').doc('C0003').get()).get('profile.archive')).toEqual({ employer: '市第二医院', riskProfile: 'C3' });

    // nothing duplicated: 520 rows, one per customer, each header once, nothing below the last row
    const values = await sheet.values();
    expect(values).toHaveLength(COUNT + 1);
    expect(new Set(table.rows.map((r) => r.cells['客户号'])).size).toBe(COUNT);
    expect(new Set(table.header).size).toBe(table.header.length);
    // the branch's column: every value where it was put, moved with its row, and never in a write since
    for (const r of table.rows) expect(r.cells[OWN], r.cells['客户号']).toBe(`自有${r.cells['客户号']}`);
    // Every cell written in 客户名单 since (the script's write-back, the nightly's change) is a
    // computed cell of C0003's row (519) or C0004's (518): never 备注2, never an editable cell.
    const written = customerCellsWritten(stack.sheetsServer, spreadsheetId, mark);
    expect(written.length).toBeGreaterThan(0);
    expect(new Set(written.map((c) => table.header[c.column]).filter((h) => !(COMPUTED_HEADERS as readonly string[]).includes(h!)))).toEqual(new Set());
    expect(new Set(written.map((c) => c.row))).toEqual(new Set([518, 519]));
  }, 60_000);

  it('a column outside the layout (or a computed one) is refused if sent, logged as rejected, and nothing of it is stored', async () => {
    // The script sends only the layout's editable columns: 备注2 is left out of its request.
    const request = await script.requestFor('li@bank.example', [{ customerId: 'C0005', headers: [OWN, '当前等级', '家庭电话'] }]);
    expect(request.rows[0]!.cells).toEqual({ 家庭电话: '' });

    // Sent anyway (an older script, a hand-made request): refused cell by cell, the good cell stored.
    const answer = await okJson<{ rows: any[] }>(
      stack.postEdit({ branchId: BRANCH, spreadsheetId, editor: 'odd@bank.example', rows: [{ row: 517, customerId: 'C0005', cells: { [OWN]: '改过', 当前等级: '私人银行客户', 家庭电话: '010-12345678' } }] }),
    );
    expect(answer.rows[0]).toMatchObject({ accepted: ['家庭电话'] });
    expect(answer.rows[0].refused).toEqual(
      expect.arrayContaining([
        { column: OWN, zh: `「${OWN}」由系统计算或不可编辑，修改未保存` },
        { column: '当前等级', zh: '「当前等级」由系统计算或不可编辑，修改未保存' },
      ]),
    );
    expect(answer.rows[0].refused).toHaveLength(2);
    // C0005 is n % 4 = 1: 中银理财客户 by its figures, whatever was sent for 当前等级
    expect(answer.rows[0].computed['当前等级']).toBe(TIER_ZH.licai);
    const stored = (await stack.db.collection('customers').doc('C0005').get()).data()!;
    expect(stored['profile'].archive).toEqual({ employer: '单位5', homePhone: '010-12345678' });
    expect(JSON.stringify(stored)).not.toContain('改过');
    expect(stored['override']).toBeUndefined();
    const log = (await stack.db.collection('editLog').where('editor', '==', 'odd@bank.example').get()).docs.map((d) => d.data());
    expect(log.map((e) => [e['column'], e['accepted'], e['reason']]).sort()).toEqual(
      [
        [OWN, false, `column "${OWN}" is not editable; the edit was not stored`],
        ['当前等级', false, 'column "当前等级" is not editable; the edit was not stored'],
        ['家庭电话', true, null],
      ].sort(),
    );
    // and the sheet's own column still holds the branch's value
    expect((await sheet.row('C0005')).cells[OWN]).toBe('自有C0005');
  });
});
