import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMonth } from '../../shared/month.js';
import { AppsScriptPart } from './support/apps-script-part.js';
import { BRANCH, seedBranch, setLastMonthAverage } from './support/branch-bank.js';
import { BranchSheet } from './support/branch-sheet.js';
import { businessToday, okJson, startLadderStack, type BusinessToday, type LadderStack } from './support/ladder-stack.js';

/**
 * End to end: a manager's edit arriving while the nightly run is between its reads and its
 * write. The run reads Firestore, then the sheet, then writes the computed cells that differ;
 * an edit stored in between must not be undone — not in Firestore, not in the manager's cells,
 * and the customer's computed cells must not be left stale. The Sheets API test server holds
 * the nightly's request (holdNext) so that the edit happens exactly in that gap.
 *
 * The customer edited has new figures waiting (an ingest raised its last month), so the run
 * has a change of its own to write for that very row: 普通客户 → 中银理财客户. The manager, in
 * the gap, sets an override to 中银财富管理客户. By hand: with 300,000 a day, 中银财富管理客户's
 * next tier is 私人银行客户, 6,000,000 − 300,000 = 5,700,000 short; the run's stale plan would
 * show 中银理财客户 and 1,000,000 − 300,000 = 700,000.
 */

const COUNT = 120;
let stack: LadderStack;
let today: BusinessToday;
let sheet: BranchSheet;
let script: AppsScriptPart;
let spreadsheetId = '';

beforeAll(async () => {
  stack = await startLadderStack('e2e-edit-during-nightly');
  today = businessToday();
  ({ spreadsheetId } = await seedBranch(stack.db, stack.sheets, COUNT, today.month));
  sheet = new BranchSheet(stack.sheets, spreadsheetId);
  script = new AppsScriptPart(sheet, stack.postEdit, BRANCH);
  await okJson(stack.postNightly({ branchId: BRANCH, businessDate: today.text }));
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const OVERRIDE = { 指定等级: '中银财富管理客户', 指定原因: '分行特批' } as const;
const EXPECTED = { 当前等级: '中银财富管理客户', 月日均资产: '300000.00', 下一等级: '私人银行客户', 距下一等级差额: '5700000.00' };

/**
 * Starts a nightly run, waits until its `operation` request reaches the Sheets server (held
 * there), lets the manager edit `id` and the Apps Script post and write back, then releases
 * the run and waits for its answer.
 */
async function editWhileNightlyHeldAt(operation: 'spreadsheets.get' | 'values.batchUpdateByDataFilter', id: string, editor: string) {
  const until = formatMonth(today.month + 2);
  const hold = stack.sheetsServer.holdNext(operation, (r) => r.spreadsheetId === spreadsheetId);
  const run = okJson(stack.postNightly({ branchId: BRANCH, businessDate: today.text }));
  try {
    await within(hold.arrived, 20_000, `the nightly run sent no ${operation} to the spreadsheet`);
    await sheet.type(id, { ...OVERRIDE, 指定截止月: until });
    const [answer] = await script.onEdit(editor, [{ customerId: id, headers: ['指定等级', '指定原因', '指定截止月'] }]);
    expect(answer).toMatchObject({ refused: [], computed: EXPECTED });
    expect(await sheet.row(id)).toMatchObject({ cells: EXPECTED }); // written back before the run goes on
  } finally {
    hold.release();
  }
  await run;
  return until;
}

/** a bound on a wait, so that a run that never makes the held request fails with a reason instead of hanging */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function expectEditKept(id: string, until: string, editor: string) {
  const stored = (await stack.db.collection('customers').doc(id).get()).data()!;
  expect(stored['override']).toEqual({ tier: 'wealth', from: formatMonth(today.month), until, reason: '分行特批', by: editor });
  const row = await sheet.row(id);
  expect(row.cells, 'the manager’s cells').toMatchObject({ ...OVERRIDE, 指定截止月: until });
  expect(row.cells, 'the computed cells, not the run’s stale plan').toMatchObject(EXPECTED);
}

describe('an edit arriving during a nightly write', () => {
  it('between the run’s read of the sheet and its write: the edit and its computed cells stay', async () => {
    await setLastMonthAverage(stack.db, 'C0008', today.month, 300_000); // C0008: n % 4 = 0, 50,000 → 300,000
    expect((await sheet.row('C0008')).cells['当前等级']).toBe('普通客户');
    const until = await editWhileNightlyHeldAt('values.batchUpdateByDataFilter', 'C0008', 'zhao@bank.example');
    await expectEditKept('C0008', until, 'zhao@bank.example');
  }, 60_000);

  it('between the run’s read of Firestore and its read of the sheet: the edit and its computed cells stay', async () => {
    await setLastMonthAverage(stack.db, 'C0012', today.month, 300_000); // C0012: n % 4 = 0, 50,000 → 300,000
    expect((await sheet.row('C0012')).cells['当前等级']).toBe('普通客户');
    const until = await editWhileNightlyHeldAt('spreadsheets.get', 'C0012', 'qian@bank.example');
    await expectEditKept('C0012', until, 'qian@bank.example');
  }, 60_000);
});
