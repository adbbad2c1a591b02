import { describe, expect, it } from 'vitest';
import { isNoteRow, isTotalsRow, ledgerTable, type LedgerTable } from '../../shared/sheets/ledger-table.js';
import { normalizeLedgerHeader } from '../../shared/sheets/ledger-synonyms.js';

/**
 * Where a ledger's table of customers ends and where a new row may go (ledger-table.ts): blank
 * rows inside the table, totals rows (合计, 小 计, 合计：, subtotals between a manager's customers
 * and the next's), notes below the last customer, and anything of the branch's below the table
 * forbidding an appended row. Each ledger has its header on row 2 (a title above it) and the key
 * in column B unless the case says otherwise; rows are numbered as the sheet numbers them.
 */

const HEADER = ['序号', '客户编号', '客户姓名', '金融资产(万元)'];
const title = ['城东支行管户台账'];
const customer = (n: number, id: string) => [String(n), id, `客户${n}`, '50'];

interface Case {
  name: string;
  why: string;
  rows: string[][];
  headerRow?: number;
  keyColumn?: number;
  expected: Partial<LedgerTable>;
}

const cases: Case[] = [
  {
    name: 'customers only',
    why: 'nothing below the last customer (row 4): a new customer may go on row 5',
    rows: [title, HEADER, customer(1, '100200300'), customer(2, '100200301')],
    expected: { firstRow: 3, lastRow: 4, totalsRow: null, trailingFrom: null, appendAt: 5, skippedRows: [] },
  },
  {
    name: 'a header and no customers yet',
    why: 'the table is empty (lastRow = firstRow − 1); the first customer goes right under the header',
    rows: [title, HEADER],
    expected: { firstRow: 3, lastRow: 2, totalsRow: null, trailingFrom: null, appendAt: 3, skippedRows: [] },
  },
  {
    name: 'blank rows inside the table and below it',
    why: 'the blank row 4 is inside the table (a customer follows it); the blank rows 6–7 are not: the table ends on row 5, and row 6 is free',
    rows: [title, HEADER, customer(1, '100200300'), ['', '', '', ''], customer(2, '100200301'), [], ['', '']],
    expected: { firstRow: 3, lastRow: 5, totalsRow: null, trailingFrom: null, appendAt: 6 },
  },
  {
    name: 'a 合计 row at the bottom',
    why: '合计 on row 5 with an empty key cell: the totals row ends the table; a row added above it would fall outside the branch’s SUM ranges or shift them, so nothing may be appended',
    rows: [title, HEADER, customer(1, '100200300'), customer(2, '100200301'), ['合计', '', '', '100']],
    expected: { firstRow: 3, lastRow: 4, totalsRow: 5, trailingFrom: 5, appendAt: null },
  },
  {
    name: '小 计 written with a space',
    why: 'headers and totals are compared without spaces: 小 计 is 小计',
    rows: [title, HEADER, customer(1, '100200300'), ['小 计', '', '', '50']],
    expected: { lastRow: 3, totalsRow: 4, appendAt: null },
  },
  {
    name: '合计： with a colon, after a blank row',
    why: '合计： is 合计; the blank row 4 between the last customer and it is not part of the table',
    rows: [title, HEADER, customer(1, '100200300'), [], ['', '', '合计：', '50']],
    expected: { lastRow: 3, totalsRow: 5, trailingFrom: 5, appendAt: null },
  },
  {
    name: '合计 with a count in the key column',
    why: 'the branch counts its customers in the key column of the totals row (=COUNTA gives 2); 合计 in column A, before the key, still makes it the totals row, not a customer numbered 2',
    rows: [title, HEADER, customer(1, '100200300'), customer(2, '100200301'), ['合计', '2', '', '100']],
    expected: { lastRow: 4, totalsRow: 5, trailingFrom: 5, appendAt: null },
  },
  {
    name: '合计 in the key column',
    why: 'the key is column A and the totals row says 合计 there',
    rows: [['客户编号', '金融资产'], ['100200300', '50'], ['合计', '50']],
    headerRow: 1,
    keyColumn: 1,
    expected: { firstRow: 2, lastRow: 2, totalsRow: 3, appendAt: null },
  },
  {
    name: 'subtotals between managers’ customers and a 合计 at the end',
    why: 'the ledger is grouped by manager: 小计 on rows 5 and 8 close each group, 合计 on row 9 closes the table; the customers after the first 小计 are the branch’s as much as those before it, so it is skipped, not the end; the table ends at the first totals row after the last customer (李强 小计, row 8)',
    rows: [title, HEADER, customer(1, '100200300'), customer(2, '100200301'), ['', '', '王芳 小计', '100'], customer(3, '100200302'), customer(4, '100200303'), ['', '', '李强 小计', '100'], ['合计', '', '', '200']],
    expected: { firstRow: 3, lastRow: 7, totalsRow: 8, trailingFrom: 8, appendAt: null, skippedRows: [5] },
  },
  {
    name: 'a note below the last customer',
    why: '注：… in column A (the key cell B empty) after the last customer: the note and everything below it are the branch’s',
    rows: [title, HEADER, customer(1, '100200300'), [], ['注：金融资产为月末时点数。'], ['制表：王芳']],
    expected: { lastRow: 3, totalsRow: null, trailingFrom: 5, appendAt: null },
  },
  {
    name: 'a note in the key column',
    why: 'the key is column A, where the note is written too: a customer number never reads 注：…, so it is a note, not a customer',
    rows: [['客户编号', '金融资产'], ['100200300', '50'], ['注：单位为万元']],
    headerRow: 1,
    keyColumn: 1,
    expected: { firstRow: 2, lastRow: 2, trailingFrom: 3, appendAt: null },
  },
  {
    name: 'a note between customers, in the key column',
    why: 'the key is column A; 注：以下为新开户客户 on row 3 is not a customer (skipped), and the customer after it is read',
    rows: [['客户编号', '金融资产'], ['100200300', '50'], ['注：以下为新开户客户'], ['100200301', '20']],
    headerRow: 1,
    keyColumn: 1,
    expected: { lastRow: 4, skippedRows: [3], trailingFrom: null, appendAt: 5 },
  },
  {
    name: 'a 制表 row as the only thing below',
    why: '制表：… after a blank row: a note; nothing may be appended above it',
    rows: [title, HEADER, customer(1, '100200300'), [], ['', '', '制表：王芳', '审核：李强']],
    expected: { lastRow: 3, trailingFrom: 5, appendAt: null },
  },
  {
    name: 'a totals row then notes',
    why: 'the totals row comes first: it ends the table and is where the trailing rows start',
    rows: [title, HEADER, customer(1, '100200300'), ['合计', '', '', '50'], ['注：不含已销户客户']],
    expected: { lastRow: 3, totalsRow: 4, trailingFrom: 4, appendAt: null },
  },
  {
    name: 'a customer without a number yet, last',
    why: 'row 4 has a name but no 客户编号: it is in the table (not a note, not totals), so a new row goes below it, on row 5',
    rows: [title, HEADER, customer(1, '100200300'), ['2', '', '新客户', '30']],
    expected: { lastRow: 4, totalsRow: null, trailingFrom: null, appendAt: 5 },
  },
  {
    name: 'the header repeated inside the table (printed page by page)',
    why: 'row 5 repeats the header: not a customer, skipped; the customers under it are read',
    rows: [title, HEADER, customer(1, '100200300'), customer(2, '100200301'), HEADER, customer(3, '100200302')],
    expected: { lastRow: 6, skippedRows: [5], appendAt: 7 },
  },
];

