import { spawnSync } from 'node:child_process';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOidcIssuer, type OidcIssuer } from '../support/oidc-issuer.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { serveFunction, type FunctionsServer } from '../support/functions-server.js';
import { branchSheet, MANAGER, SECRET } from './support/branch-sheet.js';
import type { FetchHandler } from './support/fake-services.js';

/**
 * The compiled Apps Script against the REAL sheetEdit function: functions-framework serving
 * dist/functions/index.js, the Firestore emulator underneath. Only the spreadsheet is a fake;
 * its UrlFetchApp makes a real HTTP request. UrlFetchApp is synchronous, so the request runs
 * in a child node process (spawnSync) and this process waits for it, as Apps Script waits.
 */

const PROJECT = 'apps-script-end-to-end-test';
/** the Apps Script project's OAuth client id: what ScriptApp.getIdentityToken() puts in `aud` */
const AUDIENCE = '1234567890-appsscript.apps.googleusercontent.com';
const { db, host, clear } = testFirestore(PROJECT);
let server: FunctionsServer;
let issuer: OidcIssuer;

const CHILD_FETCH = `
const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
fetch(input.url, { method: input.method, headers: input.headers, body: input.payload, redirect: 'manual' })
  .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })))
  .catch((e) => process.stdout.write(JSON.stringify({ error: String((e && e.cause && e.cause.code) || e) })));
`;

/** UrlFetchApp.fetch over real HTTP, synchronously; a connection failure throws, as UrlFetchApp's does. */
const realHttp: FetchHandler = (request) => {
  const child = spawnSync(process.execPath, ['-e', CHILD_FETCH], { input: JSON.stringify(request), encoding: 'utf8', timeout: 20_000 });
  if (child.status !== 0) throw new Error(`the fetch child failed: ${child.stderr}`);
  const answer = JSON.parse(child.stdout) as { status: number; body: string } | { error: string };
  if ('error' in answer) throw new Error(`Address unavailable: ${request.url} (${answer.error})`);
  return answer;
};

beforeAll(async () => {
  issuer = await startOidcIssuer();
  server = await serveFunction('sheetEdit', {
    FIRESTORE_EMULATOR_HOST: host,
    GOOGLE_CLOUD_PROJECT: PROJECT,
    SHEET_EDIT_SECRET: SECRET,
    SHEET_EDIT_OIDC_AUDIENCES: AUDIENCE,
    SHEET_EDIT_OIDC_EMAILS: MANAGER,
    OIDC_CERTS_URL: issuer.certsUrl,
  });
});
afterAll(async () => {
  await server?.stop();
  await issuer?.close();
  await db.terminate();
});
beforeEach(async () => {
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', spreadsheetId: 'SHEET-B01' });
  // The function evaluates as of its own today, so the history is last month's (Asia/Shanghai):
  // 300,000.00 a day, every day (30,000,000 fen × the month's days).
  const last = DateTime.now().setZone('Asia/Shanghai').minus({ months: 1 });
  const month = last.toFormat('yyyy-MM');
  for (const id of ['C1', 'C2']) {
    batch.set(db.collection('customers').doc(id), { customerId: id, branchId: 'B01', profile: { archive: {} } });
    batch.set(db.collection('facts').doc(`${id}_${month}`), { customerId: id, branchId: 'B01', month, summary: { s: 30_000_000 * last.daysInMonth!, e: 30_000_000, l: 0, c: 0, t: 0, p: ['DEP'] } });
  }
  await batch.commit();
});

function connected(options: { secret: boolean }) {
  const s = branchSheet([{ 客户号: 'C1' }, { 客户号: 'C2' }], { handler: realHttp, secret: options.secret });
  s.script.documentProperties.setProperty('ladder.functionUrl', server.url);
  return s;
}

