/**
 * 连接现有表格…: adopts the branch's own ledger (管户台账) as 客户名单. The function proposes
 * the binding and answers a preview (nothing written); the manager reads it and is asked; only a
 * YES binds (the function tags the tab and columns, stores the binding, reads the ledger's
 * archive). When the function cannot tell which tab or header row, or finds no key column, the
 * manager is asked once for them and the preview is asked for again.
 *
 * Ui.alert and Ui.prompt suspend the script while their dialog is open and return the button
 * clicked (https://developers.google.com/apps-script/guides/dialogs#alert_dialogs); an HtmlService
 * dialog does not ("Custom dialogs … do not suspend the server-side script"), so the preview is
 * an alert with YES / NO, the question under it. Each list in it is cut at ADOPT_LIST_LINES lines
 * with how many more, to stay readable (`ladder adopt --dry-run` prints everything).
 */

const ADOPT_TITLE = '连接现有表格';
const ADOPT_LIST_LINES = 15;
/** the answers after which the manager can settle the question by naming the tab, the header row or the key column */
const ADOPT_ASKABLE = ['AMBIGUOUS_TAB', 'AMBIGUOUS_HEADER_ROW', 'NO_KEY_COLUMN'];

function adoptExistingSheet(): void {
  const ui = SpreadsheetApp.getUi();
  const settings = readSettings();
  if (settings === null) {
    ui.alert(ADOPT_TITLE, '请先点菜单「财富阶梯 → 设置连接…」填写函数地址和支行号。', ui.ButtonSet.OK);
    return;
  }
  const url = adoptUrlOf(settings.functionUrl);
  if (url === null) {
    ui.alert(ADOPT_TITLE, `函数地址（${settings.functionUrl}）不以 /sheetEdit 结尾，推不出 adoptSheet 函数的地址。请在「设置连接」中填写 …/sheetEdit 形式的地址。`, ui.ButtonSet.OK);
    return;
  }
  const ss = SpreadsheetApp.getActive();
  const base = { branchId: settings.branchId, spreadsheetId: ss.getId(), editor: editorOf() };
  let choices: AdoptChoices = {};
  let first = postAdoption(settings, url, { ...base, dryRun: true });
  if (first.ok && !first.answer.ok && first.answer.problems.some((p) => ADOPT_ASKABLE.indexOf(p.code) >= 0)) {
    const asked = askAdoptChoices(ui, first.answer.problems, ss.getActiveSheet().getName());
    if (asked === null) {
      ui.alert(ADOPT_TITLE, '已取消，表格未连接。', ui.ButtonSet.OK);
      return;
    }
    choices = asked;
    first = postAdoption(settings, url, { ...base, dryRun: true, ...choices });
  }
  if (!first.ok) {
    console.error(`wealth-ladder: adoptSheet preview failed: ${first.en}`);
    ui.alert(ADOPT_TITLE, `无法预览：${first.zh}。表格未连接。`, ui.ButtonSet.OK);
    return;
  }
  if (!first.answer.ok) {
    ui.alert(ADOPT_TITLE, `无法连接此表格：\n${problemLines(first.answer.problems)}\n表格未连接。`, ui.ButtonSet.OK);
    return;
  }
  const answer = ui.alert(`${ADOPT_TITLE}：预览（尚未写入任何内容）`, `${previewLines(first.answer.preview).join('\n')}\n\n是否按以上方式连接此表格？`, ui.ButtonSet.YES_NO);
  if (answer !== ui.Button.YES) {
    ui.alert(ADOPT_TITLE, '已取消，表格未连接。', ui.ButtonSet.OK);
    return;
  }
  const done = postAdoption(settings, url, { ...base, dryRun: false, ...choices });
  if (!done.ok) {
    console.error(`wealth-ladder: adoptSheet failed: ${done.en}`);
    // The function may have finished after the call gave up (UrlFetch waits a limited time): the next preview shows where it stands.
    ui.alert(ADOPT_TITLE, `未能确认是否已连接：${done.zh}。\n连接可能仍已在服务端完成；请稍后再点「连接现有表格…」查看预览。`, ui.ButtonSet.OK);
    return;
  }
  if (!done.answer.ok) {
    ui.alert(ADOPT_TITLE, `未连接：\n${problemLines(done.answer.problems)}`, ui.ButtonSet.OK);
    return;
  }
  const sync = ensureEditSync();
  ui.alert(ADOPT_TITLE, `${appliedLines(done.answer).join('\n')}\n${sync}`, ui.ButtonSet.OK);
}

