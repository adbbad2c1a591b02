import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../functions/http/request-signature.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { serveFunction, type FunctionsServer } from '../support/functions-server.js';

/**
 * A branch cannot read or write another branch's customers through sheetEdit (security),
 * over real HTTP against the served function and the emulator. Branch A01's sheet
 * (SHEET-A) and B01's (SHEET-B) each hold their own customers. An edit from A's sheet naming
 * B's customer, or naming B's sheet, or claiming to be B with A's sheet, is refused cell by
 * cell, stores nothing on the customer, is logged as refused with why, and answers none of
 * B's figures (computed: null). A customer that does not exist is refused in the same words,
 * so the answer does not tell a caller which numbers exist elsewhere.
 */

const PROJECT = 'reliability-branch-isolation';
const SECRET = 'reliability-isolation-secret-0123456789';
const { db, host, clear } = testFirestore(PROJECT);
let server: FunctionsServer;

const B_CUSTOMER = { customerId: 'B-C1', branchId: 'B01', profile: { archive: { employer: 'B行单位', mobile: '13800000001' } } };

beforeAll(async () => {
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('A01'), { branchId: 'A01', spreadsheetId: 'SHEET-A' });
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', spreadsheetId: 'SHEET-B' });
  batch.set(db.collection('customers').doc('A-C1'), { customerId: 'A-C1', branchId: 'A01', profile: { archive: {} } });
  batch.set(db.collection('customers').doc('B-C1'), B_CUSTOMER);
  await batch.commit();
  server = await serveFunction('sheetEdit', { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: PROJECT, SHEET_EDIT_SECRET: SECRET });
});
afterAll(async () => {
  await server?.stop();
  await db.terminate();
});

interface Answer {
  row: number;
  customerId: string;
  accepted: string[];
  refused: { column: string; zh: string }[];
  computed: Record<string, string> | null;
}

async function edit(branchId: string, spreadsheetId: string, editor: string, rows: { customerId: string; cells: Record<string, string> }[]): Promise<Answer[]> {
  const raw = JSON.stringify({ branchId, spreadsheetId, editor, rows: rows.map((r, i) => ({ row: i + 2, ...r })) });
  const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ladder-signature': signRequest(SECRET, raw, Math.floor(Date.now() / 1000)) }, body: raw });
  expect(response.status).toBe(200);
  return ((await response.json()) as { rows: Answer[] }).rows;
}

const logOf = async (editor: string) => (await db.collection('editLog').where('editor', '==', editor).get()).docs.map((d) => d.data());
const bUntouched = async () => expect((await db.collection('customers').doc('B-C1').get()).data()).toEqual(B_CUSTOMER);

describe("a branch's sheet cannot reach another branch's customers", () => {
  it("A's sheet naming B's customer: refused, nothing stored, logged, none of B's figures answered; A's own row in the same paste goes through", async () => {
    const rows = await edit('A01', 'SHEET-A', 'a-mallory@bank', [
      { customerId: 'B-C1', cells: { 工作单位: '改掉B', 手机号码: '13900000000' } },
      { customerId: 'A-C1', cells: { 工作单位: 'A行自己的单位' } },
      { customerId: 'NOBODY', cells: { 工作单位: '不存在' } },
    ]);
    expect(rows[0]).toEqual({ row: 2, customerId: 'B-C1', accepted: [], refused: [{ column: '工作单位', zh: '客户不属于本支行，修改未保存' }, { column: '手机号码', zh: '客户不属于本支行，修改未保存' }], computed: null });
    expect(rows[1]).toMatchObject({ customerId: 'A-C1', accepted: ['工作单位'], refused: [] });
    // a number that exists nowhere is refused in the same words: no telling which exist elsewhere
    expect(rows[2]).toEqual({ row: 4, customerId: 'NOBODY', accepted: [], refused: [{ column: '工作单位', zh: '客户不属于本支行，修改未保存' }], computed: null });
    await bUntouched();
    expect((await db.collection('customers').doc('A-C1').get()).get('profile.archive.employer')).toBe('A行自己的单位');
    const log = await logOf('a-mallory@bank');
    expect(log.filter((e) => e.customerId === 'B-C1').map((e) => [e.column, e.value, e.accepted, e.reason, e.branchId]).sort()).toEqual([
      ['工作单位', '改掉B', false, 'customer B-C1 does not belong to branch A01', 'A01'],
      ['手机号码', '13900000000', false, 'customer B-C1 does not belong to branch A01', 'A01'],
    ]);
    expect(log).toHaveLength(4); // 2 + 1 + 1 cells
  });

  it("B's spreadsheet named by A, or A's spreadsheet claiming to be B: every cell refused, nothing stored, logged", async () => {
    for (const [branchId, spreadsheetId, editor, customerId] of [
      ['A01', 'SHEET-B', 'a-sheet-b@bank', 'B-C1'],
      ['A01', 'SHEET-B', 'a-sheet-b2@bank', 'A-C1'],
      ['B01', 'SHEET-A', 'b-claimed@bank', 'B-C1'],
    ] as const) {
      const before = (await db.collection('customers').doc(customerId).get()).data();
      const rows = await edit(branchId, spreadsheetId, editor, [{ customerId, cells: { 工作单位: '越权修改' } }]);
      expect(rows, `${branchId} with ${spreadsheetId}`).toEqual([{ row: 2, customerId, accepted: [], refused: [{ column: '工作单位', zh: '此表格不属于该支行，修改未保存' }], computed: null }]);
      expect((await db.collection('customers').doc(customerId).get()).data()).toEqual(before);
      expect((await logOf(editor)).map((e) => [e.accepted, e.reason])).toEqual([[false, `spreadsheet ${spreadsheetId} is not branch ${branchId}'s`]]);
    }
    await bUntouched();
  });

  it('a branch id or customer number that cannot name a document is refused, not a crash', async () => {
    const rows = await edit('A01/../B01', 'SHEET-B', 'path@bank', [{ customerId: '../B-C1', cells: { 工作单位: '路径穿越' } }]);
    expect(rows[0]!.accepted).toEqual([]);
    expect(rows[0]!.refused[0]!.zh).toBe('此表格不属于该支行，修改未保存');
    await bUntouched();
  });
});
