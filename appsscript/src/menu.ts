/**
 * The 财富阶梯 menu (added by the simple onOpen trigger, which needs no authorization) and
 * two of its commands: the connection settings and resending selected rows (连接现有表格… is
 * in adopt-menu.ts, the sync commands in edit-trigger.ts).
 */

function onOpen(): void {
  SpreadsheetApp.getUi()
    .createMenu('财富阶梯')
    .addItem('设置连接…', 'showConnectionSettings')
    .addItem('连接现有表格…', 'adoptExistingSheet')
    .addItem('启用编辑同步', 'enableEditSync')
    .addItem('停用编辑同步', 'disableEditSync')
    .addSeparator()
    .addItem('重新发送所选行', 'resendSelectedRows')
    .addToUi();
}

/** 设置连接…: three prompts (function URL, branch id, optional signing key); nothing is saved unless all three are answered and valid. */
function showConnectionSettings(): void {
  const ui = SpreadsheetApp.getUi();
  const doc = PropertiesService.getDocumentProperties();
  const currentUrl = doc.getProperty(PROPERTY_KEYS.functionUrl) || '';
  const currentBranch = doc.getProperty(PROPERTY_KEYS.branchId) || '';
  const currentSecret = PropertiesService.getScriptProperties().getProperty(PROPERTY_KEYS.signingSecret);
  const ask = (step: string, text: string): string | null => {
    const response = ui.prompt(`设置连接（${step}）`, text, ui.ButtonSet.OK_CANCEL);
    return response.getSelectedButton() === ui.Button.OK ? response.getResponseText().trim() : null;
  };
  const keep = '留空则保持不变。';
  const url = ask('1/3', `sheetEdit 函数地址（https://…）。\n当前：${currentUrl || '未设置'}\n${currentUrl ? keep : ''}`);
  if (url === null) return cancelled(ui);
  const branch = ask('2/3', `本表格所属支行的支行号。\n当前：${currentBranch || '未设置'}\n${currentBranch ? keep : ''}`);
  if (branch === null) return cancelled(ui);
  const secretText = ask('3/3', `签名密钥（可选，至少${MIN_SECRET_LENGTH}个字符，与服务端 SHEET_EDIT_SECRET 相同）。\n当前：${currentSecret ? '已设置' : '未设置（使用Google身份令牌）'}\n留空则保持不变；输入“清除”则删除密钥，改用Google身份令牌。`);
  if (secretText === null) return cancelled(ui);

  const settings: LadderSettings = {
    functionUrl: url || currentUrl,
    branchId: branch || currentBranch,
    secret: secretText === '清除' ? null : secretText || currentSecret || null,
  };
  const problem = problemWithFunctionUrl(settings.functionUrl) ?? problemWithBranchId(settings.branchId) ?? (settings.secret !== null && secretText !== '' ? problemWithSecret(settings.secret) : null);
  if (problem !== null) {
    ui.alert('财富阶梯', `设置未保存：${problem}`, ui.ButtonSet.OK);
    return;
  }
  saveSettings(settings);
  const enabled = doc.getProperty(PROPERTY_KEYS.syncTriggerId) !== null;
  ui.alert(
    '财富阶梯',
    `已保存。\n函数地址：${settings.functionUrl}\n支行号：${settings.branchId}\n验证方式：${settings.secret !== null ? '签名密钥' : 'Google身份令牌'}` + (enabled ? '' : '\n下一步：点菜单「财富阶梯 → 启用编辑同步」。'),
    ui.ButtonSet.OK,
  );
}

function cancelled(ui: GoogleAppsScript.Base.Ui): void {
  ui.alert('财富阶梯', '已取消，设置未修改。', ui.ButtonSet.OK);
}

/** 重新发送所选行: every editable cell of the selected rows of 客户名单, e.g. after the service was unreachable. */
function resendSelectedRows(): void {
  const ui = SpreadsheetApp.getUi();
  const ss = SpreadsheetApp.getActive();
  const settings = readSettings();
  if (settings === null) {
    ui.alert('财富阶梯', '请先点菜单「财富阶梯 → 设置连接…」填写函数地址和支行号。', ui.ButtonSet.OK);
    return;
  }
  const sheet = ss.getActiveSheet();
  const selection = ss.getActiveRangeList();
  const table = isCustomerTab(ss, sheet) ? readCustomerTable(sheet) : null;
  if (table !== null && table.problem !== null) {
    ui.alert('财富阶梯', table.problem, ui.ButtonSet.OK);
    return;
  }
  const rows: number[] = [];
  if (selection !== null && table !== null) {
    for (const range of selection.getRanges()) {
      for (let row = range.getRow(); row <= range.getLastRow(); row++) if (table.keys.has(row)) rows.push(row);
    }
  }
  if (table === null || rows.length === 0) {
    ui.alert('财富阶梯', `请先在「${CUSTOMER_TAB}」中选中要重新发送的客户行。`, ui.ButtonSet.OK);
    return;
  }
  const outcome = syncRows(ss, sheet, settings, table, rows, allEditableColumns, editorOf());
  const summary = `已发送${outcome.rowsSent}行：${outcome.accepted}个单元格已保存，${outcome.refused}个未通过检查。`;
  const message = outcomeMessage(outcome);
  ss.toast(message === null ? summary : `${summary}\n${message}`, '财富阶梯', 15);
}