/** One prompt per thing the function could not settle; null when the manager cancels. */
function askAdoptChoices(ui: GoogleAppsScript.Base.Ui, problems: readonly AdoptProblem[], activeTab: string): AdoptChoices | null {
  const codes = problems.map((p) => p.code);
  const why = problemLines(problems);
  const ask = (text: string): string | null => {
    const response = ui.prompt(ADOPT_TITLE, `${why}\n\n${text}`, ui.ButtonSet.OK_CANCEL);
    return response.getSelectedButton() === ui.Button.OK ? response.getResponseText().trim() : null;
  };
  const choices: AdoptChoices = {};
  if (codes.indexOf('AMBIGUOUS_TAB') >= 0 || codes.indexOf('NO_KEY_COLUMN') >= 0) {
    const tab = ask(`台账在哪个工作表？请输入工作表名称（留空：当前工作表“${activeTab}”）。`);
    if (tab === null) return null;
    choices.tab = tab || activeTab;
  }
  if (codes.indexOf('AMBIGUOUS_HEADER_ROW') >= 0 || codes.indexOf('NO_KEY_COLUMN') >= 0) {
    let again = '';
    for (;;) {
      const text = ask(`${again}表头在第几行？请输入表头最后一行的行号（两行表头填下面一行；留空：由系统判断）。`);
      if (text === null) return null;
      if (text === '') break;
      if (/^\d{1,4}$/.test(text) && Number(text) >= 1) {
        choices.headerRow = Number(text);
        break;
      }
      again = `“${text}”不是行号。`;
    }
  }
  if (codes.indexOf('NO_KEY_COLUMN') >= 0) {
    const key = ask('哪一列是客户号？请输入该列的表头文字（如“客户编号”）或列字母（如 B）。');
    if (key === null) return null;
    if (key !== '') choices.map = [`${key}=${KEY_HEADER}`];
  }
  return choices;
}

function problemLines(problems: readonly AdoptProblem[]): string {
  return problems.map((p) => `✗ ${p.zh}`).join('\n');
}

const ADOPT_ROLE_ZH: { [role: string]: string } = { key: '客户号', editable: '档案（读入系统）', computed: '系统计算列（每晚写入）', own: '支行自己的列（不读不写）' };

/** The preview as the manager reads it: the tab and its header, each column's role, the rows, the conflicts, what the first night adds. */
function previewLines(p: AdoptPreview): string[] {
  const lines: string[] = [];
  const titles = p.titleRows.length > 0 ? `，标题行：第${p.titleRows.join('、')}行` : '';
  lines.push(`工作表“${p.tab}”：表头在第${p.headerRow}行${p.headerRows > 1 ? `（共${p.headerRows}行表头）` : ''}${titles}`);
  lines.push('各列：');
  for (const c of p.columns) {
    const header = `${c.group !== null ? `${c.group}/` : ''}${c.header || '（无表头）'}`;
    const field = c.field !== null && c.field !== c.header && c.role !== 'key' ? `：${c.field}` : '';
    lines.push(`  ${c.column} ${header} → ${ADOPT_ROLE_ZH[c.role] ?? c.role}${field}`);
  }
  const blank = p.unmatched.filter((u) => u.reason === 'blank').length;
  const others = p.unmatched.filter((u) => u.reason !== 'blank');
  lines.push(`本支行客户：${p.matched}行${blank > 0 ? `；空行${blank}行` : ''}`);
  if (others.length > 0) {
    lines.push(`不是本支行客户的行（${others.length}行，不读不写）：`);
    lines.push(...cutList(others.map((u) => `  ${u.zh}`)));
  }
  if (p.archive !== null) lines.push(`台账中的档案：${p.archive.cells}个单元格将读入系统（${p.archive.rows}行），${p.archive.same}个与系统一致`);
  if (p.conflicts.length > 0) {
    // neither side wins: the server sends these nowhere (shared/sheets/ledger-archive.ts)
    lines.push(`与系统档案不一致（${p.conflicts.length}处，不读入，系统档案也不改，请核对）：`);
    lines.push(...cutList(p.conflicts.map((c) => `  第${c.row}行 客户${c.customerId} ${c.field}：台账“${c.sheet}”，系统“${c.stored}”`)));
  }
  if (p.adds.length > 0) {
    lines.push('连接后，系统将：');
    lines.push(...cutList(p.adds.map((a) => `  + ${a.zh}`)));
  }
  return lines;
}

/** What the binding did: the archive cells read in, and each refused one with its row and why. */
function appliedLines(answer: { preview: AdoptPreview; archive: AdoptArchive | null; replaced: string | null }): string[] {
  const lines = [`已连接：工作表“${answer.preview.tab}”现为系统的客户名单（表头第${answer.preview.headerRow}行）。`];
  if (answer.replaced !== null) lines.push(`本支行原先登记的表格（${answer.replaced}）已由本表格取代。`);
  const archive = answer.archive;
  if (archive === null) return lines;
  lines.push(`台账中的档案：${archive.accepted}个单元格已保存到系统${archive.refused.length > 0 ? `，${archive.refused.length}个未通过检查、未保存：` : '。'}`);
  lines.push(...cutList(archive.refused.map((r) => `  第${r.row}行${r.customerId !== '' ? ` 客户${r.customerId}` : ''}${r.field !== '' ? ` ${r.field}` : ''}：${r.zh}`)));
  return lines;
}

function cutList(lines: readonly string[]): string[] {
  if (lines.length <= ADOPT_LIST_LINES) return lines.slice();
  return [...lines.slice(0, ADOPT_LIST_LINES), `  ……另有${lines.length - ADOPT_LIST_LINES}项`];
}