describe('ledgerTable', () => {
  it.each(cases)('$name', ({ rows, headerRow = 2, keyColumn = 2, expected }) => {
    expect(ledgerTable(rows, headerRow, keyColumn)).toMatchObject(expected);
  });
});

describe('isTotalsRow and isNoteRow', () => {
  it.each([
    [['合计', '', '100'], 2, true, '合计 in A, key B empty'],
    [['', '', '合  计'], 2, true, 'spaces inside'],
    [['', '', '总计：'], 2, true, 'a colon after it'],
    [['', '', '合计（万元）'], 2, true, 'a bracketed unit after it'],
    [['', '', '本页合计'], 2, true, 'a page total'],
    [['合计', '17', '100'], 2, true, 'a count in the key cell, 合计 before it'],
    [['1', '100200300', '合计'], 2, false, 'a customer whose name column happens to say 合计: the key holds a number and 合计 is after it'],
    [['1', '100200300', '张伟'], 2, false, 'a customer'],
    [['', '', ''], 2, false, 'a blank row'],
  ])('%j (key column %i) → %s: %s', (cells, key, expected) => {
    expect(isTotalsRow(cells, key)).toBe(expected);
  });

  it.each([
    [['注：金融资产为月末时点数'], 2, true, '注：'],
    [['注:单位万元'], 2, true, 'an ASCII colon'],
    [['', '', '制表：王芳'], 2, true, '制表：, not in column A'],
    [['说明：不含已销户客户'], 2, true, '说明'],
    [['注：单位为万元'], 1, true, 'the note in the key column'],
    [['1', '100200300', '注意维护'], 2, false, 'a customer (the key holds a number)'],
    [['', '', '张伟'], 2, false, 'a row without a key that is not a note'],
  ])('%j (key column %i) → %s: %s', (cells, key, expected) => {
    expect(isNoteRow(cells, key)).toBe(expected);
  });
});

describe('normalizeLedgerHeader', () => {
  it.each([
    ['客户编号', '客户编号'],
    [' 客 户 编 号 ', '客户编号'],
    ['客户编号（必填）', '客户编号'],
    ['手机号码(必填)*', '手机号码'],
    ['*手机号码', '手机号码'],
    ['＊手机号码', '手机号码'],
    ['金融资产（万元）', '金融资产'],
    ['风险等级【C1-C5】', '风险等级'],
    ['上次联系时间：', '上次联系时间'],
    ['客户ＩＤ', '客户id'],
    ['手机\n号码', '手机号码'],
    ['合 计：', '合计'],
    ['联系电话（手机）', '联系电话'],
    // a note that says whose the column is stays: these are not 联系电话 and 地址
    ['联系电话（家庭）', '联系电话(家庭)'],
    ['地址(单位)', '地址(单位)'],
    // … but a unit is only a unit
    ['合计（单位：万元）', '合计'],
    ['', ''],
  ])('%j → %j', (text, expected) => {
    expect(normalizeLedgerHeader(text)).toBe(expected);
  });
});
