import { google, type sheets_v4 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleSheetsGateway, type SheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { COMPUTED_HEADERS, CUSTOMER_TAB, KEY_HEADER, LIST_TABS, PROMOTION_TAB, type ListTabName } from '../../shared/sheets/branch-layout.js';
import { planBranchSheet } from '../../shared/sheets/branch-sheet-sync.js';
import type { ComputedCells } from '../../shared/sheets/customer-cells.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * A manager changing the sheet's structure between a run's read and its write (the write is
 * held at the test server's door while the change is made, then served against the changed
 * sheet). Computed cells are written by their column's developer metadata and list tabs by
 * sheet id, so an inserted or moved column, or a renamed tab, cannot misplace a value: every
 * computed value is on its customer's row under its own header at once, and the branch's own
 * column holds only what the branch put there. A sort moves the rows under the write: the
 * next run finds each customer by 客户号 and puts back what is wrong.
 */

let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
let gateway: SheetsGateway;

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  gateway = googleSheetsGateway(sheets);
});
afterAll(() => server.close());

const IDS = ['C1', 'C2', 'C3'];
/** each customer's figures tell them apart: C2 on night 1 shows 中银理财客户 / 200001.00 */
const cells = (id: string, night: number): ComputedCells => {
  const n = IDS.indexOf(id) + 1;
  return {
    当前等级: `等级${n}-${night}`,
    月日均资产: `${n}0000${night}.00`,
    下一等级: `下一${n}`,
    距下一等级差额: `${n}${night}.00`,
    本月需补足: `${night}`,
    降级预警: night % 2 === 0 ? '是' : '',
    下次联系截止: `2026-12-0${n}`,
    联系状态: night % 2 === 0 ? '逾期' : '正常',
    建档完整度: `${n}0%`,
    产品数: `${n + night}`,
    更新时间: `2026-12-0${night}`,
  } as ComputedCells;
};
const lists = (night: number) => {
  const out = Object.fromEntries(LIST_TABS.map((t) => [t.name, []])) as unknown as Record<ListTabName, string[][]>;
  out[PROMOTION_TAB] = [['1', 'C2', '王经理', `等级2-${night}`, '目标', '10%', '1', '2', '90', `理由${night}`]];
  return out;
};
const content = (night: number) => ({ computed: new Map(IDS.map((id) => [id, cells(id, night)])), initial: new Map(), lists: lists(night) });

/** one run by hand: read, plan, structure, then the values write — held while `gap` changes the sheet */
async function run(id: string, night: number, gap?: () => Promise<void>): Promise<void> {
  const plan = planBranchSheet(await gateway.read(id), content(night));
  await gateway.updateStructure(id, plan.structure);
  if (gap === undefined) {
    await gateway.writeCells(id, plan.writes);
    return;
  }
  // whichever way the values go (by data filter now, by A1 range before), the write waits at the door
  const holds = ['values.batchUpdateByDataFilter', 'values.batchUpdate'].map((operation) => server.holdNext(operation, (r) => r.spreadsheetId === id));
  const write = gateway.writeCells(id, plan.writes);
  const held = await Promise.race(holds.map((h, i) => h.arrived.then(() => i)));
  holds.forEach((h, i) => i !== held && h.release()); // withdrawn: the gap's own requests go through
  await gap();
  holds[held]?.release();
  await write;
}

async function batch(id: string, requests: sheets_v4.Schema$Request[]): Promise<void> {
  await sheets.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests } });
}

async function sheetIdOf(id: string, title: string): Promise<number> {
  const got = await sheets.spreadsheets.get({ spreadsheetId: id, fields: 'sheets.properties(sheetId,title)' });
  return got.data.sheets!.find((s) => s.properties?.title === title)!.properties!.sheetId!;
}

/** 客户名单 (under whatever title) as header → value per customer, and the column headed `own` */
function customerRows(id: string, title: string, own?: string): { byCustomer: Map<string, Record<string, string>>; ownColumn: string[] } {
  const [header = [], ...rows] = server.state.values(id, title).map((r) => r.map(String));
  const at = (h: string) => header.indexOf(h);
  const byCustomer = new Map<string, Record<string, string>>();
  for (const row of rows) byCustomer.set(row[at(KEY_HEADER)] ?? '', Object.fromEntries(COMPUTED_HEADERS.map((h) => [h, row[at(h)] ?? ''])));
  return { byCustomer, ownColumn: own === undefined ? [] : rows.map((r) => r[at(own)] ?? '') };
}

