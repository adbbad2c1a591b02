import { describe, expect, it } from 'vitest';
import { verifySignature } from '../../functions/http/request-signature.js';
import { COMPUTED_HEADERS } from '../../shared/sheets/branch-layout.js';
import { branchSheet, computedFor, fakeFunction, FUNCTION_URL, MANAGER, SECRET, type CustomerRow } from './support/branch-sheet.js';

/**
 * The installable onEdit trigger, run from the compiled Apps Script in node:vm against FAKE
 * Google services and a FAKE sheetEdit function (test/appsscript/support; the real function
 * is in sheet-edit-end-to-end.test.ts).
 */

const customers = (n: number): CustomerRow[] => Array.from({ length: n }, (_, i) => ({ 客户号: `C${i + 1}` }));

describe('an edit in 客户名单', () => {
  it('sends one signed request with the row’s 客户号, the editor and only the edited cell, and writes the answer into that row', () => {
    const fn = fakeFunction();
    const { script, sheet, col, at } = branchSheet(customers(2), { handler: fn });
    sheet.put(3, col('工作单位'), { value: '市第一医院' });
    script.edit(sheet.getRange(3, col('工作单位')), 'li@bank.example');

    expect(fn.requests).toHaveLength(1);
    const [request] = fn.requests;
    expect(request!.url).toBe(FUNCTION_URL);
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.json).toEqual({ branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank.example', rows: [{ row: 3, customerId: 'C2', cells: { 工作单位: '市第一医院' } }] });
    // The body is ASCII (Chinese as \u escapes), so the signed bytes are the sent bytes in any charset.
    expect(request!.payload).toMatch(/^[\x20-\x7e]*$/);
    expect(request!.payload).toContain('\\u5de5\\u4f5c\\u5355\\u4f4d'); // 工作单位

    // The server's own check accepts the signature, and would refuse it for any other body.
    const signature = request!.headers['x-ladder-signature']!;
    const t = Number(/^t=(\d+),v1=[0-9a-f]{64}$/.exec(signature)![1]);
    expect(verifySignature(SECRET, signature, request!.payload, t)).toBe('ok');
    expect(verifySignature(SECRET, signature, request!.payload.replace('C2', 'C1'), t)).toBe('invalid');
    // Bytes of 0x80 and above are where a signed-byte-to-hex conversion goes wrong; a 32-byte MAC without one has odds 2^-32.
    expect(signature.slice(signature.indexOf('v1=') + 3).match(/../g)!.some((pair) => parseInt(pair, 16) >= 0x80)).toBe(true);

    // Row 3 gets C2's computed cells, as text; row 2 (C1) is untouched.
    for (const header of COMPUTED_HEADERS) expect(at(3, header)).toBe(computedFor('C2')[header]);
    expect(at(3, '月日均资产')).toBe('300000.00'); // text, not the number 300000
    expect(at(3, '下次联系截止')).toBe('2026-12-01'); // text, not a date
    for (const header of COMPUTED_HEADERS) expect(at(2, header)).toBe('');
    expect(script.ss.toasts).toEqual([]);
  });

  it('uses the Google identity token when no signing key is configured', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet(customers(1), { handler: fn, secret: false });
    script.scriptApp.identityToken = 'id-token-of-the-installer';
    sheet.put(2, col('产品偏好'), { value: '稳健' });
    script.edit(sheet.getRange(2, col('产品偏好')));
    expect(fn.requests).toHaveLength(1);
    expect(fn.requests[0]!.headers['authorization']).toBe('Bearer id-token-of-the-installer');
    expect(fn.requests[0]!.headers['x-ladder-signature']).toBeUndefined();
  });

  it('without a key and without an identity token, sends nothing and says why on the cell', () => {
    const fn = fakeFunction();
    const { script, sheet, col, note } = branchSheet(customers(1), { handler: fn, secret: false });
    sheet.put(2, col('产品偏好'), { value: '稳健' });
    script.edit(sheet.getRange(2, col('产品偏好')));
    expect(fn.requests).toHaveLength(0);
    expect(note(2, '产品偏好')).toMatch(/^【未保存】未发送：无法取得Google身份令牌/);
    expect(script.ss.toasts[0]).toContain('无法取得Google身份令牌');
  });

  it('sends a 1,200-row paste as 3 requests of at most 500 rows, and writes the computed cells back in one call', () => {
    const fn = fakeFunction();
    const { script, sheet, col, at } = branchSheet(customers(1200), { handler: fn });
    for (let row = 2; row <= 1201; row++) {
      sheet.put(row, col('手机号码'), { value: `138${String(row).padStart(8, '0')}` });
      sheet.put(row, col('家庭电话'), { value: `010-${row}` });
    }
    script.edit(sheet.getRange(2, col('手机号码'), 1200, 2));

    expect(fn.requests.map((r) => r.json.rows.length)).toEqual([500, 500, 200]); // 500 + 500 + 200 = 1,200
    const sent = fn.requests.flatMap((r) => r.json.rows);
    expect(sent.map((r: any) => r.row)).toEqual(Array.from({ length: 1200 }, (_, i) => i + 2));
    expect(sent[1199]).toEqual({ row: 1201, customerId: 'C1200', cells: { 手机号码: '13800001201', 家庭电话: '010-1201' } });
    // The layout's computed columns are adjacent, every row answered: one block of 1,200 × 11.
    expect(sheet.writes.filter((w) => w.startsWith('setValues'))).toEqual([`setValues R2C${col('当前等级')}:R1201C${col('更新时间')}`]);
    expect(at(1201, '当前等级')).toBe('当前等级:C1200');
    expect(at(2, '当前等级')).toBe('当前等级:C1');
  });

  it('finds columns by header wherever they are, never sends a manager’s own column, and never writes one', () => {
    const headers = ['我的备注', '当前等级', '手机号码', '客户经理自用', '客户号', '工作单位', '更新时间', '联系状态'];
    const fn = fakeFunction();
    const { script, sheet, col, at } = branchSheet([{ 客户号: 'C7', 我的备注: '老客户', 客户经理自用: '=A1' }], { handler: fn, headers });
    sheet.put(2, col('手机号码'), { value: 13912345678 }); // a number, as Sheets stores a typed phone number
    sheet.put(2, col('客户经理自用'), { value: '周五回访' });
    sheet.put(2, col('工作单位'), { value: '市税务局' });
    // One paste across 手机号码, 客户经理自用, 客户号 and 工作单位.
    script.edit(sheet.getRange(2, col('手机号码'), 1, 4));

    expect(fn.requests[0]!.json.rows).toEqual([{ row: 2, customerId: 'C7', cells: { 手机号码: '13912345678', 工作单位: '市税务局' } }]);
    expect(at(2, '我的备注')).toBe('老客户');
    expect(at(2, '客户经理自用')).toBe('周五回访');
    expect(at(2, '当前等级')).toBe('当前等级:C7');
    expect(at(2, '更新时间')).toBe('更新时间:C7');
    expect(at(2, '联系状态')).toBe('联系状态:C7');
    // Writes only in the computed columns (2, 7, 8): the accepted cells had no note to clear, and columns 1 and 4 are never touched.
    const columnsWritten = sheet.writes.flatMap((w) => [...w.matchAll(/C(\d+)/g)].map((m) => Number(m[1])));
    expect(new Set(columnsWritten)).toEqual(new Set([col('当前等级'), col('更新时间'), col('联系状态')]));
  });

  it('writes the computed cells into the row that holds the answered 客户号 now, when the rows were sorted during the request', () => {
    const fn = fakeFunction({ before: () => void sheetRef.swapRows(2, 3) }); // a sort while the request is out
    const built = branchSheet(customers(2), { handler: fn });
    const sheetRef = built.sheet;
    const { script, sheet, col, at } = built;
    sheet.put(2, col('工作单位'), { value: '市图书馆' }); // C1's row
    script.edit(sheet.getRange(2, col('工作单位')));

    expect(fn.requests[0]!.json.rows[0]).toMatchObject({ row: 2, customerId: 'C1' });
    expect(at(3, '客户号')).toBe('C1');
    expect(at(3, '当前等级')).toBe('当前等级:C1'); // C1 is on row 3 now
    expect(at(2, '客户号')).toBe('C2');
    expect(at(2, '当前等级')).toBe(''); // C2's row is not written with C1's figures
  });

  it('writes nothing for a row whose 客户号 disappeared during the request, and says so', () => {
    const fn = fakeFunction({ before: () => void sheetRef.deleteRow(2) });
    const built = branchSheet(customers(2), { handler: fn });
    const sheetRef = built.sheet;
    const { script, sheet, col, at } = built;
    sheet.put(2, col('工作单位'), { value: '市图书馆' });
    script.edit(sheet.getRange(2, col('工作单位')));

    expect(at(2, '客户号')).toBe('C2'); // C2 moved up into row 2
    expect(at(2, '当前等级')).toBe('');
    expect(script.ss.toasts).toEqual(['1行在保存期间被删除或改了客户号，计算结果未写回。']);
  });

  it('notes a refused cell with the Chinese reason under the manager’s own note, and clears only that line once accepted', () => {
    const fn = fakeFunction({ refuse: (header, value) => (header === '手机号码' && !/^1[3-9]\d{9}$/.test(value) ? '手机号码应为11位数字，以13–19开头' : null) });
    const { script, sheet, col, note } = branchSheet(customers(1), { handler: fn });
    sheet.put(2, col('手机号码'), { value: '123', note: '客户要求只在工作日联系' });
    script.edit(sheet.getRange(2, col('手机号码')));
    expect(note(2, '手机号码')).toBe('客户要求只在工作日联系\n【未保存】手机号码应为11位数字，以13–19开头');
    expect(script.ss.toasts).toEqual(['1个单元格未通过检查，未保存，原因见单元格批注。']);

    sheet.put(2, col('手机号码'), { value: '13812345678' });
    script.edit(sheet.getRange(2, col('手机号码')));
    expect(fn.requests).toHaveLength(2);
    expect(note(2, '手机号码')).toBe('客户要求只在工作日联系');
  });

  it('leaves the note alone when the cell changed again before the answer came (that edit has its own run)', () => {
    const fn = fakeFunction({ refuse: () => '风险特征应为C1–C5之一', before: () => void sheetRef.put(2, colRef('风险特征'), { value: 'C3' }) });
    const built = branchSheet(customers(1), { handler: fn });
    const sheetRef = built.sheet;
    const colRef = built.col;
    built.sheet.put(2, built.col('风险特征'), { value: 'C9' });
    built.script.edit(built.sheet.getRange(2, built.col('风险特征')));
    expect(built.note(2, '风险特征')).toBe('');
  });

  it('sends the three override cells together when one of them is edited, and dates as the sheet shows them', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet([{ 客户号: 'C1', 指定原因: '总行批准', 指定截止月: new Date(Date.UTC(2027, 2, 1, -8)) }], { handler: fn });
    // Sheets turns a typed date into a date value: midnight in the spreadsheet's zone (Asia/Shanghai, UTC+8).
    sheet.put(2, col('指定等级'), { value: '中银财富管理客户' });
    sheet.put(2, col('最近联系日期'), { value: new Date(Date.UTC(2026, 10, 28, -8)) });
    script.edit(sheet.getRange(2, col('指定等级')));
    expect(fn.requests[0]!.json.rows[0].cells).toEqual({ 指定等级: '中银财富管理客户', 指定原因: '总行批准', 指定截止月: '2027-03' });

    script.edit(sheet.getRange(2, col('最近联系日期')));
    expect(fn.requests[1]!.json.rows[0].cells).toEqual({ 最近联系日期: '2026-11-28' });
  });

  it('writes no computed cells for a customer the function could not evaluate (computed: null)', () => {
    const fn = fakeFunction({ computed: () => null, refuse: () => '客户不属于本支行，修改未保存' });
    const { script, sheet, col, at, note } = branchSheet(customers(1), { handler: fn });
    sheet.put(2, col('工作单位'), { value: 'x' });
    script.edit(sheet.getRange(2, col('工作单位')));
    expect(at(2, '当前等级')).toBe('');
    expect(note(2, '工作单位')).toBe('【未保存】客户不属于本支行，修改未保存');
  });
});

