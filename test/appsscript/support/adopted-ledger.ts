import { COMPUTED_HEADERS } from '../../../shared/sheets/branch-layout.js';
import type { AppsScript, AppsScriptOptions } from './apps-script-vm.js';
import { connectedScript, MANAGER } from './branch-sheet.js';
import type { CellValue, FakeSheet, FakeSpreadsheet } from './fake-spreadsheet.js';

/**
 * A branch's own ledger (管户台账) as an adoption leaves it: the branch's tab, title, two-row
 * header, 合计 row and note as they were; the tab tagged 客户名单; the bound columns tagged with
 * their layout header; the eleven computed columns appended after the ledger's last column, tagged,
 * their names on the header's last row; the binding on the tab. Connected, sync enabled by MANAGER.
 *
 *      A      B         C        D        E         F         G … Q
 *   1  城东支行管户台账（2026年11月）  ← merged A1:F1
 *   2  序号   客户编号   客户姓名  联系方式 (D2:E2) 当前等级   ← A, B, C, F merged down over rows 2–3
 *   3                           手机     家庭地址             当前等级 … 更新时间 (the system's)
 *   4  1      100200300  张伟     13800000001 市中心路1号 金卡
 *   5  2      100200301  李娜     13800000002            银卡
 *   6  3      100200302  王强     13800000003
 *   7  合计   3
 *   8  注：手机为客户本人号码                               ← merged A8:F8
 *
 * F (当前等级) is the branch's own column: its header happens to read like a layout column, but it
 * is untagged, so it is never read nor written; the system's 当前等级 is G.
 */

export const LEDGER_TAB = '管户台账';
export const LEDGER_BINDING = { version: 1, headerRow: 3, headerRows: 2, keyHeader: '客户编号', missing: 'list' };

const TITLE = '城东支行管户台账（2026年11月）';
const ROWS: readonly (readonly CellValue[])[] = [
  [TITLE],
  ['序号', '客户编号', '客户姓名', '联系方式', '', '当前等级'],
  ['', '', '', '手机', '家庭地址', ''],
  ['1', '100200300', '张伟', '13800000001', '市中心路1号', '金卡'],
  ['2', '100200301', '李娜', '13800000002', '', '银卡'],
  ['3', '100200302', '王强', '13800000003', '', ''],
  ['合计', '3'],
  ['注：手机为客户本人号码'],
];

/** column letter → number, for the ledger's columns and the appended ones (G = 当前等级 … Q = 更新时间) */
export const at = (letter: string): number => letter.charCodeAt(0) - 64;
/** the appended computed columns: G … Q */
export const COMPUTED_AT: Readonly<Record<string, number>> = Object.fromEntries(COMPUTED_HEADERS.map((h, i) => [h, at('G') + i]));

export interface AdoptedLedger {
  script: AppsScript;
  sheet: FakeSheet;
}

/** The branch's ledger as the branch keeps it, before adoption (with a 说明 tab before it). */
export function drawLedger(ss: FakeSpreadsheet): FakeSheet {
  ss.addSheet('说明', [['本表格由城东支行维护']]);
  const sheet = ss.addSheet(LEDGER_TAB, ROWS);
  sheet.merge(1, 1, 1, 6);
  for (const letter of ['A', 'B', 'C', 'F']) sheet.merge(2, at(letter), 2, 1);
  sheet.merge(2, at('D'), 1, 2);
  sheet.merge(8, 1, 1, 6);
  return sheet;
}

/** What adopting it leaves (the function's Sheets requests): the computed columns' names on the header's last row, the tags, the binding. */
export function bindLedger(sheet: FakeSheet): void {
  for (const [header, column] of Object.entries(COMPUTED_AT)) sheet.put(3, column, { value: header });
  sheet.tag('wealth-ladder.tab', '客户名单');
  sheet.tag('wealth-ladder.binding', JSON.stringify(LEDGER_BINDING));
  sheet.tag('wealth-ladder.column', '客户号', at('B'));
  sheet.tag('wealth-ladder.column', '手机号码', at('D'));
  sheet.tag('wealth-ladder.column', '家庭住址', at('E'));
  for (const [header, column] of Object.entries(COMPUTED_AT)) sheet.tag('wealth-ladder.column', header, column);
}

export function adoptedLedger(options: AppsScriptOptions & { secret?: boolean } = {}): AdoptedLedger {
  const script = connectedScript(options);
  const sheet = drawLedger(script.ss);
  bindLedger(sheet);
  script.as(MANAGER, () => script.call('enableEditSync'));
  return { script, sheet };
}
