import { describe, expect, it } from 'vitest';
import { classifyLedgerRows, excelNumberProblem, type UnmatchedRow } from '../../shared/sheets/ledger-rows.js';

/**
 * Which rows of an adopted ledger are the branch's customers and why each other row is not
 * (shared/sheets/ledger-rows.ts; the reasons table of docs/adopting-a-sheet.md): a 客户编号 Excel
 * turned into a number — in scientific form, longer than 15 digits and rounded, or without its
 * leading zeros —, an exact match, a number the bank does not know, blank rows, a row with no key
 * but other cells, another branch's customer, duplicates, text that cannot be a number. Every
 * Chinese and English text below is written out from the code's wording by hand.
 */

const FIX = '请把该列设为“文本”格式后重新录入客户编号';
const scientific = (v: string) => ({
  zh: `客户编号“${v}”被表格软件（如 Excel）当成数字保存，以科学计数法显示，末几位已被舍入，无法确定是哪位客户；${FIX}`,
  en: `customer number "${v}" was stored by Excel as a number and rounded (scientific notation); it cannot name a customer`,
});
const rounded = (v: string) => ({
  zh: `客户编号“${v}”超过 15 位，被表格软件（如 Excel）当成数字保存后末几位已被舍入，无法确定是哪位客户；${FIX}`,
  en: `customer number "${v}" has more digits than a spreadsheet number keeps exactly: Excel rounded it`,
});
const zerosLost = (v: string, ...maybe: string[]) => ({
  zh: `客户编号“${v}”丢失了前导零（被表格软件当成数字保存），可能是 ${maybe.join('、')}；系统不猜，${FIX}`,
  en: `customer number "${v}" lost its leading zeros (stored as a number); it may be ${maybe.join(', ')}`,
});

/** the branch's digits-only numbers by their value without leading zeros, as classifyLedgerRows indexes them */
function byDigits(...ids: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const id of ids) {
    const bare = id.replace(/^0+(?=\d)/, '');
    out.set(bare, [...(out.get(bare) ?? []), id]);
  }
  return out;
}

describe('excelNumberProblem', () => {
  const cases: { name: string; value: string; branch?: string[]; expected: { zh: string; en: string } | null }[] = [
    { name: 'a 19-digit number as Excel shows it', value: '6.21700123456789E+18', expected: scientific('6.21700123456789E+18') },
    { name: 'fewer digits before the exponent', value: '6.217E+18', expected: scientific('6.217E+18') },
    { name: 'a lower-case e', value: '6.217e+18', expected: scientific('6.217e+18') },
    { name: 'no + in the exponent', value: '6.217E18', expected: scientific('6.217E18') },
    { name: 'no decimals', value: '6E+18', expected: scientific('6E+18') },
    { name: 'a minus sign in front', value: '-6.217E+18', expected: scientific('-6.217E+18') },
    { name: 'a plus sign in front', value: '+6.217E+18', expected: scientific('+6.217E+18') },
    // a negative exponent is a small fraction, never a long customer number made short
    { name: 'a negative exponent is no customer number Excel rounded', value: '6.217E-05', expected: null },
    // Excel writes one digit before the point; 62.17E+17 is not its form
    { name: 'two digits before the point', value: '62.17E+17', expected: null },
    {
      name: '19 digits, the last four zeroed (the bank’s number is 6217001234567890123)',
      value: '6217001234567890000',
      branch: ['6217001234567890123'],
      expected: rounded('6217001234567890000'),
    },
    {
      // docs: "longer than 15 digits (its last digits are rounded)"; Excel keeps 15 significant digits, so 6217001234567891 typed becomes 6217001234567890
      name: '16 digits, the last one zeroed (the bank’s number is 6217001234567891)',
      value: '6217001234567890',
      branch: ['6217001234567891'],
      expected: rounded('6217001234567890'),
    },
    { name: '15 digits are kept exactly: no problem of Excel’s', value: '621700123456789', expected: null },
    // a number Excel stored has no leading zero: 16 characters starting with 0 are text
    { name: '16 characters with a leading zero are text, not a rounded number', value: '0621700123456789', expected: null },
    { name: 'leading zeros lost: 123456 when the branch knows 00123456', value: '123456', branch: ['00123456'], expected: zerosLost('123456', '00123456') },
    { name: 'some of the leading zeros lost: 0123456 when the branch knows 00123456', value: '0123456', branch: ['00123456'], expected: zerosLost('0123456', '00123456') },
    { name: 'two of the branch’s numbers it may be, both named, none guessed', value: '123456', branch: ['0123456', '00123456'], expected: zerosLost('123456', '0123456', '00123456') },
    { name: 'the number itself (an exact match is no problem)', value: '00123456', branch: ['00123456'], expected: null },
    { name: 'digits that are no number of the branch’s with zeros', value: '123457', branch: ['00123456'], expected: null },
    { name: 'text that is no number', value: 'X-UNKNOWN', branch: ['00123456'], expected: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(excelNumberProblem(c.value, byDigits(...(c.branch ?? [])))).toEqual(c.expected);
    });
  }
});

