import { describe, expect, it } from 'vitest';
import { rowRuns } from '../../functions/sheets/google-sheets-gateway.js';
import { requestsOf, rgbOf } from '../../functions/sheets/google-sheets-requests.js';
import { gridRangeOf, snapshotOf, spanOf } from '../../functions/sheets/google-sheets-snapshot.js';

/**
 * The gateway's translations, on answers and requests written by hand in the API's JSON shape
 * (no server here): proto3 leaves zero values out, so an absent sheetId is 0 and an absent
 * start index is the first row or column.
 */

describe('reading a spreadsheets.get answer', () => {
  it('places sparse grid data at its start row and column, with holes as empty cells; tags by column; zero sheetId left out', () => {
    const snapshot = snapshotOf({
      sheets: [
        {
          properties: { title: '客户名单', gridProperties: { rowCount: 1000, columnCount: 26 } },
          developerMetadata: [{ metadataKey: 'wealth-ladder.tab', metadataValue: '客户名单' }],
          data: [
            {
              rowData: [{ values: [{ formattedValue: '客户号' }, {}, { formattedValue: '当前等级' }] }, {}, { values: [{ formattedValue: 'C1' }] }],
              columnMetadata: [{ developerMetadata: [{ metadataKey: 'wealth-ladder.column', metadataValue: '客户号' }] }, {}, { developerMetadata: [{ metadataKey: 'someone.else', metadataValue: 'x' }, { metadataKey: 'wealth-ladder.column', metadataValue: '当前等级' }] }],
            },
            { startRow: 1, startColumn: 3, rowData: [{ values: [{ formattedValue: 'D2' }] }], columnMetadata: [{ developerMetadata: [{ metadataKey: 'wealth-ladder.column', metadataValue: '手机号码' }] }] },
          ],
          protectedRanges: [{ protectedRangeId: 7, description: '[wealth-ladder:列 客户号] …', range: { endColumnIndex: 1 } }],
          conditionalFormats: [{ ranges: [{ startRowIndex: 1, startColumnIndex: 20, endColumnIndex: 21 }], booleanRule: { condition: { type: 'TEXT_EQ', values: [{ userEnteredValue: '逾期' }] } } }, { ranges: [{}], gradientRule: {} }],
        },
      ],
    });
    const [tab] = snapshot.tabs;
    expect(tab).toMatchObject({ sheetId: 0, title: '客户名单', rowCount: 1000, columnCount: 26, tabTag: '客户名单' });
    expect(tab?.values).toEqual([['客户号', '', '当前等级'], ['', '', '', 'D2'], ['C1']]);
    expect([...(tab?.columnTags ?? [])]).toEqual([[1, '客户号'], [3, '当前等级'], [4, '手机号码']]);
    expect(tab?.protections).toEqual([{ id: 7, description: '[wealth-ladder:列 客户号] …', span: { fromRow: 1, fromColumn: 1, toColumn: 1 } }]);
    expect(tab?.conditionalRules).toEqual([
      { type: 'TEXT_EQ', values: ['逾期'], spans: [{ fromRow: 2, fromColumn: 21, toColumn: 21 }] },
      { type: '', values: [], spans: [{ fromRow: 1, fromColumn: 1 }] },
    ]);
  });

  it('where an older layout left a second tag, the one the layout knows is read (else the run would tag it again every night)', () => {
    const snapshot = snapshotOf({
      sheets: [
        {
          properties: { sheetId: 5, title: '本行客户' },
          developerMetadata: [{ metadataKey: 'wealth-ladder.tab', metadataValue: '旧名单' }, { metadataKey: 'wealth-ladder.tab', metadataValue: '客户名单' }],
          data: [{ columnMetadata: [{ developerMetadata: [{ metadataKey: 'wealth-ladder.column', metadataValue: '旧列' }, { metadataKey: 'wealth-ladder.column', metadataValue: '当前等级' }] }, { developerMetadata: [{ metadataKey: 'wealth-ladder.column', metadataValue: '旧列' }] }] }],
        },
      ],
    });
    expect(snapshot.tabs[0]?.tabTag).toBe('客户名单');
    expect([...(snapshot.tabs[0]?.columnTags ?? [])]).toEqual([[1, '当前等级'], [2, '旧列']]);
  });

  it('an empty spreadsheet answer is no tabs', () => {
    expect(snapshotOf({})).toEqual({ tabs: [] });
  });
});

