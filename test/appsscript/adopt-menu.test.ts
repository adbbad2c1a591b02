import { describe, expect, it } from 'vitest';
import { ADOPT_URL, APPLIED, fakeAdoptFunction, json, PREVIEW, type FakeAdoptFunction } from './support/adopt-function.js';
import { at, bindLedger, drawLedger, LEDGER_TAB } from './support/adopted-ledger.js';
import { connectedScript, fakeFunction, FUNCTION_URL, MANAGER } from './support/branch-sheet.js';
import type { FetchAnswer, FetchRequest } from './support/fake-services.js';

/**
 * 财富阶梯 → 连接现有表格…, on the compiled Apps Script with FAKE Google services and a FAKE
 * adoptSheet function (support/adopt-function.ts). Every dialog text below is written out by hand
 * from the fake's answer.
 */

const OTHER = 'deputy@bank.example';
const BODY = { branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: MANAGER };

const PREVIEW_TEXT = [
  '工作表“管户台账”：表头在第3行（共2行表头），标题行：第1行',
  '各列：',
  '  A 序号 → 支行自己的列（不读不写）',
  '  B 客户编号 → 客户号',
  '  C 客户姓名 → 支行自己的列（不读不写）',
  '  D 联系方式/手机 → 档案（读入系统）：手机号码',
  '  E 联系方式/家庭地址 → 档案（读入系统）：家庭住址',
  '  F 当前等级 → 支行自己的列（不读不写）',
  '本支行客户：2行',
  '不是本支行客户的行（1行，不读不写）：',
  '  第 6 行：客户 100200302 属于其他支行（B02），本支行不能更新',
  '台账中的档案：2个单元格将读入系统（1行），0个与系统一致',
  '与系统档案不一致（1处，不读入，系统档案也不改，请核对）：',
  '  第5行 客户100200301 手机号码：台账“13800000002”，系统“13900000002”',
  '连接后，系统将：',
  '  + 在 G 列新增“当前等级”（第 3 行为表头）',
  '  + 新增工作表“升级名单”',
  '  + 台账中没有的 1 位本支行客户列在“未入台账”页，不加入台账',
  '',
  '是否按以上方式连接此表格？',
].join('\n');

const SYNC_ON = '已启用编辑同步：「客户名单」中档案、联系和指定等级各列的修改会自动保存，并写回计算列。';

/** A connected spreadsheet holding the branch's own ledger (active), not adopted, sync not enabled; requests to adoptSheet go to `adopt`, others to a fake sheetEdit. */
function setUp(adopt: (body: any, n: number) => FetchAnswer) {
  const adoptFn = fakeAdoptFunction(adopt);
  const editFn = fakeFunction();
  const script = connectedScript({ handler: (r: FetchRequest) => (r.url === ADOPT_URL ? adoptFn(r) : editFn(r)) });
  const sheet = drawLedger(script.ss);
  script.ss.activeSheet = sheet;
  const click = (user = MANAGER) => script.as(user, () => script.call('adoptExistingSheet'));
  return { script, sheet, adoptFn, editFn, click };
}

/** The usual function: a preview for a dry run; for the real one it binds the ledger (as its Sheets requests would) and says what it did. */
const previewThenApply =
  (sheet: () => Parameters<typeof bindLedger>[0]) =>
  (body: any): FetchAnswer => {
    if (body.dryRun) return json(200, { ok: true, preview: PREVIEW, applied: null });
    bindLedger(sheet());
    return json(200, { ok: true, preview: PREVIEW, applied: APPLIED });
  };

const bodies = (fn: FakeAdoptFunction) => fn.requests.map((r) => r.json);