/** a ledger row: 序号, 客户编号 (the key, column 2), 客户姓名 */
const row = (n: number, key: string, name = `客户${n}`) => ({ row: n, cells: [String(n), key, name] });

interface Case {
  name: string;
  rows: { row: number; cells: string[] }[];
  /** number → owning branch (null: the bank has no such customer); numbers left out were not looked up */
  owners?: Record<string, string | null>;
  /** branch B01's customers */
  branch?: string[];
  matched: Record<string, number>;
  unmatched: UnmatchedRow[];
}

const cases: Case[] = [
  {
    name: 'an exact match is the branch’s row; nothing unmatched',
    rows: [row(5, '0031000001')],
    owners: { '0031000001': 'B01' },
    branch: ['0031000001'],
    matched: { '0031000001': 5 },
    unmatched: [],
  },
  {
    name: 'spaces around the number are not part of it',
    rows: [row(5, ' 0031000001 ')],
    owners: { '0031000001': 'B01' },
    branch: ['0031000001'],
    matched: { '0031000001': 5 },
    unmatched: [],
  },
  {
    name: 'blank rows: empty cells, cells of spaces, a row of no cells',
    rows: [
      { row: 6, cells: ['', '', ''] },
      { row: 7, cells: [' ', '  ', ''] },
      { row: 8, cells: [] },
    ],
    matched: {},
    unmatched: [
      { row: 6, value: '', reason: 'blank', zh: '第 6 行：空行', en: 'row 6: blank' },
      { row: 7, value: '', reason: 'blank', zh: '第 7 行：空行', en: 'row 7: blank' },
      { row: 8, value: '', reason: 'blank', zh: '第 8 行：空行', en: 'row 8: blank' },
    ],
  },
  {
    name: 'a row with no key but other cells (a name typed, the number not yet)',
    rows: [{ row: 9, cells: ['9', '', '王九'] }, { row: 10, cells: ['', ' ', '', '备注'] }],
    matched: {},
    unmatched: [
      { row: 9, value: '', reason: 'no-key', zh: '第 9 行：客户编号为空，无法确定是哪位客户', en: 'row 9: no customer number' },
      { row: 10, value: '', reason: 'no-key', zh: '第 10 行：客户编号为空，无法确定是哪位客户', en: 'row 10: no customer number' },
    ],
  },
  {
    name: 'another branch’s customer, named with the branch',
    rows: [row(9, '0032000001')],
    owners: { '0032000001': 'B02' },
    branch: ['0031000001'],
    matched: {},
    unmatched: [{ row: 9, value: '0032000001', reason: 'other-branch', zh: '第 9 行：客户 0032000001 属于其他支行（B02），本支行不能更新', en: 'row 9: customer 0032000001 belongs to branch B02' }],
  },
  {
    name: 'a number the bank does not know (looked up: null) and one not looked up at all',
    rows: [row(10, 'X-UNKNOWN'), row(11, '0039999999')],
    owners: { 'X-UNKNOWN': null },
    branch: ['0031000001'],
    matched: {},
    unmatched: [
      { row: 10, value: 'X-UNKNOWN', reason: 'unknown', zh: '第 10 行：系统中没有客户 X-UNKNOWN', en: 'row 10: customer X-UNKNOWN is not known to the bank' },
      { row: 11, value: '0039999999', reason: 'unknown', zh: '第 11 行：系统中没有客户 0039999999', en: 'row 11: customer 0039999999 is not known to the bank' },
    ],
  },
  {
    name: 'duplicates: only the first row is the customer’s; a third row names the first again',
    rows: [row(5, '0031000001'), row(6, '0031000002'), row(7, '0031000001'), row(8, ' 0031000001')],
    owners: { '0031000001': 'B01', '0031000002': 'B01' },
    branch: ['0031000001', '0031000002'],
    matched: { '0031000001': 5, '0031000002': 6 },
    unmatched: [
      { row: 7, value: '0031000001', reason: 'duplicate', zh: '第 7 行：客户 0031000001 已在第 5 行，本行不更新', en: 'row 7: customer 0031000001 is already on row 5; this row is not written' },
      { row: 8, value: '0031000001', reason: 'duplicate', zh: '第 8 行：客户 0031000001 已在第 5 行，本行不更新', en: 'row 8: customer 0031000001 is already on row 5; this row is not written' },
    ],
  },
  {
    name: 'another branch’s customer twice is another branch’s twice (a duplicate is of a matched row only)',
    rows: [row(9, '0032000001'), row(10, '0032000001')],
    owners: { '0032000001': 'B02' },
    matched: {},
    unmatched: [
      { row: 9, value: '0032000001', reason: 'other-branch', zh: '第 9 行：客户 0032000001 属于其他支行（B02），本支行不能更新', en: 'row 9: customer 0032000001 belongs to branch B02' },
      { row: 10, value: '0032000001', reason: 'other-branch', zh: '第 10 行：客户 0032000001 属于其他支行（B02），本支行不能更新', en: 'row 10: customer 0032000001 belongs to branch B02' },
    ],
  },
  {
    name: 'scientific notation, in upper and lower case, is Excel’s number',
    rows: [row(12, '6.21700123456789E+18'), row(13, '6.217e+18')],
    owners: { '6.21700123456789E+18': null, '6.217e+18': null },
    branch: ['0031000001'],
    matched: {},
    unmatched: [
      { row: 12, value: '6.21700123456789E+18', reason: 'excel-number', zh: `第 12 行：${scientific('6.21700123456789E+18').zh}`, en: `row 12: ${scientific('6.21700123456789E+18').en}` },
      { row: 13, value: '6.217e+18', reason: 'excel-number', zh: `第 13 行：${scientific('6.217e+18').zh}`, en: `row 13: ${scientific('6.217e+18').en}` },
    ],
  },
  {
    name: 'a 19-digit number Excel rounded: the bank knows 6217001234567890123, the ledger says …0000',
    rows: [row(12, '6217001234567890000')],
    owners: { '6217001234567890000': null },
    branch: ['6217001234567890123'],
    matched: {},
    unmatched: [{ row: 12, value: '6217001234567890000', reason: 'excel-number', zh: `第 12 行：${rounded('6217001234567890000').zh}`, en: `row 12: ${rounded('6217001234567890000').en}` }],
  },
  {
    name: 'leading zeros lost: 123456 for the branch’s 00123456, named and not matched',
    rows: [row(11, '123456')],
    owners: { '123456': null },
    branch: ['00123456'],
    matched: {},
    unmatched: [{ row: 11, value: '123456', reason: 'excel-number', zh: `第 11 行：${zerosLost('123456', '00123456').zh}`, en: `row 11: ${zerosLost('123456', '00123456').en}` }],
  },
  {
    name: 'leading zeros lost of another branch’s customer: not named (only the branch’s numbers are candidates), so unknown',
    rows: [row(11, '32000001')],
    owners: { '32000001': null, '0032000001': 'B02' },
    branch: ['0031000001'],
    matched: {},
    unmatched: [{ row: 11, value: '32000001', reason: 'unknown', zh: '第 11 行：系统中没有客户 32000001', en: 'row 11: customer 32000001 is not known to the bank' }],
  },
  {
    name: 'a number the bank does know is the customer’s even if another of the branch’s reads the same without zeros',
    rows: [row(5, '123456')],
    owners: { '123456': 'B01' },
    branch: ['123456', '00123456'],
    matched: { '123456': 5 },
    unmatched: [],
  },
  {
    name: 'text that cannot be a customer number: a slash; 120 characters (the Chinese text shows 40 of them)',
    rows: [row(14, 'A/B'), row(15, 'x'.repeat(120))],
    owners: { 'A/B': null },
    matched: {},
    unmatched: [
      { row: 14, value: 'A/B', reason: 'invalid', zh: '第 14 行：“A/B”不是客户编号', en: 'row 14: "A/B" must not contain "/"' },
      { row: 15, value: 'x'.repeat(120), reason: 'invalid', zh: `第 15 行：“${'x'.repeat(40)}”不是客户编号`, en: `row 15: "${'x'.repeat(40)}" is 120 characters long; a customer number has at most 100` },
    ],
  },
];

