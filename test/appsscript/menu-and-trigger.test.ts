import { describe, expect, it } from 'vitest';
import { loadAppsScript } from './support/apps-script-vm.js';
import { branchSheet, fakeFunction, FUNCTION_URL, MANAGER, SECRET } from './support/branch-sheet.js';

/** The 财富阶梯 menu and the installable trigger's life cycle, on the compiled Apps Script with FAKE Google services. */

const OTHER = 'deputy@bank.example';

describe('the 财富阶梯 menu', () => {
  it('is added on open with its five commands, each a function the script defines', () => {
    const script = loadAppsScript();
    script.call('onOpen');
    expect(script.ui.menus).toEqual([
      {
        name: '财富阶梯',
        items: [
          { caption: '设置连接…', functionName: 'showConnectionSettings' },
          { caption: '连接现有表格…', functionName: 'adoptExistingSheet' },
          { caption: '启用编辑同步', functionName: 'enableEditSync' },
          { caption: '停用编辑同步', functionName: 'disableEditSync' },
          { caption: '重新发送所选行', functionName: 'resendSelectedRows' },
        ],
      },
    ]);
    for (const item of script.ui.menus[0]!.items) expect(script.value(`typeof ${item.functionName}`)).toBe('function');
  });

  it('loads in any file order (no file needs another at load time)', () => {
    const script = loadAppsScript({ reverse: true });
    script.call('onOpen');
    expect(script.ui.menus).toHaveLength(1);
  });
});

