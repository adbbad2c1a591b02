import { describe, expect, it } from 'vitest';
import { columnIndex, columnLetters, formatA1Range, parseA1Range, type ParsedA1 } from '../support/sheets-api-server/a1-range.js';
import { applyFieldMask, parseFieldMask } from '../support/sheets-api-server/field-mask.js';
import { shiftFormula, type DimensionChange } from '../support/sheets-api-server/formula-references.js';
import { toCell } from '../support/sheets-api-server/values-ops.js';

/** The pure parts of the Sheets API test server: A1 notation, field masks, USER_ENTERED parsing, formula references. */

const parses: [string, ParsedA1][] = [
  ["'客户名单'!A1:Z", { kind: 'grid', sheetTitle: '客户名单', bounds: { startColumnIndex: 0, endColumnIndex: 26, startRowIndex: 0 } }],
  ["'It''s'!B2", { kind: 'grid', sheetTitle: "It's", bounds: { startRowIndex: 1, endRowIndex: 2, startColumnIndex: 1, endColumnIndex: 2 } }],
  ["'客户名单'", { kind: 'sheet', sheetTitle: '客户名单' }],
  ['客户名单', { kind: 'sheet', sheetTitle: '客户名单' }],
  ['Sheet1', { kind: 'sheet', sheetTitle: 'Sheet1' }],
  ['Sheet1!A1:B2', { kind: 'grid', sheetTitle: 'Sheet1', bounds: { startRowIndex: 0, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 2 } }],
  ['Sheet1!B2:A1', { kind: 'grid', sheetTitle: 'Sheet1', bounds: { startRowIndex: 0, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 2 } }],
  ['Sheet1!A:C', { kind: 'grid', sheetTitle: 'Sheet1', bounds: { startColumnIndex: 0, endColumnIndex: 3 } }],
  ['Sheet1!2:5', { kind: 'grid', sheetTitle: 'Sheet1', bounds: { startRowIndex: 1, endRowIndex: 5 } }],
  ['Sheet1!a1:aa10', { kind: 'grid', sheetTitle: 'Sheet1', bounds: { startRowIndex: 0, endRowIndex: 10, startColumnIndex: 0, endColumnIndex: 27 } }],
  ['A1:B2', { kind: 'sheetOrGrid', sheetTitle: 'A1:B2', bounds: { startRowIndex: 0, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 2 } }],
  ['AB12', { kind: 'sheetOrGrid', sheetTitle: 'AB12', bounds: { startRowIndex: 11, endRowIndex: 12, startColumnIndex: 27, endColumnIndex: 28 } }],
  ["'A!B'!C3", { kind: 'grid', sheetTitle: 'A!B', bounds: { startRowIndex: 2, endRowIndex: 3, startColumnIndex: 2, endColumnIndex: 3 } }],
  ["'月报 2024'!A2:F", { kind: 'grid', sheetTitle: '月报 2024', bounds: { startRowIndex: 1, startColumnIndex: 0, endColumnIndex: 6 } }],
];

const rejects: string[] = ['', "'unclosed!A1", "'Tab'A1", "'Tab'!", 'Tab!', 'Tab!A', 'Tab!5', 'Tab!A:5', 'Tab!1:B', 'Tab!A1:B2:C3', 'Tab!AAAA1', 'Tab!A0', "''!A1", 'Tab!A1-B2'];

