import type { sheets_v4 } from 'googleapis';
import { LEDGER_ROWS, LEDGER_TAB, LEDGER_WIDTH } from './ledger-workbook.js';

/**
 * The branch ledger of test/support/ledger-workbook.ts (管户台账; same rows, same customers, same
 * answers) kept as a Google spreadsheet, built the way a manager's typing builds it: through the
 * Sheets API with USER_ENTERED, so the 合计 row's `=SUM(I5:I12)` and 汇总's COUNTA are formulas and
 * `'0031000001` is text; 31000004 and 6217001234567890000 are numbers, as Sheets makes of a
 * 客户编号 typed into a cell not formatted as text. Merges as in the workbook: the title across
 * A1:L1, 序号 … merged down over rows 3–4, 联系方式 across E3:F3.
 */

export { LEDGER_ROWS, LEDGER_TAB, LEDGER_WIDTH };

export const LEDGER_SHEET_ID = 11;

const grid = (sheetId: number, startRowIndex: number, endRowIndex: number, startColumnIndex: number, endColumnIndex: number) => ({ sheetId, startRowIndex, endRowIndex, startColumnIndex, endColumnIndex });

/** Creates the spreadsheet (tabs 说明, 管户台账, 汇总) and returns its id. */
export async function createLedgerSpreadsheet(sheets: sheets_v4.Sheets, title = '城东支行管户台账'): Promise<string> {
  const created = await sheets.spreadsheets.create({
    requestBody: {
      properties: { title },
      sheets: [{ properties: { sheetId: 10, title: '说明' } }, { properties: { sheetId: LEDGER_SHEET_ID, title: LEDGER_TAB } }, { properties: { sheetId: 12, title: '汇总' } }],
    },
  });
  const spreadsheetId = created.data.spreadsheetId!;
  const id = LEDGER_SHEET_ID;
  const merges: sheets_v4.Schema$Request[] = [
    { mergeCells: { range: grid(id, 0, 1, 0, 12), mergeType: 'MERGE_ALL' } },
    // 序号, 客户编号, 客户姓名, 管户经理 and 单位 … 备注 each merged down over rows 3–4
    { mergeCells: { range: grid(id, 2, 4, 0, 4), mergeType: 'MERGE_COLUMNS' } },
    { mergeCells: { range: grid(id, 2, 4, 6, 12), mergeType: 'MERGE_COLUMNS' } },
    { mergeCells: { range: grid(id, 2, 3, 4, 6), mergeType: 'MERGE_ALL' } },
  ];
  await sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: merges } });
  const row = (n: number, values: (string | number)[]) => ({ range: `'${LEDGER_TAB}'!A${n}`, values: [values] });
  await sheets.spreadsheets.values.batchUpdate({
    spreadsheetId,
    requestBody: {
      valueInputOption: 'USER_ENTERED',
      data: [
        { range: "'说明'!A1", values: [['本台账由城东支行维护，每月初更新。']] },
        row(1, ['城东支行中高端客户管户台账（2026年11月）']),
        row(2, ['制表：王芳', '', '', '', '审核：李强']),
        row(3, ['序号', '客户编号', '客户姓名', '管户经理', '联系方式', '', '单位', '风险等级', '金融资产(万元)', '客户等级', '上次联系时间', '备注']),
        row(4, ['', '', '', '', '手机', '家庭地址']),
        row(5, [1, "'0031000001", '张一', '王芳', "'13800000001", '城东路1号', '', 'c3', 120.5, '金卡']),
        row(6, [2, "'0031000002", '李二', '王芳', "'13900000002", '', '', '', 60, '普通', '', '重点']),
        row(8, [3, "'0031000003", '赵三', '王芳', "'1380000", '', '市医院', '', 30, '普通']),
        row(9, [4, "'0032000001", '钱四', '', '', '', '', '', 10, '', '', '已转走']),
        row(10, [5, 'X-UNKNOWN', '孙五', '', '', '', '', '', 5]),
        row(11, [6, 31000004, '周六', '', '', '', '', '', 8]),
        row(12, [7, 6217001234567890000, '吴七', '', '', '', '', '', 9]),
        row(13, ['合计', '', '', '', '', '', '', '', '=SUM(I5:I12)']),
        row(15, ['注：金融资产为上月末时点余额。']),
        { range: "'汇总'!A1", values: [['管户客户数', `=COUNTA('${LEDGER_TAB}'!B5:B12)`]] },
      ],
    },
  });
  return spreadsheetId;
}

const letter = (column: number) => {
  let n = column + 1;
  let out = '';
  while (n > 0) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
};

/**
 * Every cell of the given tabs as the spreadsheet stores it (a value, or a formula: values.batchGet
 * with valueRenderOption FORMULA), and each tab's merges in A1: what the branch keeps. Read through
 * the API, outside the code under test.
 */
export async function branchCells(sheets: sheets_v4.Sheets, spreadsheetId: string, tabs: Record<string, { rows: number; columns: number }>): Promise<Record<string, { cells: string[][]; merges: string[] }>> {
  const names = Object.keys(tabs);
  const ranges = names.map((name) => `'${name}'!A1:${letter(tabs[name]!.columns - 1)}${tabs[name]!.rows}`);
  const [values, meta] = await Promise.all([
    sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges, valueRenderOption: 'FORMULA' }),
    sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets(properties.title,merges)' }),
  ]);
  const out: Record<string, { cells: string[][]; merges: string[] }> = {};
  names.forEach((name, i) => {
    const { rows, columns } = tabs[name]!;
    const got = values.data.valueRanges?.[i]?.values ?? [];
    const cells = Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => String(got[r]?.[c] ?? '')));
    const sheet = meta.data.sheets?.find((s) => s.properties?.title === name);
    if (sheet === undefined) throw new Error(`no tab ${name}`);
    const merges = (sheet.merges ?? []).map((m) => `${letter(m.startColumnIndex ?? 0)}${(m.startRowIndex ?? 0) + 1}:${letter((m.endColumnIndex as number) - 1)}${m.endRowIndex}`).sort();
    out[name] = { cells, merges };
  });
  return out;
}