describe('classifyLedgerRows', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = classifyLedgerRows(c.rows, 2, 'B01', new Map(Object.entries(c.owners ?? {})), new Set(c.branch ?? []));
      expect(Object.fromEntries(result.matched)).toEqual(c.matched);
      expect(result.unmatched).toEqual(c.unmatched);
    });
  }

  it('a whole ledger at once: every row once, in row order, the key read from the column given', () => {
    // the key in column 1 this time: 客户编号, 客户姓名
    const rows = [
      { row: 3, cells: ['0031000001', '张一'] },
      { row: 4, cells: ['', ''] },
      { row: 5, cells: ['0032000001', '钱四'] },
      { row: 6, cells: ['31000004', '周六'] },
      { row: 7, cells: ['0031000001', '张一'] },
      { row: 8, cells: ['', '孙五'] },
    ];
    const owners = new Map<string, string | null>([['0031000001', 'B01'], ['0032000001', 'B02'], ['31000004', null]]);
    const result = classifyLedgerRows(rows, 1, 'B01', owners, new Set(['0031000001', '0031000004']));
    expect([...result.matched]).toEqual([['0031000001', 3]]);
    expect(result.unmatched.map((u) => `${u.row} ${u.reason} ${u.value}`)).toEqual(['4 blank ', '5 other-branch 0032000001', '6 excel-number 31000004', '7 duplicate 0031000001', '8 no-key ']);
    expect(result.unmatched[2]!.zh).toBe(`第 6 行：${zerosLost('31000004', '0031000004').zh}`);
  });
});