describe('the tags the nightly run leaves (developer metadata)', () => {
  const tagAll = (s: ReturnType<typeof branchSheet>) => {
    s.sheet.tag('wealth-ladder.tab', '客户名单');
    s.headers.forEach((header, i) => s.sheet.tag('wealth-ladder.column', header, i + 1));
  };

  it('a renamed header is still its tagged column, sent under the layout’s name; the renamed tab is still 客户名单', () => {
    const fn = fakeFunction();
    const s = branchSheet(customers(1), { handler: fn, headers: ['客户号', '工作单位', '当前等级'] });
    tagAll(s);
    s.sheet.put(1, 2, { value: '单位' }); // the manager renamed 工作单位
    s.sheet.rename('我的客户');
    s.sheet.put(2, 2, { value: '市医院' });
    s.script.edit(s.sheet.getRange(2, 2));
    expect(fn.requests[0]!.json.rows[0].cells).toEqual({ 工作单位: '市医院' });
    expect(s.sheet.cell(2, 3).value).toBe('当前等级:C1');
  });

  it('a header naming a column that a tag placed elsewhere is not that column', () => {
    const fn = fakeFunction();
    const s = branchSheet([{ 客户号: 'C1', 手机号码: '13812345678' }], { handler: fn, headers: ['客户号', '手机号码', '工作单位'] });
    tagAll(s);
    s.sheet.put(1, 3, { value: '手机号码' }); // a second header 手机号码, over the column tagged 工作单位
    s.sheet.put(2, 3, { value: '市医院' });
    s.script.edit(s.sheet.getRange(2, 2, 1, 2));
    expect(fn.requests[0]!.json.rows[0].cells).toEqual({ 手机号码: '13812345678', 工作单位: '市医院' });
  });

  it('a tab titled 客户名单 is not synced when another tab is tagged 客户名单', () => {
    const fn = fakeFunction();
    const s = branchSheet(customers(1), { handler: fn });
    const tagged = s.script.ss.addSheet('客户名单（新）', [['客户号'], ['C1']]);
    tagged.tag('wealth-ladder.tab', '客户名单');
    s.script.edit(s.sheet.getRange(2, s.col('工作单位')));
    expect(fn.requests).toHaveLength(0);
  });

  it('a tab titled 客户名单 but tagged as another layout tab is not synced', () => {
    const fn = fakeFunction();
    const s = branchSheet(customers(1), { handler: fn });
    s.sheet.tag('wealth-ladder.tab', '升级名单');
    s.script.edit(s.sheet.getRange(2, s.col('工作单位')));
    expect(fn.requests).toHaveLength(0);
  });
});

