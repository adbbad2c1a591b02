import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMonth } from '../../shared/month.js';
import { AppsScriptPart, notesOf } from './support/apps-script-part.js';
import { BRANCH, customerId, kindOf, seedBranch, TIER_ZH } from './support/branch-bank.js';
import { BranchSheet, letterOf, TAB_RANGE } from './support/branch-sheet.js';
import { customerCellsWritten } from './support/sheet-requests.js';
import { businessToday, okJson, startLadderStack, type BusinessToday, type LadderStack } from './support/ladder-stack.js';

/**
 * End to end: a manager pastes 500 rows at once (one sheetEdit request, every row answered and
 * stored, one edit-log entry per cell), and types bad cells (refused with the Chinese reason
 * as a note, the row's good cells stored, nothing of the bad value stored, the refusal logged).
 */

const COUNT = 520;
const PASTED = 500;
let stack: LadderStack;
let today: BusinessToday;
let sheet: BranchSheet;
let script: AppsScriptPart;
let spreadsheetId = '';

beforeAll(async () => {
  stack = await startLadderStack('e2e-paste-and-bad-cells');
  today = businessToday();
  ({ spreadsheetId } = await seedBranch(stack.db, stack.sheets, COUNT, today.month));
  sheet = new BranchSheet(stack.sheets, spreadsheetId);
  script = new AppsScriptPart(sheet, stack.postEdit, BRANCH);
  await okJson(stack.postNightly({ branchId: BRANCH, businessDate: today.text }));
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function editLogOf(editor: string) {
  return (await stack.db.collection('editLog').where('editor', '==', editor).get()).docs.map((d) => d.data());
}

/** risk profiles typed in lower case half the time: c1…c5 are stored upper case */
const riskOf = (n: number) => `${n % 2 === 0 ? 'c' : 'C'}${(n % 5) + 1}`;
const pastedEmployer = (n: number) => `粘贴单位${n}`;

describe('a paste of 500 rows', () => {
  it('is sent in one request, every row answered and stored, one edit-log entry per cell', async () => {
    const table = await sheet.table();
    const first = table.rows[0]!.row;
    const last = first + PASTED - 1;
    expect([first, last]).toEqual([2, 501]); // rows 2…501 hold C0001…C0500 (sorted by the first run)
    // The paste: two column blocks of 500 cells each, in one update as the sheet UI sends it.
    await stack.sheets.spreadsheets.values.batchUpdate({
      spreadsheetId,
      requestBody: {
        valueInputOption: 'USER_ENTERED',
        data: [
          { range: `${TAB_RANGE}!${letterOf(table, '工作单位')}${first}:${letterOf(table, '工作单位')}${last}`, values: Array.from({ length: PASTED }, (_, i) => [pastedEmployer(i + 1)]) },
          { range: `${TAB_RANGE}!${letterOf(table, '风险特征')}${first}:${letterOf(table, '风险特征')}${last}`, values: Array.from({ length: PASTED }, (_, i) => [riskOf(i + 1)]) },
        ],
      },
    });
    const edited = Array.from({ length: PASTED }, (_, i) => ({ customerId: customerId(i + 1), headers: ['工作单位', '风险特征'] }));
    const editRequestsBefore = stack.sheetsServer.requests.length;
    const answer = await script.onEdit('paste@bank.example', edited);

    expect(answer).toHaveLength(PASTED);
    answer.forEach((row, i) => {
      expect(row, customerId(i + 1)).toMatchObject({ row: i + 2, customerId: customerId(i + 1), accepted: ['工作单位', '风险特征'], refused: [] });
      expect(row.computed, customerId(i + 1)).not.toBeNull();
    });

    const docs = await stack.db.getAll(...Array.from({ length: COUNT }, (_, i) => stack.db.collection('customers').doc(customerId(i + 1))));
    docs.forEach((doc, i) => {
      const n = i + 1;
      const archive = doc.get('profile.archive');
      if (n <= PASTED) expect(archive, customerId(n)).toEqual({ employer: pastedEmployer(n), riskProfile: riskOf(n).toUpperCase() });
      else expect(archive.riskProfile, customerId(n)).toBeUndefined(); // the 20 rows not pasted are untouched
    });

    // 500 rows × 2 cells = 1,000 entries, all accepted
    const log = await editLogOf('paste@bank.example');
    expect(log).toHaveLength(1_000);
    expect(log.filter((e) => e['accepted'] === true)).toHaveLength(1_000);
    expect(new Set(log.map((e) => `${e['customerId']}/${e['column']}`)).size).toBe(1_000);

    // The computed cells went back into the rows: 建档完整度 by hand — below 1,000,000 six archive
    // fields are required, 2 of 6 filled = 33% (rounded down); 中银财富管理客户 (1,200,000) also need
    // the five service-plan fields, 2 of 11 = 18%.
    const after = await sheet.table();
    for (let n = 1; n <= PASTED; n++) {
      expect(after.rows[n - 1]!.cells, customerId(n)).toMatchObject({ 客户号: customerId(n), 工作单位: pastedEmployer(n), 建档完整度: kindOf(n) === 'wealth' ? '18%' : '33%', 当前等级: TIER_ZH[kindOf(n)] });
    }
    // The script wrote back with one values request (and no notes: nothing was refused).
    const scriptWrites = stack.sheetsServer.requests.slice(editRequestsBefore).filter((r) => r.operation === 'values.batchUpdate' || r.operation === 'spreadsheets.batchUpdate');
    expect(scriptWrites.map((r) => r.operation)).toEqual(['values.batchUpdate']);
  }, 90_000);

  it('the nightly run after the paste finds every computed cell already right', async () => {
    const mark = stack.sheetsServer.requests.length;
    await okJson(stack.postNightly({ branchId: BRANCH, businessDate: today.text }));
    expect(customerCellsWritten(stack.sheetsServer, spreadsheetId, mark)).toEqual([]);
  }, 60_000);
});

describe('bad cells', () => {
  it('are refused with the Chinese reason as a note; the row’s good cells are stored, the bad values are not, the edit log says rejected', async () => {
    const past = formatMonth(today.month - 1);
    const soon = formatMonth(today.month + 1);
    // C0505 has a good mobile on record first, so that "nothing of the bad value stored" can fail.
    await sheet.type('C0505', { 手机号码: '13812345678' });
    expect((await script.onEdit('setup@bank.example', [{ customerId: 'C0505', headers: ['手机号码'] }]))[0]!.accepted).toEqual(['手机号码']);

    await sheet.type('C0505', { 手机号码: '12345', 风险特征: 'C9', 工作单位: '新单位', 家庭住址: '北京路1号' });
    await sheet.type('C0506', { 指定等级: '中银理财客户', 指定截止月: soon }); // no 指定原因
    await sheet.type('C0507', { 指定等级: '中银理财客户', 指定原因: '试点', 指定截止月: past, 联系备注: '电话未接通' });
    const answer = await script.onEdit('bad@bank.example', [
      { customerId: 'C0505', headers: ['手机号码', '风险特征', '工作单位', '家庭住址'] },
      { customerId: 'C0506', headers: ['指定等级', '指定截止月'] },
      { customerId: 'C0507', headers: ['指定等级', '指定原因', '指定截止月', '联系备注'] },
    ]);
    const [r505, r506, r507] = answer;

    expect([...r505!.accepted].sort()).toEqual(['家庭住址', '工作单位'].sort());
    expect(r505!.refused).toEqual(
      expect.arrayContaining([
        { column: '手机号码', zh: '手机号码应为11位数字，以13–19开头' },
        { column: '风险特征', zh: '风险特征应为C1–C5之一' },
      ]),
    );
    expect(r505!.refused).toHaveLength(2);
    // The script sends the three override cells together; all three are refused for the missing reason.
    expect(r506!.accepted).toEqual([]);
    expect(r506!.refused.map((r) => r.column).sort()).toEqual(['指定原因', '指定截止月', '指定等级'].sort());
    expect(new Set(r506!.refused.map((r) => r.zh))).toEqual(new Set(['指定等级必须填写指定原因']));
    expect(r507!.accepted).toEqual(['联系备注']);
    expect(new Set(r507!.refused.map((r) => r.zh))).toEqual(new Set([`指定截止月${past}已过，应不早于本月${formatMonth(today.month)}`]));
    expect(r507!.refused).toHaveLength(3);

    const doc = async (id: string) => (await stack.db.collection('customers').doc(id).get()).data()!;
    const c505 = await doc('C0505');
    expect(c505['profile'].archive).toEqual({ employer: '新单位', homeAddress: '北京路1号', mobile: '13812345678' }); // no riskProfile, the old mobile kept
    expect((await doc('C0506'))['override']).toBeUndefined();
    const c507 = await doc('C0507');
    expect(c507['override']).toBeUndefined();
    expect(c507['lastContact']).toEqual({ note: '电话未接通' });

    const log = await editLogOf('bad@bank.example');
    expect(log).toHaveLength(4 + 3 + 4); // every cell sent: C0505 four, C0506 the three override cells, C0507 four
    const rejected = log.filter((e) => e['accepted'] === false).map((e) => [e['customerId'], e['column'], e['value'], e['reason']]);
    expect(rejected).toEqual(
      expect.arrayContaining([
        ['C0505', '手机号码', '12345', 'mobile must be 11 digits starting 13–19'],
        ['C0505', '风险特征', 'C9', 'risk profile must be one of C1–C5'],
        ['C0506', '指定原因', '', 'an override needs a reason'],
        ['C0507', '指定截止月', past, `override end month ${past} is already past`],
      ]),
    );
    expect(rejected).toHaveLength(2 + 3 + 3);

    // The tier is unchanged where the override was refused: C0506 is 中银财富管理客户 (n % 4 = 2), C0507 普通客户 (near).
    expect([r506!.computed?.['当前等级'], r507!.computed?.['当前等级']]).toEqual([TIER_ZH.wealth, TIER_ZH.near]);
    // The refusals are notes on the very cells (row and column found by 客户号 and header).
    const table = await sheet.table();
    const notes = notesOf(stack.sheetsServer.state.get(spreadsheetId).formats);
    const noteAt = (id: string, header: string) => notes.get(`${table.rows.find((r) => r.cells['客户号'] === id)!.row}:${table.header.indexOf(header)}`);
    expect(noteAt('C0505', '手机号码')).toBe('手机号码应为11位数字，以13–19开头');
    expect(noteAt('C0505', '风险特征')).toBe('风险特征应为C1–C5之一');
    expect(noteAt('C0505', '工作单位')).toBeUndefined();
    expect(noteAt('C0506', '指定原因')).toBe('指定等级必须填写指定原因');
    expect(noteAt('C0507', '指定截止月')).toBe(`指定截止月${past}已过，应不早于本月${formatMonth(today.month)}`);
  }, 60_000);
});