describe('设置连接…', () => {
  const answer = (script: ReturnType<typeof loadAppsScript>, ...texts: (string | null)[]) => {
    for (const text of texts) script.ui.promptAnswers.push(text === null ? { button: 'CANCEL', text: '' } : { button: 'OK', text });
  };

  it('stores the URL and branch in the document, the signing key in the script', () => {
    const script = loadAppsScript();
    answer(script, ` ${FUNCTION_URL} `, 'B01', SECRET);
    script.call('showConnectionSettings');
    expect(script.documentProperties.getProperties()).toEqual({ 'ladder.functionUrl': FUNCTION_URL, 'ladder.branchId': 'B01' });
    expect(script.scriptProperties.getProperties()).toEqual({ 'ladder.signingSecret': SECRET });
    expect(script.ui.alerts.at(-1)).toContain('验证方式：签名密钥');
    expect(script.ui.alerts.at(-1)).toContain('下一步：点菜单「财富阶梯 → 启用编辑同步」');
  });

  it('keeps what is set when an answer is left empty, and “清除” removes the key (OIDC from then on)', () => {
    const script = loadAppsScript();
    answer(script, FUNCTION_URL, 'B01', SECRET);
    script.call('showConnectionSettings');
    answer(script, '', 'B02', '');
    script.call('showConnectionSettings');
    expect(script.documentProperties.getProperties()).toEqual({ 'ladder.functionUrl': FUNCTION_URL, 'ladder.branchId': 'B02' });
    expect(script.scriptProperties.getProperty('ladder.signingSecret')).toBe(SECRET);
    answer(script, '', '', '清除');
    script.call('showConnectionSettings');
    expect(script.scriptProperties.getProperty('ladder.signingSecret')).toBeNull();
    expect(script.ui.alerts.at(-1)).toContain('验证方式：Google身份令牌');
  });

  const refusals: { name: string; answers: string[]; says: string }[] = [
    { name: 'a plain-http URL elsewhere than this machine', answers: ['http://functions.bank.example/sheetEdit', 'B01', ''], says: '函数地址应以 https:// 开头' },
    { name: 'no URL at all', answers: ['', 'B01', ''], says: '函数地址应以 https:// 开头' },
    { name: 'a branch id with a space', answers: [FUNCTION_URL, 'B 01', ''], says: '支行号不能包含空格' },
    { name: 'a key shorter than 16 characters', answers: [FUNCTION_URL, 'B01', 'short-key'], says: '签名密钥至少16个字符' },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name} and saves nothing`, () => {
      const script = loadAppsScript();
      answer(script, ...r.answers);
      script.call('showConnectionSettings');
      expect(script.ui.alerts).toEqual([expect.stringContaining(`设置未保存：${r.says}`)]);
      expect(script.documentProperties.getProperties()).toEqual({});
      expect(script.scriptProperties.getProperties()).toEqual({});
    });
  }

  it('accepts http to this machine (a local function during development)', () => {
    const script = loadAppsScript();
    answer(script, 'http://127.0.0.1:8080/', 'B01', '');
    script.call('showConnectionSettings');
    expect(script.documentProperties.getProperty('ladder.functionUrl')).toBe('http://127.0.0.1:8080/');
  });

  it('saves nothing when a prompt is cancelled', () => {
    const script = loadAppsScript();
    answer(script, FUNCTION_URL, null);
    script.call('showConnectionSettings');
    expect(script.ui.prompts).toHaveLength(2);
    expect(script.ui.alerts).toEqual(['已取消，设置未修改。']);
    expect(script.documentProperties.getProperties()).toEqual({});
  });
});

describe('启用编辑同步 / 停用编辑同步', () => {
  it('refuses to enable before the connection is set', () => {
    const script = loadAppsScript();
    script.as(MANAGER, () => script.call('enableEditSync'));
    expect(script.scriptApp.triggers).toHaveLength(0);
    expect(script.ui.alerts).toEqual(['请先点菜单「财富阶梯 → 设置连接…」填写函数地址和支行号。']);
  });

  it('installs the trigger once: enabling again adds none, and an edit is sent once', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet([{ 客户号: 'C1' }], { handler: fn });
    script.as(MANAGER, () => script.call('enableEditSync'));
    expect(script.scriptApp.triggers.map((t) => [t.owner, t.handler])).toEqual([[MANAGER, 'syncEditedCells']]);
    expect(script.ui.alerts.at(-1)).toBe('编辑同步已由您启用，无需重复启用。');
    script.edit(sheet.getRange(2, col('工作单位')));
    expect(fn.requests).toHaveLength(1);
  });

  it('a second person taking over is asked first; afterwards edits go out once, as that person, and the first trigger removes itself', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet([{ 客户号: 'C1' }], { handler: fn });
    script.ui.alertAnswers.push('NO');
    script.as(OTHER, () => script.call('enableEditSync'));
    expect(script.scriptApp.triggers).toHaveLength(1); // declined: nothing changed
    expect(script.ui.alerts.at(-1)).toContain(`编辑同步已由 ${MANAGER} 启用`);

    script.ui.alertAnswers.push('YES');
    script.as(OTHER, () => script.call('enableEditSync'));
    expect(script.scriptApp.triggers.map((t) => t.owner)).toEqual([MANAGER, OTHER]); // Google keeps both until the first fires
    script.edit(sheet.getRange(2, col('工作单位')));
    expect(fn.requests).toHaveLength(1);
    expect(script.scriptApp.triggers.map((t) => t.owner)).toEqual([OTHER]);
    expect(script.documentProperties.getProperty('ladder.syncOwner')).toBe(OTHER);
  });

  it('停用 removes the trigger and the record: later edits send nothing', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet([{ 客户号: 'C1' }], { handler: fn });
    script.as(MANAGER, () => script.call('disableEditSync'));
    expect(script.scriptApp.triggers).toHaveLength(0);
    expect(script.ui.alerts.at(-1)).toBe('已停用编辑同步。之后的修改不再自动保存。');
    script.edit(sheet.getRange(2, col('工作单位')));
    expect(fn.requests).toHaveLength(0);
  });

  it('停用 by someone else stops sync too: the installer’s trigger removes itself at the next edit without sending', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet([{ 客户号: 'C1' }], { handler: fn });
    script.as(OTHER, () => script.call('disableEditSync'));
    expect(script.ui.alerts.at(-1)).toBe(`已停用编辑同步（${MANAGER} 的触发器会在下一次编辑时自动删除）。之后的修改不再自动保存。`);
    expect(script.scriptApp.triggers).toHaveLength(1);
    script.edit(sheet.getRange(2, col('工作单位')));
    expect(fn.requests).toHaveLength(0);
    expect(script.scriptApp.triggers).toHaveLength(0);
  });

  it('an edit before the connection is set (or after it was removed) sends nothing and says so', () => {
    const fn = fakeFunction();
    const { script, sheet, col } = branchSheet([{ 客户号: 'C1' }], { handler: fn });
    script.documentProperties.deleteProperty('ladder.functionUrl');
    script.edit(sheet.getRange(2, col('工作单位')));
    expect(fn.requests).toHaveLength(0);
    expect(script.ss.toasts).toEqual(['尚未设置连接，修改未发送。请点菜单「财富阶梯 → 设置连接…」。']);
  });
});

describe('重新发送所选行', () => {
  it('sends every editable cell of the selected rows, empty ones included, as the person who clicked', () => {
    const fn = fakeFunction();
    const headers = ['客户号', '工作单位', '我的备注', '手机号码', '当前等级'];
    const { script, sheet } = branchSheet([{ 客户号: 'C1', 工作单位: '甲' }, { 客户号: 'C2', 工作单位: '乙', 手机号码: '13812345678' }, { 客户号: 'C3' }], { handler: fn, headers });
    script.ss.activeSheet = sheet;
    script.ss.selection = [sheet.getRange(3, 3, 2, 1)]; // rows 3–4, in the manager's own column: the rows count, not the column
    script.as(OTHER, () => script.call('resendSelectedRows'));
    expect(fn.requests).toHaveLength(1);
    expect(fn.requests[0]!.json).toMatchObject({
      editor: OTHER,
      rows: [
        { row: 3, customerId: 'C2', cells: { 工作单位: '乙', 手机号码: '13812345678' } },
        { row: 4, customerId: 'C3', cells: { 工作单位: '', 手机号码: '' } },
      ],
    });
    expect(sheet.cell(3, 5).value).toBe('当前等级:C2');
    expect(script.ss.toasts).toEqual(['已发送2行：4个单元格已保存，0个未通过检查。']);
  });

  it('asks for a selection in 客户名单 when another tab is active', () => {
    const fn = fakeFunction();
    const { script } = branchSheet([{ 客户号: 'C1' }], { handler: fn });
    const other = script.ss.getSheetByName('升级名单')!;
    script.ss.activeSheet = other;
    script.ss.selection = [other.getRange(2, 1)];
    script.as(MANAGER, () => script.call('resendSelectedRows'));
    expect(fn.requests).toHaveLength(0);
    expect(script.ui.alerts.at(-1)).toBe('请先在「客户名单」中选中要重新发送的客户行。');
  });
});