describe('the Apps Script and the sheetEdit function', () => {
  it('agree on a signed two-row paste: the good cells stored, the bad one noted in Chinese, the computed cells written back', async () => {
    const s = connected({ secret: true });
    const { script, sheet, col, at, note } = s;
    sheet.put(2, col('工作单位'), { value: '市第一医院' });
    sheet.put(2, col('风险特征'), { value: 'C7' });
    sheet.put(3, col('指定等级'), { value: '中银财富管理客户' });
    sheet.put(3, col('指定原因'), { value: '总行批准' });
    sheet.put(3, col('指定截止月'), { value: '2099-12' });
    // One paste over rows 2–3, 工作单位 … 指定截止月 (11 editable columns): 2 rows × 11 cells sent.
    script.edit(sheet.getRange(2, col('工作单位'), 2, col('指定截止月') - col('工作单位') + 1), 'li@bank.example');

    expect(script.urlFetch.requests).toHaveLength(1);
    expect(script.ss.toasts).toEqual(['1个单元格未通过检查，未保存，原因见单元格批注。']);
    expect(note(2, '风险特征')).toBe('【未保存】风险特征应为C1–C5之一');
    expect(note(2, '工作单位')).toBe('');

    const c1 = (await db.collection('customers').doc('C1').get()).data()!;
    expect(c1['profile']['archive']).toEqual({ employer: '市第一医院' }); // C7 refused, empty cells stored as nothing
    expect(c1['editedBy']).toBe('li@bank.example');
    const c2 = (await db.collection('customers').doc('C2').get()).data()!;
    expect(c2['override']).toMatchObject({ tier: 'wealth', until: '2099-12', reason: '总行批准', by: 'li@bank.example' });
    // 2 rows × 11 cells sent; logged: C1's 工作单位 and its refused 风险特征, C2's three override cells. The
    // 16 cells sent empty where nothing is stored are no edits (functions/store/firestore-sheet-edits.ts).
    expect((await db.collection('editLog').get()).size).toBe(5);

    // The function re-evaluated both from last month's 300,000.00 a day:
    // C1 qualifies for 中银理财 (≥ 200,000) and is 1,000,000 − 300,000 = 700,000.00 short of 中银财富管理;
    expect([at(2, '当前等级'), at(2, '月日均资产'), at(2, '下一等级'), at(2, '距下一等级差额')]).toEqual(['中银理财客户', '300000.00', '中银财富管理客户', '700000.00']);
    // C2 is 中银财富管理 by its override, 6,000,000 − 300,000 = 5,700,000.00 short of 私人银行.
    expect([at(3, '当前等级'), at(3, '月日均资产'), at(3, '下一等级'), at(3, '距下一等级差额')]).toEqual(['中银财富管理客户', '300000.00', '私人银行客户', '5700000.00']);
    // Computed cells are text, as the function answered them (the nightly run writes them RAW).
    const answered = JSON.parse(script.urlFetch.answers[0]!.body).rows as { customerId: string; computed: Record<string, string> }[];
    expect(answered.map((r) => r.customerId)).toEqual(['C1', 'C2']);
    for (const row of answered) {
      const line = row.customerId === 'C1' ? 2 : 3;
      for (const [header, value] of Object.entries(row.computed)) expect(at(line, header)).toBe(value);
    }
  });

  it('agree that a sort re-sending every row is no edit: nothing logged or stored again; a changed cell among them logged alone', async () => {
    const s = connected({ secret: true });
    const { script, sheet, col, at } = s;
    const width = s.headers.length;
    sheet.put(2, col('工作单位'), { value: '市第一医院' });
    script.edit(sheet.getRange(2, col('工作单位')), 'li@bank.example');
    const log = async () => (await db.collection('editLog').get()).docs.map((d) => [d.get('customerId'), d.get('column'), d.get('value')]);
    expect(await log()).toEqual([['C1', '工作单位', '市第一医院']]);
    const editedAt = (await db.collection('customers').doc('C1').get()).get('editedAt').toMillis();

    // Sorted descending by 客户号 (C2 on row 2, C1 on row 3), delivered as an edit of the whole range: 2 rows × 12 editable cells re-sent.
    sheet.sortRows(2, 3, col('客户号'), true);
    script.edit(sheet.getRange(2, 1, 2, width), 'wang@bank.example');
    expect(script.urlFetch.requests).toHaveLength(2);
    expect(Object.keys(JSON.parse(script.urlFetch.requests[1]!.payload).rows[1].cells)).toHaveLength(12);
    expect(await log()).toEqual([['C1', '工作单位', '市第一医院']]);
    const c1 = (await db.collection('customers').doc('C1').get()).data()!;
    expect([c1['editedBy'], c1['editedAt'].toMillis()]).toEqual(['li@bank.example', editedAt]);
    expect(at(3, '当前等级')).toBe('中银理财客户'); // C1's answer written into C1's new row
    expect(script.ss.toasts).toEqual([]);

    // The same range again with one real change in it: exactly that cell.
    sheet.put(2, col('产品偏好'), { value: '稳健' });
    script.edit(sheet.getRange(2, 1, 2, width), 'wang@bank.example');
    expect((await log()).sort()).toEqual([
      ['C1', '工作单位', '市第一医院'],
      ['C2', '产品偏好', '稳健'],
    ]);
  });

  it('agree over OIDC: with no signing key the request carries the installer’s identity token, and the editor is in the body', async () => {
    const s = connected({ secret: false });
    const token = issuer.token({ aud: AUDIENCE, email: MANAGER, email_verified: true });
    s.script.scriptApp.identityToken = token;
    // The certificate server lives in this process, which waits while UrlFetchApp's child
    // fetches: one ordinary request first lets the function fetch and cache the certificates.
    const warm = await fetch(server.url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: MANAGER, rows: [{ row: 2, customerId: 'C1', cells: { 产品偏好: '稳健' } }] }) });
    expect(warm.status).toBe(200);

    s.sheet.put(3, s.col('手机号码'), { value: 13812345678 });
    s.script.edit(s.sheet.getRange(3, s.col('手机号码')), 'wang@bank.example');
    expect(s.script.urlFetch.requests[0]!.headers['authorization']).toBe(`Bearer ${token}`);
    expect(s.script.ss.toasts).toEqual([]);
    const c2 = (await db.collection('customers').doc('C2').get()).data()!;
    expect(c2['profile']['archive']).toEqual({ mobile: '13812345678' });
    expect(c2['editedBy']).toBe('wang@bank.example');
    expect(s.at(3, '当前等级')).toBe('中银理财客户'); // last month 300,000.00 a day ≥ 200,000
  });

  it('agree that a wrong key is refused: 401, nothing stored, the cell says why', async () => {
    const s = connected({ secret: true });
    s.script.scriptProperties.setProperty('ladder.signingSecret', 'not-the-function-secret-000');
    s.sheet.put(2, s.col('工作单位'), { value: '市第一医院' });
    s.script.edit(s.sheet.getRange(2, s.col('工作单位')));
    expect(s.note(2, '工作单位')).toMatch(/^【未保存】未发送：服务拒绝了请求：身份验证未通过/);
    expect(s.at(2, '当前等级')).toBe('');
    expect((await db.collection('editLog').get()).size).toBe(0);
  });
});