describe('edits that are not sent', () => {
  const cases: { name: string; edit: (s: ReturnType<typeof branchSheet>) => [number, number, number?, number?] | 'other-tab' }[] = [
    { name: 'the header row', edit: (s) => [1, s.col('工作单位')] },
    { name: 'a computed column', edit: (s) => [2, s.col('当前等级')] },
    { name: 'the 客户号 column', edit: (s) => [2, s.col('客户号')] },
    { name: 'a manager’s own column', edit: (s) => [2, s.col('我的备注')] },
    { name: 'another tab', edit: () => 'other-tab' },
  ];
  for (const c of cases) {
    it(`an edit of ${c.name} sends nothing and writes nothing`, () => {
      const fn = fakeFunction();
      const s = branchSheet(customers(1), { handler: fn, headers: ['客户号', '工作单位', '当前等级', '我的备注'] });
      const target = c.edit(s);
      const range = target === 'other-tab' ? s.script.ss.getSheetByName('升级名单')!.getRange(2, 2) : s.sheet.getRange(...target);
      s.script.edit(range);
      expect(fn.requests).toHaveLength(0);
      expect(s.sheet.writes).toEqual([]);
      expect(s.script.ss.toasts).toEqual([]);
    });
  }

  it('a row without 客户号 is not sent: its cells get a note and the editor a toast; cleared cells of blank rows are ignored', () => {
    const fn = fakeFunction();
    const { script, sheet, col, note } = branchSheet([{ 客户号: 'C1' }, { 客户号: '' , 工作单位: '市医院' }, { 客户号: '', 工作单位: '' }, { 客户号: 'C4' }], { handler: fn });
    script.edit(sheet.getRange(3, col('工作单位'), 2, 1)); // rows 3 (text, no 客户号) and 4 (blank)
    expect(fn.requests).toHaveLength(0);
    expect(note(3, '工作单位')).toBe('【未保存】此行没有客户号，修改未发送');
    expect(note(4, '工作单位')).toBe('');
    expect(script.ss.toasts).toEqual(['1行没有客户号，这些行的修改未发送。']);
  });

  it('a second row with the same 客户号 is not sent (only the first row is the customer’s)', () => {
    const fn = fakeFunction();
    const { script, sheet, col, note } = branchSheet([{ 客户号: 'C1' }, { 客户号: 'C2' }, { 客户号: 'C1', 工作单位: '抄错的行' }], { handler: fn });
    script.edit(sheet.getRange(4, col('工作单位')));
    expect(fn.requests).toHaveLength(0);
    expect(note(4, '工作单位')).toBe('【未保存】客户号C1已在第2行，系统只认第一行，此行的修改未发送');
  });
});

