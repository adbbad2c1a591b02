import { describe, expect, it } from 'vitest';
import { columnLettersOf, columnNumber, refOfSpan, spanOfRef } from '../../functions/sheets/xlsx-conditional-rules.js';
import { tagName, tagValue } from '../../functions/sheets/xlsx-defined-tags.js';
import { protectionId, protectionTarget } from '../../functions/sheets/xlsx-protection.js';

/** The pure translations of the local workbook gateway: tag names, A1 references, protection ids. No files. */

describe('defined names as tags', () => {
  it.each([
    ['column', '当前等级', 'wealth_ladder.column.当前等级'],
    ['tab', '待办', 'wealth_ladder.tab.待办'],
    // a space or a quote is not allowed in a name: hex of the UTF-8 bytes ("a b" = 61 20 62)
    ['column', 'a b', 'wealth_ladder.column._x612062'],
    ['tab', "it's", 'wealth_ladder.tab._x69742773'],
  ] as const)('%s %s ↔ %s', (kind, value, name) => {
    expect(tagName(kind, value)).toBe(name);
    expect(tagValue(kind, name)).toBe(value);
  });

  it.each([
    ['column', 'wealth_ladder.tab.待办'],
    ['tab', 'wealth_ladder.column.当前等级'],
    ['column', 'Print_Area'],
    ['column', 'wealth_ladder.column.'],
  ] as const)('%s: %s is not such a tag', (kind, name) => {
    expect(tagValue(kind, name)).toBeNull();
  });
});

describe('A1 references and spans', () => {
  it.each([
    // 联系状态 from row 2 down: U is column 21; the bottom edge (row 1,048,576) stays open
    ['U2:U1048576', { fromRow: 2, fromColumn: 21, toColumn: 21 }],
    ['B2', { fromRow: 2, toRow: 2, fromColumn: 2, toColumn: 2 }],
    ['$A$1:$C$3', { fromRow: 1, toRow: 3, fromColumn: 1, toColumn: 3 }],
    ['D:D', { fromRow: 1, fromColumn: 4, toColumn: 4 }],
    ['3:5', { fromRow: 3, toRow: 5, fromColumn: 1 }],
  ])('%s → %j', (ref, span) => {
    expect(spanOfRef(ref)).toEqual(span);
  });

  it('writes a span back as a reference, open ends at the sheet’s edges (XFD is column 16,384)', () => {
    expect(refOfSpan({ fromRow: 2, fromColumn: 21, toColumn: 21 })).toBe('U2:U1048576');
    expect(refOfSpan({})).toBe('A1:XFD1048576');
    expect(spanOfRef(refOfSpan({ fromRow: 7, toRow: 9, fromColumn: 27, toColumn: 28 }))).toEqual({ fromRow: 7, toRow: 9, fromColumn: 27, toColumn: 28 });
  });

  it.each([
    [1, 'A'],
    [26, 'Z'],
    [27, 'AA'], // 26 + 1
    [702, 'ZZ'], // 26 × 26 + 26
    [16_384, 'XFD'], // 24 × 676 + 6 × 26 + 4
  ])('column %i is %s', (n, letters) => {
    expect(columnLettersOf(n)).toBe(letters);
    expect(columnNumber(letters)).toBe(n);
  });

  it('is null for what is not a reference', () => {
    expect(spanOfRef('客户名单')).toBeNull();
    expect(spanOfRef('')).toBeNull();
  });
});

describe('protection ids', () => {
  it('carry the tab and the column (0: the whole tab)', () => {
    expect(protectionId(3, 14)).toBe(300_014);
    expect(protectionTarget(300_014)).toEqual({ sheetId: 3, column: 14 });
    expect(protectionTarget(protectionId(12, 0))).toEqual({ sheetId: 12, column: 0 });
    expect(protectionTarget(protectionId(1, 16_384))).toEqual({ sheetId: 1, column: 16_384 });
  });
});
