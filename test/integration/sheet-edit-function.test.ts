import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { createSheetEditHandler, type SheetEditResponseLike } from '../../functions/http/sheet-edit-function.js';
import { signRequest } from '../../functions/http/request-signature.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * The sheet-edit handler on the real Firestore emulator. The request and response objects are
 * minimal stand-ins for Express's (the HTTP server itself is exercised by the ingest function's
 * tests); the store, validation and re-evaluation are all real.
 */

const { db, clear } = testFirestore('sheet-edit-function-test');
const SECRET = 'sheet-edit-secret-for-tests-0001';
const now = () => new Date('2026-11-29T08:00:00Z');
const handler = createSheetEditHandler({ db, scheme: bundledScheme('boc')!, standards: bundledStandards('d2')!, auth: { secret: SECRET, oidc: null }, now, today: () => parseCivilDay('2026-11-29')! });

function call(body: unknown, signed = true) {
  const raw = Buffer.from(JSON.stringify(body));
  const headers = signed ? { 'x-ladder-signature': signRequest(SECRET, raw, Math.floor(now().getTime() / 1000)) } : {};
  const answer: { status: number; body: any } = { status: 0, body: null };
  const res: SheetEditResponseLike = { status: (code) => (answer.status = code), json: (b) => (answer.body = b) };
  return handler({ method: 'POST', headers, body, rawBody: raw }, res).then(() => answer);
}

beforeEach(async () => {
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', spreadsheetId: 'SHEET-B01' });
  batch.set(db.collection('customers').doc('C1'), { customerId: 'C1', branchId: 'B01', profile: { archive: {} } });
  // October 2026: 300,000 a day (31 days) → licai from November
  batch.set(db.collection('facts').doc('C1_2026-10'), { customerId: 'C1', branchId: 'B01', month: '2026-10', summary: { s: 930_000_000, e: 30_000_000, l: 0, c: 0, t: 0, p: ['DEP'] } });
  await batch.commit();
});
afterAll(() => db.terminate());

describe('the sheetEdit handler', () => {
  it('stores an override with its reason and answers the row’s new computed cells', async () => {
    const answer = await call({ branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank', rows: [{ row: 7, customerId: 'C1', cells: { 指定等级: '中银财富管理客户', 指定原因: '总行批准', 指定截止月: '2027-03', 手机号码: '123' } }] });
    expect(answer.status).toBe(200);
    const [row] = answer.body.rows;
    expect(row.refused).toEqual([{ column: '手机号码', zh: '手机号码应为11位数字，以13–19开头' }]);
    // the override forces wealth for November: the sheet shows it at once
    expect(row.computed.当前等级).toBe('中银财富管理客户');
    expect(row.computed.月日均资产).toBe('300000.00'); // October's daily average
    expect(row.computed.下一等级).toBe('私人银行客户');
  });

  it('refuses an unsigned request and stores nothing', async () => {
    const answer = await call({ branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank', rows: [{ row: 7, customerId: 'C1', cells: { 工作单位: 'x' } }] }, false);
    expect(answer.status).toBe(401);
    expect((await db.collection('editLog').get()).size).toBe(0);
  });

  it('refuses a body without rows, saying where', async () => {
    const answer = await call({ branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank', rows: [] });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ path: 'rows', message: 'must hold at least one edited row' }]);
  });
});
