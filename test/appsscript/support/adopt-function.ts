import { verifySignature } from '../../../functions/http/request-signature.js';
import { SECRET } from './branch-sheet.js';
import type { FetchAnswer, FetchHandler, FetchRequest } from './fake-services.js';

/**
 * A FAKE adoptSheet function (unit tests only; the contract is docs/functions.md's): checks the
 * signature with the server's own verifySignature (at the request's own timestamp), then answers
 * what the test scripts for the n-th request (0-based). Answers are written out by hand: a preview
 * of the ledger drawn in adopted-ledger.ts as the function would see it before adoption.
 */

export const ADOPT_URL = 'https://asia-east2-bank.cloudfunctions.net/adoptSheet';

export interface FakeAdoptFunction extends FetchHandler {
  requests: FetchRequest[];
}

export function fakeAdoptFunction(answer: (body: any, n: number) => FetchAnswer): FakeAdoptFunction {
  const requests: FetchRequest[] = [];
  const handler = ((request: FetchRequest): FetchAnswer => {
    const n = requests.length;
    requests.push(request);
    const signature = request.headers['x-ladder-signature'];
    if (signature === undefined) return { status: 401, body: JSON.stringify({ code: 'UNAUTHENTICATED', message: 'no signature' }) };
    const t = Number(/^t=(\d+),/.exec(signature)?.[1]);
    if (verifySignature(SECRET, signature, request.payload, t) !== 'ok') return { status: 401, body: JSON.stringify({ code: 'UNAUTHENTICATED', message: 'the request signature is invalid' }) };
    return answer(request.json, n);
  }) as FakeAdoptFunction;
  handler.requests = requests;
  return handler;
}

export const json = (status: number, body: unknown): FetchAnswer => ({ status, body: JSON.stringify(body) });

/** The ledger of adopted-ledger.ts before adoption, as the function previews it. */
export const PREVIEW = {
  tab: '管户台账',
  headerRow: 3,
  headerRows: 2,
  titleRows: [1],
  keyColumn: 'B',
  columns: [
    { column: 'A', columnNumber: 1, header: '序号', group: null, role: 'own', field: null, by: null },
    { column: 'B', columnNumber: 2, header: '客户编号', group: null, role: 'key', field: '客户号', by: 'synonym' },
    { column: 'C', columnNumber: 3, header: '客户姓名', group: null, role: 'own', field: null, by: null },
    { column: 'D', columnNumber: 4, header: '手机', group: '联系方式', role: 'editable', field: '手机号码', by: 'synonym' },
    { column: 'E', columnNumber: 5, header: '家庭地址', group: '联系方式', role: 'editable', field: '家庭住址', by: 'synonym' },
    { column: 'F', columnNumber: 6, header: '当前等级', group: null, role: 'own', field: null, by: null },
  ],
  matched: 2,
  unmatched: [{ row: 6, value: '100200302', reason: 'other-branch', zh: '第 6 行：客户 100200302 属于其他支行（B02），本支行不能更新', en: 'row 6: customer 100200302 belongs to branch B02' }],
  conflicts: [{ row: 5, customerId: '100200301', field: '手机号码', sheet: '13800000002', stored: '13900000002' }],
  archive: { rows: 1, cells: 2, same: 0 },
  adds: [
    { kind: 'column', column: 'G', header: '当前等级', zh: '在 G 列新增“当前等级”（第 3 行为表头）' },
    { kind: 'tab', name: '升级名单', zh: '新增工作表“升级名单”' },
    { kind: 'listed', tab: '未入台账', customers: ['100200309'], zh: '台账中没有的 1 位本支行客户列在“未入台账”页，不加入台账' },
  ],
  table: { firstRow: 4, lastRow: 6, totalsRow: 7, trailingFrom: 7 },
  notes: [],
};

/** What dryRun: false answers: the same preview, and what was applied (two archive cells of row 4 sent, one refused). */
export const APPLIED = {
  spreadsheetId: 'SHEET-B01',
  registration: 'registered',
  replaced: null,
  structureChanges: 16,
  archive: { rowsSent: 1, accepted: 1, refused: [{ row: 4, customerId: '100200300', field: '家庭住址', zh: '家庭住址最多100个字符' }] },
};