describe('spans and grid ranges', () => {
  it.each([
    [{ sheetId: 3, startColumnIndex: 13, endColumnIndex: 14 }, { fromRow: 1, fromColumn: 14, toColumn: 14 }],
    [{ sheetId: 3, startRowIndex: 1, endRowIndex: 5, startColumnIndex: 0, endColumnIndex: 2 }, { fromRow: 2, toRow: 5, fromColumn: 1, toColumn: 2 }],
    [{ sheetId: 3 }, { fromRow: 1, fromColumn: 1 }],
  ])('%o ↔ %o', (range, span) => {
    expect(spanOf(range)).toEqual(span);
    expect(spanOf(gridRangeOf(3, span))).toEqual(span);
  });

  it('a span with no bounds is the whole sheet', () => {
    expect(gridRangeOf(9, {})).toEqual({ sheetId: 9 });
  });
});

describe('structural requests', () => {
  it('colours: FFC7CE is (255, 199, 206) / 255; FFEB9C is (255, 235, 156) / 255', () => {
    expect(rgbOf('FFC7CE')).toEqual({ red: 1, green: 199 / 255, blue: 206 / 255 });
    expect(rgbOf('FFEB9C')).toEqual({ red: 1, green: 235 / 255, blue: 156 / 255 });
  });

  it('each change becomes the v4 request of that name, warning-only protection without editors', () => {
    expect(
      requestsOf([
        { kind: 'addTab', sheetId: 4, title: '待办', rows: 1000, columns: 26 },
        { kind: 'growTab', sheetId: 4, dimension: 'ROWS', by: 101 },
        { kind: 'tagTab', sheetId: 4, name: '待办' },
        { kind: 'tagColumn', sheetId: 1, column: 14, header: '当前等级' },
        { kind: 'protect', sheetId: 1, span: { fromColumn: 14, toColumn: 14 }, description: 'd' },
        { kind: 'moveProtection', protectionId: 8, sheetId: 1, span: { fromColumn: 2, toColumn: 2 } },
        { kind: 'dropProtection', protectionId: 9 },
        { kind: 'colourWhenText', sheetId: 1, span: { fromRow: 2, fromColumn: 21, toColumn: 21 }, text: '今日', background: 'FFEB9C' },
      ]),
    ).toEqual([
      { addSheet: { properties: { sheetId: 4, title: '待办', gridProperties: { rowCount: 1000, columnCount: 26 } } } },
      { appendDimension: { sheetId: 4, dimension: 'ROWS', length: 101 } },
      { createDeveloperMetadata: { developerMetadata: { metadataKey: 'wealth-ladder.tab', metadataValue: '待办', location: { sheetId: 4 }, visibility: 'DOCUMENT' } } },
      { createDeveloperMetadata: { developerMetadata: { metadataKey: 'wealth-ladder.column', metadataValue: '当前等级', location: { dimensionRange: { sheetId: 1, dimension: 'COLUMNS', startIndex: 13, endIndex: 14 } }, visibility: 'DOCUMENT' } } },
      { addProtectedRange: { protectedRange: { range: { sheetId: 1, startColumnIndex: 13, endColumnIndex: 14 }, description: 'd', warningOnly: true } } },
      { updateProtectedRange: { protectedRange: { protectedRangeId: 8, range: { sheetId: 1, startColumnIndex: 1, endColumnIndex: 2 } }, fields: 'range' } },
      { deleteProtectedRange: { protectedRangeId: 9 } },
      {
        addConditionalFormatRule: {
          index: 0,
          rule: { ranges: [{ sheetId: 1, startRowIndex: 1, startColumnIndex: 20, endColumnIndex: 21 }], booleanRule: { condition: { type: 'TEXT_EQ', values: [{ userEnteredValue: '今日' }] }, format: { backgroundColorStyle: { rgbColor: { red: 1, green: 235 / 255, blue: 156 / 255 } } } } },
        },
      },
    ]);
  });
});

describe('value ranges', () => {
  it('one range per row from its first written cell, null between, quotes doubled in a tab name', () => {
    expect(
      rowRuns([
        { tab: '客户名单', row: 2, column: 14, value: 'a' },
        { tab: "It's", row: 1, column: 1, value: 'x' },
        { tab: '客户名单', row: 2, column: 17, value: '' },
        { tab: '客户名单', row: 3, column: 27, value: 'b' },
      ]),
    ).toEqual([
      { range: "'客户名单'!N2", values: [['a', null, null, '']] },
      { range: "'It''s'!A1", values: [['x']] },
      { range: "'客户名单'!AA3", values: [['b']] },
    ]);
  });
});