describe('A1 ranges', () => {
  it.each(parses)('parses %s', (text, expected) => {
    expect(parseA1Range(text)).toEqual({ ok: true, range: expected });
  });

  it.each(rejects)('rejects %j with the API message', (text) => {
    expect(parseA1Range(text)).toEqual({ ok: false, message: `Unable to parse range: ${text}` });
  });

  it.each([
    [0, 'A'],
    [25, 'Z'],
    [26, 'AA'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ] as const)('column %i is %s and back', (index, letters) => {
    expect(columnLetters(index)).toBe(letters);
    expect(columnIndex(letters)).toBe(index);
  });

  it.each([
    ['Sheet1', { startRowIndex: 0, endRowIndex: 1000, startColumnIndex: 0, endColumnIndex: 26 }, 'Sheet1!A1:Z1000'],
    ['客户名单', { startRowIndex: 1, endRowIndex: 2, startColumnIndex: 1, endColumnIndex: 2 }, "'客户名单'!B2"],
    ["It's", { startRowIndex: 0, endRowIndex: 3, startColumnIndex: 0, endColumnIndex: 2 }, "'It''s'!A1:B3"],
    ['AB12', { startRowIndex: 0, endRowIndex: 1, startColumnIndex: 0, endColumnIndex: 1 }, "'AB12'!A1"],
  ] as const)('formats %s back to A1', (title, bounds, expected) => {
    expect(formatA1Range(title, bounds)).toBe(expected);
  });
});

describe('field masks', () => {
  const resource = { spreadsheetId: 'x', properties: { title: 't' }, sheets: [{ properties: { sheetId: 0, title: 'a', index: 0 } }, { properties: { sheetId: 1, title: 'b', index: 1 } }] };

  it.each([
    ['sheets.properties.title', { sheets: [{ properties: { title: 'a' } }, { properties: { title: 'b' } }] }],
    ['spreadsheetId,sheets(properties(sheetId,title))', { spreadsheetId: 'x', sheets: [{ properties: { sheetId: 0, title: 'a' } }, { properties: { sheetId: 1, title: 'b' } }] }],
    ['properties', { properties: { title: 't' } }],
    ['*', resource],
    ['developerMetadata', {}],
  ] as const)('%s', (fields, expected) => {
    expect(applyFieldMask(resource, parseFieldMask(fields))).toEqual(expected);
  });

  it('refuses a malformed mask', () => {
    expect(() => parseFieldMask('sheets(properties')).toThrow(/unclosed/);
  });
});

describe('value input options', () => {
  it.each([
    ['=1+1', 'RAW', { value: '=1+1', formula: false }],
    ['=1+1', 'USER_ENTERED', { value: '=1+1', formula: true }],
    ['123.5', 'RAW', { value: '123.5', formula: false }],
    ['123.5', 'USER_ENTERED', { value: 123.5, formula: false }],
    ["'0012", 'USER_ENTERED', { value: '0012', formula: false }],
    ['true', 'USER_ENTERED', { value: true, formula: false }],
    ['张三', 'USER_ENTERED', { value: '张三', formula: false }],
    [42, 'RAW', { value: 42, formula: false }],
  ] as const)('%j as %s', (input, option, expected) => {
    expect(toCell(input, option)).toEqual(expected);
  });
});

describe('formula references follow inserted and deleted rows and columns', () => {
  const ledger = (kind: 'insert' | 'delete', dimension: 'ROWS' | 'COLUMNS', start: number, count = 1): DimensionChange => ({ title: '管户台账', dimension, kind, start, count });
  it.each([
    // a column inserted before I (index 8): the sum and its range move right
    ['=SUM(I5:I12)', '管户台账', ledger('insert', 'COLUMNS', 3), '=SUM(J5:J12)'],
    // inserted after the range: nothing moves; inside it: the range grows
    ['=SUM(I5:I12)', '管户台账', ledger('insert', 'COLUMNS', 9), '=SUM(I5:I12)'],
    ['=SUM(I5:I12)', '管户台账', ledger('insert', 'ROWS', 6, 2), '=SUM(I5:I14)'],
    ['=SUM(I5:I12)', '管户台账', ledger('insert', 'ROWS', 4), '=SUM(I6:I13)'],
    ['=SUM(I5:I12)', '管户台账', ledger('insert', 'ROWS', 12), '=SUM(I5:I12)'],
    // absolute references move too; a reference to another tab does not
    ['=$B$5+B6+汇总!B6', '管户台账', ledger('insert', 'ROWS', 0), '=$B$6+B7+汇总!B6'],
    // another tab's formula naming the changed tab, quoted or not, whatever the case
    ["=COUNTA('管户台账'!B5:B12)", '汇总', ledger('insert', 'COLUMNS', 1), "=COUNTA('管户台账'!C5:C12)"],
    ['=COUNTA(管户台账!B5:B12)', '汇总', ledger('insert', 'COLUMNS', 1), '=COUNTA(管户台账!C5:C12)'],
    ['=COUNTA(B5:B12)', '汇总', ledger('insert', 'COLUMNS', 1), '=COUNTA(B5:B12)'],
    // column ranges move with columns, not with rows
    ['=SUM(B:D)', '管户台账', ledger('insert', 'COLUMNS', 2), '=SUM(B:E)'],
    ['=SUM(B:D)', '管户台账', ledger('insert', 'ROWS', 0), '=SUM(B:D)'],
    // text in quotes, function names with digits and names that look like cells are left alone
    ['=IF(A1="B2",LOG10(C3),"I5:I12")', '管户台账', ledger('insert', 'COLUMNS', 0), '=IF(B1="B2",LOG10(D3),"I5:I12")'],
    // deletions: a range shrinks, a deleted cell becomes #REF!, a wholly deleted range too
    ['=SUM(I5:I12)', '管户台账', ledger('delete', 'ROWS', 5, 2), '=SUM(I5:I10)'],
    ['=SUM(I5:I12)', '管户台账', ledger('delete', 'ROWS', 4), '=SUM(I5:I11)'],
    ['=B7*2', '管户台账', ledger('delete', 'ROWS', 6), '=#REF!*2'],
    ['=SUM(I5:I6)+1', '管户台账', ledger('delete', 'ROWS', 4, 2), '=SUM(#REF!)+1'],
    ['=SUM(J5:J12)', '管户台账', ledger('delete', 'COLUMNS', 3), '=SUM(I5:I12)'],
  ] as const)('%s on %s after %j → %s', (formula, own, change, expected) => {
    expect(shiftFormula(formula, own, change)).toBe(expected);
  });
});