function expectNight(id: string, title: string, night: number): void {
  const { byCustomer } = customerRows(id, title);
  expect([...byCustomer.keys()].sort()).toEqual(IDS);
  for (const c of IDS) expect(byCustomer.get(c), c).toEqual(cells(c, night));
}

async function settled(): Promise<string> {
  const id = (await sheets.spreadsheets.create({ requestBody: { properties: { title: '城东支行' } } })).data.spreadsheetId!;
  await run(id, 1);
  expectNight(id, CUSTOMER_TAB, 1);
  return id;
}

/** 0-based index of a header on 客户名单 now */
function columnIndex(id: string, title: string, header: string): number {
  return (server.state.values(id, title)[0] ?? []).map(String).indexOf(header);
}

describe('a structural change between the read and the write', () => {
  it('a column inserted before the computed columns: the values go to their own columns, none into the branch column', async () => {
    const id = await settled();
    const sheetId = await sheetIdOf(id, CUSTOMER_TAB);
    const at = columnIndex(id, CUSTOMER_TAB, '当前等级');
    await run(id, 2, async () => {
      await batch(id, [{ insertDimension: { range: { sheetId, dimension: 'COLUMNS', startIndex: at, endIndex: at + 1 } } }]);
      await sheets.spreadsheets.values.batchUpdate({ spreadsheetId: id, requestBody: { valueInputOption: 'RAW', data: [{ range: `'${CUSTOMER_TAB}'!${String.fromCharCode(65 + at)}1`, values: [['支行备注'], ['甲'], ['乙'], ['丙']] }] } });
    });
    expect(customerRows(id, CUSTOMER_TAB, '支行备注').ownColumn).toEqual(['甲', '乙', '丙']);
    expectNight(id, CUSTOMER_TAB, 2);
  });

  it('a computed column moved: its values follow it, the editable column now in its old place is left alone', async () => {
    const id = await settled();
    const sheetId = await sheetIdOf(id, CUSTOMER_TAB);
    const from = columnIndex(id, CUSTOMER_TAB, '当前等级');
    // moved left to B: the columns B… before it shift right by one, so the last editable column (指定截止月) takes its place
    const displaced = (server.state.values(id, CUSTOMER_TAB)[0] ?? []).map(String)[from - 1] as string;
    expect(displaced).toBe('指定截止月');
    await run(id, 2, () => batch(id, [{ moveDimension: { source: { sheetId, dimension: 'COLUMNS', startIndex: from, endIndex: from + 1 }, destinationIndex: 1 } }]));
    expect(columnIndex(id, CUSTOMER_TAB, '当前等级')).toBe(1);
    expect(columnIndex(id, CUSTOMER_TAB, displaced)).toBe(from);
    expect(customerRows(id, CUSTOMER_TAB, displaced).ownColumn).toEqual(['', '', '']);
    expectNight(id, CUSTOMER_TAB, 2);
  });

  it('客户名单 and 升级名单 renamed: the values land on the renamed tabs', async () => {
    const id = await settled();
    const customers = await sheetIdOf(id, CUSTOMER_TAB);
    const promotion = await sheetIdOf(id, PROMOTION_TAB);
    await run(id, 2, () =>
      batch(id, [
        { updateSheetProperties: { properties: { sheetId: customers, title: '我的客户' }, fields: 'title' } },
        { updateSheetProperties: { properties: { sheetId: promotion, title: '本月升级' }, fields: 'title' } },
      ]),
    );
    expectNight(id, '我的客户', 2);
    expect(server.state.values(id, '本月升级')[1]).toEqual(['1', 'C2', '王经理', '等级2-2', '目标', '10%', '1', '2', '90', '理由2']);
  });

  it('rows sorted: the night may show a customer another row’s figures, the next run puts every value back on its customer’s row', async () => {
    const id = await settled();
    const sheetId = await sheetIdOf(id, CUSTOMER_TAB);
    const key = columnIndex(id, CUSTOMER_TAB, KEY_HEADER);
    await run(id, 2, () => batch(id, [{ sortRange: { range: { sheetId, startRowIndex: 1, endRowIndex: 4 }, sortSpecs: [{ dimensionIndex: key, sortOrder: 'DESCENDING' }] } }]));
    // the write went by row number: C3 (now row 2) got C1's night-2 figures
    expect(customerRows(id, CUSTOMER_TAB).byCustomer.get('C3')?.['当前等级']).toBe('等级1-2');
    await run(id, 2);
    expectNight(id, CUSTOMER_TAB, 2);
    expect(customerRows(id, CUSTOMER_TAB).byCustomer.size).toBe(3);
  });
});