describe('连接现有表格…', () => {
  it('shows the preview, and on YES binds (dryRun: false), says what was done, enables sync; the next edit of 手机 is sent for the row’s 客户编号', () => {
    let sheetRef: ReturnType<typeof drawLedger> | null = null;
    const { script, sheet, adoptFn, editFn, click } = setUp(previewThenApply(() => sheetRef!));
    sheetRef = sheet;
    script.ui.alertAnswers.push('YES');
    click();

    expect(adoptFn.requests.map((r) => [r.url, r.method])).toEqual([
      [ADOPT_URL, 'POST'],
      [ADOPT_URL, 'POST'],
    ]);
    expect(bodies(adoptFn)).toEqual([
      { ...BODY, dryRun: true },
      { ...BODY, dryRun: false },
    ]);
    expect(script.urlFetch.answers.map((a) => a.status)).toEqual([200, 200]); // both signatures passed the server's check
    expect(script.ui.dialogs[0]).toEqual({ title: '连接现有表格：预览（尚未写入任何内容）', text: PREVIEW_TEXT, buttons: 'YES_NO' });
    expect(script.ui.dialogs[1]).toEqual({
      title: '连接现有表格',
      text: ['已连接：工作表“管户台账”现为系统的客户名单（表头第3行）。', '台账中的档案：1个单元格已保存到系统，1个未通过检查、未保存：', '  第4行 客户100200300 家庭住址：家庭住址最多100个字符', SYNC_ON].join('\n'),
      buttons: 'OK',
    });
    expect(script.ui.dialogs).toHaveLength(2);
    expect(script.scriptApp.triggers.map((t) => [t.owner, t.handler])).toEqual([[MANAGER, 'syncEditedCells']]);
    expect(script.documentProperties.getProperty('ladder.syncOwner')).toBe(MANAGER);

    // The ledger is now bound: an edit of 手机 on 李娜's row goes to sheetEdit under the layout's name.
    sheet.put(5, at('D'), { value: '13912345678' });
    script.edit(sheet.getRange(5, at('D')));
    expect(editFn.requests.map((r) => [r.url, r.json.rows])).toEqual([[FUNCTION_URL, [{ row: 5, customerId: '100200301', cells: { 手机号码: '13912345678' } }]]]);
  });

  for (const answer of ['NO', 'CLOSE'] as const) {
    it(`on ${answer} sends nothing more: no binding, no trigger`, () => {
      const { script, adoptFn, click } = setUp(() => json(200, { ok: true, preview: PREVIEW, applied: null }));
      script.ui.alertAnswers.push(answer);
      click();
      expect(bodies(adoptFn)).toEqual([{ ...BODY, dryRun: true }]);
      expect(script.ui.dialogs.map((d) => d.text)).toEqual([PREVIEW_TEXT, '已取消，表格未连接。']);
      expect(script.scriptApp.triggers).toEqual([]);
    });
  }

  it('when the function cannot tell which tab, asks for it (blank: the active tab) and previews again with it; YES binds with the same choice', () => {
    const ambiguous = { code: 'AMBIGUOUS_TAB', zh: '多个工作表都像客户台账（“管户台账”第 2 行、“旧台账”第 1 行）；请指定是哪一个工作表（命令行用 --tab，表格中按提示填写）', en: 'several tabs look like the ledger' };
    const { script, adoptFn, click } = setUp((body) => (body.tab === undefined ? json(200, { ok: false, problems: [ambiguous] }) : json(200, { ok: true, preview: PREVIEW, applied: body.dryRun ? null : APPLIED })));
    script.ui.promptAnswers.push({ button: 'OK', text: '' });
    script.ui.alertAnswers.push('YES');
    click();
    expect(script.ui.prompts).toEqual([`连接现有表格\n✗ ${ambiguous.zh}\n\n台账在哪个工作表？请输入工作表名称（留空：当前工作表“管户台账”）。`]);
    expect(bodies(adoptFn)).toEqual([
      { ...BODY, dryRun: true },
      { ...BODY, dryRun: true, tab: LEDGER_TAB },
      { ...BODY, dryRun: false, tab: LEDGER_TAB },
    ]);
    expect(script.ui.dialogs[0]!.text).toBe(PREVIEW_TEXT);
  });

  it('when there is no key column, asks for the tab, the header row and the key column, and sends them (map B=客户号)', () => {
    const noKey = { code: 'NO_KEY_COLUMN', zh: '在各工作表的前 30 行都找不到客户号列', en: 'no key column' };
    const { script, adoptFn, click } = setUp((body) => (body.map === undefined ? json(200, { ok: false, problems: [noKey] }) : json(200, { ok: true, preview: PREVIEW, applied: null })));
    script.ui.promptAnswers.push({ button: 'OK', text: '管户台账' }, { button: 'OK', text: '第三行' }, { button: 'OK', text: '3' }, { button: 'OK', text: 'B' });
    script.ui.alertAnswers.push('NO');
    click();
    // '第三行' is not a row number: asked again, saying so.
    expect(script.ui.prompts[2]).toContain('“第三行”不是行号。表头在第几行？');
    expect(bodies(adoptFn)).toEqual([
      { ...BODY, dryRun: true },
      { ...BODY, dryRun: true, tab: '管户台账', headerRow: 3, map: ['B=客户号'] },
    ]);
  });

  it('a cancelled prompt sends nothing more', () => {
    const { script, adoptFn, click } = setUp(() => json(200, { ok: false, problems: [{ code: 'AMBIGUOUS_HEADER_ROW', zh: '工作表“管户台账”有多行像表头（第 2、9 行都有客户号列）', en: '' }] }));
    script.ui.promptAnswers.push({ button: 'CANCEL', text: '' });
    click();
    expect(adoptFn.requests).toHaveLength(1);
    expect(script.ui.prompts[0]).toContain('表头在第几行？');
    expect(script.ui.dialogs.map((d) => d.text)).toEqual(['已取消，表格未连接。']);
  });

  it('ok:false that no answer of the manager’s can settle shows the problems and asks nothing', () => {
    const problems = [
      { code: 'SPREADSHEET_OF_ANOTHER_BRANCH', zh: '这个表格已登记为 B02 支行的表格，不能再连接为 B01 支行的', en: 'registered to B02' },
      { code: 'AMBIGUOUS_KEY', zh: '第 2 行有多个像客户号的列（B 列“客户编号”、G 列“客户号”）', en: 'two keys' },
    ];
    const { script, adoptFn, click } = setUp(() => json(200, { ok: false, problems }));
    click();
    expect(adoptFn.requests).toHaveLength(1);
    expect(script.ui.prompts).toEqual([]);
    expect(script.ui.dialogs.map((d) => d.text)).toEqual([`无法连接此表格：\n✗ ${problems[0]!.zh}\n✗ ${problems[1]!.zh}\n表格未连接。`]);
  });

  it('ok:false again after the manager’s answer shows the new problems and stops', () => {
    const { script, adoptFn, click } = setUp((body) =>
      json(200, { ok: false, problems: [body.tab === undefined ? { code: 'AMBIGUOUS_TAB', zh: '多个工作表都像客户台账', en: '' } : { code: 'TAB_NOT_FOUND', zh: '找不到名为“台帐”的工作表（现有：说明、管户台账）', en: '' }] }),
    );
    script.ui.promptAnswers.push({ button: 'OK', text: '台帐' });
    click();
    expect(bodies(adoptFn).map((b) => b.tab)).toEqual([undefined, '台帐']);
    expect(script.ui.dialogs.map((d) => d.text)).toEqual(['无法连接此表格：\n✗ 找不到名为“台帐”的工作表（现有：说明、管户台账）\n表格未连接。']);
  });

  const failures: { name: string; answer: FetchAnswer; zh: string }[] = [
    { name: '403', answer: json(403, { code: 'FORBIDDEN', message: 'caller not allowed' }), zh: '服务拒绝了请求：身份验证未通过（请检查签名密钥，或请管理员允许启用同步的账号）' },
    { name: '404 (no adoptSheet at that address)', answer: { status: 404, body: 'Not Found' }, zh: '函数地址可能有误（HTTP 404），请检查「设置连接」' },
    { name: '400', answer: json(400, { code: 'INVALID_BODY', message: 'headerRow: too big' }), zh: '服务认为请求格式有误，请联系管理员' },
    { name: '500', answer: json(500, { code: 'INTERNAL', message: 'the adoption failed unexpectedly' }), zh: '服务暂时不可用（HTTP 500）' },
    { name: 'a 200 it does not understand', answer: json(200, { ok: true }), zh: '服务返回了无法识别的结果，请联系管理员' },
  ];
  for (const f of failures) {
    it(`a preview answered ${f.name} is shown as an error in Chinese, logged in English, and nothing more is sent`, () => {
      const { script, adoptFn, click } = setUp(() => f.answer);
      click();
      expect(adoptFn.requests).toHaveLength(1);
      expect(script.ui.dialogs.map((d) => d.text)).toEqual([`无法预览：${f.zh}。表格未连接。`]);
      expect(script.console.lines.filter((l) => l.level === 'error').map((l) => l.text)).toEqual([expect.stringMatching(/^wealth-ladder: adoptSheet preview failed: /)]);
      expect(script.scriptApp.triggers).toEqual([]);
    });
  }

  it('when the binding call fails, says it may still have happened and enables nothing', () => {
    const { script, click } = setUp((body) => (body.dryRun ? json(200, { ok: true, preview: PREVIEW, applied: null }) : { status: 503, body: '' }));
    script.ui.alertAnswers.push('YES');
    click();
    expect(script.ui.dialogs[1]!.text).toBe('未能确认是否已连接：服务暂时不可用（HTTP 503）。\n连接可能仍已在服务端完成；请稍后再点「连接现有表格…」查看预览。');
    expect(script.scriptApp.triggers).toEqual([]);
  });

  it('when the binding call answers ok:false, shows why and enables nothing', () => {
    const { script, click } = setUp((body) => (body.dryRun ? json(200, { ok: true, preview: PREVIEW, applied: null }) : json(200, { ok: false, problems: [{ code: 'BRANCH_NOT_REGISTERED', zh: '支行 B01 不在总行登记的支行中', en: '' }] })));
    script.ui.alertAnswers.push('YES');
    click();
    expect(script.ui.dialogs[1]!.text).toBe('未连接：\n✗ 支行 B01 不在总行登记的支行中');
    expect(script.scriptApp.triggers).toEqual([]);
  });

  it('keeps sync as it is when it is on already: the clicker’s own trigger, or someone else’s (never taken over here)', () => {
    const mine = setUp((body) => json(200, { ok: true, preview: PREVIEW, applied: body.dryRun ? null : APPLIED }));
    mine.script.as(MANAGER, () => mine.script.call('enableEditSync'));
    mine.script.ui.alertAnswers.push('YES');
    mine.click();
    expect(mine.script.ui.dialogs.at(-1)!.text.split('\n').at(-1)).toBe('编辑同步已由您启用。');
    expect(mine.script.scriptApp.triggers.map((t) => t.owner)).toEqual([MANAGER]);

    const theirs = setUp((body) => json(200, { ok: true, preview: PREVIEW, applied: body.dryRun ? null : APPLIED }));
    theirs.script.as(OTHER, () => theirs.script.call('enableEditSync'));
    theirs.script.ui.alertAnswers.push('YES');
    theirs.click(MANAGER);
    expect(theirs.script.ui.dialogs.at(-1)!.text.split('\n').at(-1)).toBe(`编辑同步已由 ${OTHER} 启用。`);
    expect(theirs.script.scriptApp.triggers.map((t) => t.owner)).toEqual([OTHER]);
  });

  it('cuts a long list at 15 lines and says how many more', () => {
    const unmatched = Array.from({ length: 20 }, (_, i) => ({ row: 10 + i, value: `9${i}`, reason: 'unknown', zh: `第 ${10 + i} 行：系统中没有客户 9${i}`, en: '' }));
    const { script, click } = setUp(() => json(200, { ok: true, preview: { ...PREVIEW, unmatched }, applied: null }));
    click();
    const lines = script.ui.dialogs[0]!.text.split('\n');
    const from = lines.indexOf('不是本支行客户的行（20行，不读不写）：');
    expect(lines.slice(from + 1, from + 17)).toEqual([...unmatched.slice(0, 15).map((u) => `  ${u.zh}`), '  ……另有5项']);
  });

  it('asks for the connection first, and refuses a function URL it cannot derive adoptSheet’s from', () => {
    const { script, adoptFn, click } = setUp(() => json(200, { ok: true, preview: PREVIEW, applied: null }));
    script.documentProperties.setProperty('ladder.functionUrl', 'https://sheetedit-abc123-de.a.run.app/');
    click();
    expect(script.ui.dialogs.map((d) => d.text)).toEqual(['函数地址（https://sheetedit-abc123-de.a.run.app/）不以 /sheetEdit 结尾，推不出 adoptSheet 函数的地址。请在「设置连接」中填写 …/sheetEdit 形式的地址。']);
    script.documentProperties.deleteProperty('ladder.functionUrl');
    click();
    expect(script.ui.dialogs.at(-1)!.text).toBe('请先点菜单「财富阶梯 → 设置连接…」填写函数地址和支行号。');
    expect(adoptFn.requests).toHaveLength(0);
  });
});

describe('adoptSheet’s address', () => {
  it('is the sheetEdit URL with its last segment replaced', () => {
    const script = connectedScript();
    const of = (url: string) => script.call('adoptUrlOf', url);
    expect(of('https://asia-east2-bank.cloudfunctions.net/sheetEdit')).toBe('https://asia-east2-bank.cloudfunctions.net/adoptSheet');
    expect(of('https://asia-east2-bank.cloudfunctions.net/sheetEdit/')).toBe('https://asia-east2-bank.cloudfunctions.net/adoptSheet/');
    expect(of('http://127.0.0.1:8080/projects/p/sheetEdit?x=1')).toBe('http://127.0.0.1:8080/projects/p/adoptSheet?x=1');
    expect(of('https://example.com/sheetEditor')).toBeNull();
    expect(of('http://127.0.0.1:8080/')).toBeNull();
  });
});