describe('when the function cannot be reached or refuses the request', () => {
  const failures: { name: string; answer: () => { status: number; body: string }; zh: string }[] = [
    { name: '401', answer: () => ({ status: 401, body: '{"code":"UNAUTHENTICATED","message":"the request signature is expired"}' }), zh: '服务拒绝了请求：身份验证未通过' },
    { name: '500 CONFIG_INVALID', answer: () => ({ status: 500, body: '{"code":"CONFIG_INVALID","message":"SHEET_EDIT_SECRET must be set"}' }), zh: '服务端配置有误，请联系管理员' },
    { name: '503', answer: () => ({ status: 503, body: 'Service Unavailable' }), zh: '服务暂时不可用（HTTP 503）' },
    {
      name: 'a network error',
      answer: () => {
        throw new Error('Address unavailable: https://asia-east2-bank.cloudfunctions.net/sheetEdit');
      },
      zh: '无法连接到财富阶梯服务',
    },
  ];
  for (const f of failures) {
    it(`${f.name}: no exception leaves the trigger, nothing is written, the unsaved cell and the toast say why`, () => {
      const fn = fakeFunction({ before: f.answer });
      const { script, sheet, col, note } = branchSheet(customers(2), { handler: fn });
      sheet.put(2, col('工作单位'), { value: '市图书馆' });
      const before = sheet.rows();
      expect(() => script.edit(sheet.getRange(2, col('工作单位')))).not.toThrow();
      expect(fn.requests).toHaveLength(1);
      expect(sheet.rows()).toEqual(before);
      expect(note(2, '工作单位')).toMatch(new RegExp(`^【未保存】未发送：${f.zh}`));
      expect(note(2, '工作单位')).toContain('重新发送所选行');
      expect(script.ss.toasts).toHaveLength(1);
      expect(script.ss.toasts[0]).toContain(f.zh);
      expect(script.console.lines.filter((l) => l.level === 'error').map((l) => l.text)).toEqual([expect.stringMatching(/^wealth-ladder: sheetEdit request of 1 rows failed: /)]);
    });
  }

  it('stops at the first failed request of a paste: the rows after it are marked unsent too, the rows before keep their answers', () => {
    let calls = 0;
    const fn = fakeFunction({ before: () => (++calls === 2 ? { status: 503, body: '' } : undefined) });
    const { script, sheet, col, at, note } = branchSheet(customers(1200), { handler: fn });
    script.edit(sheet.getRange(2, col('工作单位'), 1200, 1));
    expect(fn.requests).toHaveLength(2); // the third is not tried
    expect(at(501, '当前等级')).toBe('当前等级:C500'); // first request's rows answered
    expect(note(501, '工作单位')).toBe('');
    expect(at(502, '当前等级')).toBe('');
    expect(note(502, '工作单位')).toMatch(/^【未保存】未发送：服务暂时不可用（HTTP 503）/);
    expect(note(1201, '工作单位')).toMatch(/^【未保存】未发送：/);
  });

  it('a 200 answer it does not understand writes nothing', () => {
    const fn = fakeFunction({ before: () => ({ status: 200, body: '{"ok":true}' }) });
    const { script, sheet, col, note } = branchSheet(customers(1), { handler: fn });
    script.edit(sheet.getRange(2, col('工作单位')));
    expect(sheet.cell(2, col('当前等级')).value).toBe('');
    expect(note(2, '工作单位')).toMatch(/^【未保存】未发送：服务返回了无法识别的结果/);
  });
});

describe('the editor', () => {
  it('is said to be unknown (with the installer named) when Google does not tell who edited', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet(customers(1), { handler: fn });
    script.edit(sheet.getRange(2, col('工作单位')), '');
    expect(fn.requests[0]!.json.editor).toBe(`unknown editor (trigger of ${MANAGER})`);
  });
});
