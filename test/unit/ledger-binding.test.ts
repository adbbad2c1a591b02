import { describe, expect, it } from 'vitest';
import { proposeBinding, type ProposeOptions } from '../../shared/sheets/ledger-detect.js';
import { synonymTable } from '../../shared/sheets/ledger-synonyms.js';
import type { SpreadsheetSnapshot } from '../../shared/sheets/sheet-snapshot.js';
import { ledgerTab, proposalOf, summaryOf, workbookOf } from '../support/ledger-builder.js';

/**
 * Proposing how to adopt a branch's own ledger (管户台账), over the shapes branches keep: where the
 * header is (row 1, under a merged title and a 制表 row, two rows with a group above or the key
 * merged down), which column is the key (every synonym; two of them, none), which tab (two
 * ledgers, 说明 and 汇总 beside it), which columns are the layout's editable ones (every synonym,
 * written with brackets, spaces and (必填)), and how the operator's --tab, --header-row and --map
 * settle what the proposal refuses to guess. Each case says why its answer is what it is.
 */

const synonyms = synonymTable();
const propose = (sheet: SpreadsheetSnapshot, options: Partial<ProposeOptions> = {}) => summaryOf(proposeBinding(sheet, { synonyms, ...options }));

const TITLE = '城东支行中高端客户管户台账（2026年11月）';
const MADE_BY = '制表：王芳        审核：李强';
/** the usual 8 columns: A 序号, B 客户编号, C 客户姓名, D 管户经理, E 金融资产(万元), F 客户等级, G 联系电话, H 备注 */
const HEADER = ['序号', '客户编号', '客户姓名', '管户经理', '金融资产(万元)', '客户等级', '联系电话', '备注'];
const ROW_1 = ['1', '100200300', '张伟', '王芳', '85.2', '金卡', '13800000001', ''];
const ROW_2 = ['2', '100200301', '李娜', '王芳', '120', '白金', '13800000002', '重点'];

interface Case {
  name: string;
  why: string;
  sheet: SpreadsheetSnapshot;
  options?: Partial<ProposeOptions>;
  expected: ReturnType<typeof summaryOf>;
}

describe('where the header is', () => {
  const cases: Case[] = [
    {
      name: 'header in row 1',
      why: 'row 1 holds 客户号 and nothing is above it: one header row, no titles; 手机 is 手机号码',
      sheet: workbookOf(ledgerTab('Sheet1', [['客户号', '客户姓名', '手机'], ['100200300', '张伟', '13800000001']])),
      expected: { tab: 'Sheet1', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号', C: '手机号码' }, notes: [] },
    },
    {
      name: 'header in row 3 under a merged title and a 制表 row',
      why: 'row 1 is the title merged across the whole table (A1:H1 is as wide as the table, so not a group), row 2 says who made it (a colon): both are titles; the header is row 3',
      sheet: workbookOf(ledgerTab('11月台账', [[TITLE], [MADE_BY], HEADER, ROW_1, ROW_2], { merges: ['A1:H1', 'A2:H2'] })),
      expected: { tab: '11月台账', headerRow: 3, headerRows: 1, titleRows: [1, 2], key: 'B', bound: { B: '客户号', G: '手机号码' }, notes: [] },
    },
    {
      name: 'a 制表 row right above the header, not merged',
      why: '制表：… and 审核：… in two cells of row 2: text with a colon is never a group row, so the header is row 3 alone',
      sheet: workbookOf(ledgerTab('台账', [[TITLE], ['制表：王芳', '', '', '', '审核：李强'], HEADER, ROW_1], { merges: ['A1:H1'] })),
      expected: { tab: '台账', headerRow: 3, headerRows: 1, titleRows: [1, 2], key: 'B', bound: { B: '客户号', G: '手机号码' }, notes: [] },
    },
    {
      name: 'a title merged over fewer columns than the table, right above the header',
      why: 'the title A1:F1 is narrower than the 8-column table, but it is the one text of the row and starts at A, spanning most of the width: a title, not a group over A–F',
      sheet: workbookOf(ledgerTab('台账', [[TITLE], HEADER, ROW_1], { merges: ['A1:F1'] })),
      expected: { tab: '台账', headerRow: 2, headerRows: 1, titleRows: [1], key: 'B', bound: { B: '客户号', G: '手机号码' }, notes: [] },
    },
    {
      name: 'case B: two-row header, a group cell above the column names',
      why: '联系方式 (E2:F2) is merged over 手机 and 家庭地址 of row 3, narrower than the table: row 2 is the header’s group row; the key 客户编号 is on row 3, which is the header’s last row',
      sheet: workbookOf(
        ledgerTab(
          '台账',
          [[TITLE], ['', '', '', '', '联系方式', '', ''], ['序号', '客户编号', '客户姓名', '管户经理', '手机', '家庭地址', '备注'], ['1', '100200300', '张伟', '王芳', '13800000001', '建设路1号', '']],
          { merges: ['A1:G1', 'E2:F2'] },
        ),
      ),
      expected: { tab: '台账', headerRow: 3, headerRows: 2, titleRows: [1], key: 'B', bound: { B: '客户号', E: '手机号码', F: '家庭住址' }, notes: [] },
    },
    {
      name: 'case A: two-row header, the key merged down over both rows',
      why: '客户编号 is B2:B3, so the header takes rows 2 and 3 and data starts on row 4; 手机 and 住址 under the group 联系方式 (D2:E2) are named on row 3, 序号 and 客户姓名 are merged down like the key',
      sheet: workbookOf(
        ledgerTab(
          '台账',
          [[TITLE], ['序号', '客户编号', '客户姓名', '联系方式', '', '风险等级'], ['', '', '', '手机', '住址', ''], ['1', '100200300', '张伟', '13800000001', '建设路1号', 'C3']],
          { merges: ['A1:F1', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:E2', 'F2:F3'] },
        ),
      ),
      expected: { tab: '台账', headerRow: 3, headerRows: 2, titleRows: [1], key: 'B', bound: { B: '客户号', D: '手机号码', E: '家庭住址', F: '风险特征' }, notes: [] },
    },
    {
      name: 'two-row header written without merging the key down',
      why: 'row 2 holds the key and a group 联系方式 (D2:E2); row 3 names the group’s columns and leaves the key cell empty: row 3 is the header’s second row, not a customer, so data starts on row 4',
      sheet: workbookOf(
        ledgerTab('台账', [['序号', '客户编号', '客户姓名', '联系方式', '', '备注'], ['', '', '', '手机', '家庭地址', ''], ['1', '100200300', '张伟', '13800000001', '建设路1号', '']], { merges: ['D1:E1'] }),
      ),
      expected: { tab: '台账', headerRow: 2, headerRows: 2, titleRows: [], key: 'B', bound: { B: '客户号', D: '手机号码', E: '家庭住址' }, notes: [] },
    },
    {
      name: 'a header name merged across two columns, and a first customer without a number',
      why: '家庭住址 is merged over C1:D1 on the key’s row, and row 2 has no 客户编号, but row 2 fills 客户姓名 too, outside the merge: a customer’s row, not a second header row',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '客户姓名', '家庭住址', ''], ['', '张伟', '建设路1号', '100000'], ['100200300', '李娜', '解放路2号', '100001']], { merges: ['C1:D1'] })),
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号', C: '家庭住址' }, notes: [] },
    },
    {
      name: 'two rows with a key header',
      why: 'rows 1 and 5 both have a 客户编号 column (a small 重点客户 table above the ledger): which is the ledger is not guessed',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '客户姓名'], ['100200300', '张伟'], [], ['全部客户'], HEADER, ROW_1])),
      expected: { problems: ['AMBIGUOUS_HEADER_ROW'] },
    },
    {
      name: 'two rows with a key header, settled with --header-row 5',
      why: 'the operator names row 5: that row is the header, the rows above it are titles',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '客户姓名'], ['100200300', '张伟'], [], ['全部客户'], HEADER, ROW_1])),
      options: { headerRow: 5 },
      expected: { tab: '台账', headerRow: 5, headerRows: 1, titleRows: [1, 2, 4], key: 'B', bound: { B: '客户号', G: '手机号码' }, notes: [] },
    },
    {
      name: 'the header printed again further down',
      why: 'row 6 repeats row 2 cell for cell (the ledger printed page by page): the same header, not a second table, so the first is the header and nothing is ambiguous',
      sheet: workbookOf(ledgerTab('台账', [[TITLE], HEADER, ROW_1, ROW_2, [], HEADER, ROW_1], { merges: ['A1:H1'] })),
      expected: { tab: '台账', headerRow: 2, headerRows: 1, titleRows: [1], key: 'B', bound: { B: '客户号', G: '手机号码' }, notes: [] },
    },
    {
      name: '--header-row naming a row without a key',
      why: 'row 4 says 全部客户 only: no key there, so the operator is told rather than given a header without a key',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '客户姓名'], ['100200300', '张伟'], [], ['全部客户'], HEADER, ROW_1])),
      options: { headerRow: 4 },
      expected: { problems: ['HEADER_ROW_WITHOUT_KEY'] },
    },
    {
      name: '--header-row naming the last row of a key merged down',
      why: 'case A with --header-row 3: the key’s text is on row 2 but merged down to row 3, so row 3 has the key and the header is rows 2–3',
      sheet: workbookOf(ledgerTab('台账', [['', ''], ['客户编号', '客户姓名'], ['', ''], ['100200300', '张伟']], { merges: ['A2:A3', 'B2:B3'] })),
      options: { headerRow: 3 },
      expected: { tab: '台账', headerRow: 3, headerRows: 2, titleRows: [], key: 'A', bound: { A: '客户号' }, notes: ['NOTHING_ELSE_BOUND'] },
    },
  ];
  it.each(cases)('$name', ({ sheet, options, expected }) => {
    expect(propose(sheet, options)).toEqual(expected);
  });
});

describe('which column is the key', () => {
  const keyWords = ['客户号', '客户编号', '客户代码', '核心客户号', '客户ID', '客户id', '客户ＩＤ', '客户编码', '核心客户编号', ' 客户编号 ', '客 户 号', '客户编号（必填）', '客户编号(必填)', '客户编号：', '*客户编号', '客户编号*', '客户\n编号'];
  it.each(keyWords)('“%s” is the key (a synonym, compared after NFKC, without spaces, a bracketed note, a colon or a * mark)', (word) => {
    const sheet = workbookOf(ledgerTab('台账', [['序号', word, '客户姓名'], ['1', '100200300', '张伟']]));
    expect(propose(sheet)).toEqual({ tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'B', bound: { B: '客户号' }, notes: ['NOTHING_ELSE_BOUND'] });
  });

  const cases: Case[] = [
    {
      name: 'two key columns',
      why: '客户号 and 核心客户号 are both key words: which numbers the customers is the operator’s to say',
      sheet: workbookOf(ledgerTab('台账', [['客户号', '核心客户号', '客户姓名'], ['A001', '100200300', '张伟']])),
      expected: { problems: ['AMBIGUOUS_KEY'] },
    },
    {
      name: 'two key columns, settled by mapping one to 客户号',
      why: '--map 核心客户号=客户号: B is the key; A stays the branch’s own column',
      sheet: workbookOf(ledgerTab('台账', [['客户号', '核心客户号', '客户姓名'], ['A001', '100200300', '张伟']])),
      options: { map: [{ theirs: '核心客户号', layout: '客户号' }] },
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'B', bound: { B: '客户号' }, notes: ['NOTHING_ELSE_BOUND'] },
    },
    {
      name: 'two key columns, settled by mapping the other to the branch’s own',
      why: '--map 客户号= (own): only 核心客户号 is left to be the key',
      sheet: workbookOf(ledgerTab('台账', [['客户号', '核心客户号', '客户姓名'], ['A001', '100200300', '张伟']])),
      options: { map: [{ theirs: '客户号', layout: null }] },
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'B', bound: { B: '客户号' }, notes: ['NOTHING_ELSE_BOUND'] },
    },
    {
      name: 'no key column',
      why: '客户姓名 and 身份证号 are not key words (an ID card number is not the bank’s customer number): nothing is guessed',
      sheet: workbookOf(ledgerTab('台账', [['序号', '客户姓名', '身份证号', '手机'], ['1', '张伟', '110101199001011234', '13800000001']])),
      expected: { problems: ['NO_KEY_COLUMN'] },
    },
    {
      name: 'no key word, the key named by its header with --map',
      why: '--map 客户标识=客户号: B is the key because the operator said so; row 1 is the only row where B says 客户标识',
      sheet: workbookOf(ledgerTab('台账', [['序号', '客户标识', '手机'], ['1', '100200300', '13800000001']])),
      options: { map: [{ theirs: '客户标识', layout: '客户号' }] },
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'B', bound: { B: '客户号', C: '手机号码' }, notes: [] },
    },
    {
      name: 'the key named by its column letter under a title',
      why: '--map B=客户号: column B holds text on every data row too, but the header is the topmost row where B has text that is not part of a merged title or a 制表：note, so row 3',
      sheet: workbookOf(ledgerTab('台账', [[TITLE], ['制表：王芳', '审核：李强'], ['序号', '客户标识', '手机'], ['1', '100200300', '13800000001'], ['2', '100200301', '13800000002']], { merges: ['A1:C1'] })),
      options: { map: [{ theirs: 'B', layout: '客户号' }] },
      expected: { tab: '台账', headerRow: 3, headerRows: 1, titleRows: [1, 2], key: 'B', bound: { B: '客户号', C: '手机号码' }, notes: [] },
    },
    {
      name: '--map naming a key header the ledger does not have',
      why: '--map 客户代号=客户号 names no header of any tab: the operator’s mapping is what is wrong, so the problem says so (not that no key was found)',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '手机'], ['100200300', '13800000001']])),
      options: { map: [{ theirs: '客户代号', layout: '客户号' }] },
      expected: { problems: ['MAP_COLUMN_NOT_FOUND'] },
    },
  ];
  it.each(cases)('$name', ({ sheet, options, expected }) => {
    expect(propose(sheet, options)).toEqual(expected);
  });
});

describe('which tab', () => {
  const ledger = (title: string) => ledgerTab(title, [[TITLE], HEADER, ROW_1], { merges: ['A1:H1'] });
  const instructions = ledgerTab('说明', [['填表说明'], ['1. 客户编号填写核心系统客户号；'], ['2. 金融资产单位为万元。']]);
  const fieldList = ledgerTab('说明', [['字段', '填写要求'], ['客户编号', '核心系统客户号，必填'], ['手机号码', '11位'], ['风险等级', 'C1–C5']]);
  const summary = ledgerTab('汇总', [['管户经理', '客户数', '金融资产合计(万元)'], ['王芳', '2', '205.2'], ['合计', '2', '205.2']]);
  const cases: Case[] = [
    {
      name: '说明 and 汇总 beside the ledger',
      why: '说明 holds sentences, 汇总 counts by manager: neither has a key header, so the ledger is the one tab with one',
      sheet: workbookOf(instructions, ledger('城东支行'), summary),
      expected: { tab: '城东支行', headerRow: 2, headerRows: 1, titleRows: [1], key: 'B', bound: { B: '客户号', G: '手机号码' }, notes: [] },
    },
    {
      name: 'a 说明 tab listing the columns one per row',
      why: '说明 has 客户编号 in a cell, but on a row with no other header word (its neighbour is a description): not a table header; the ledger’s header row has 序号, 客户姓名 … beside its key',
      sheet: workbookOf(fieldList, ledger('城东支行')),
      expected: { tab: '城东支行', headerRow: 2, headerRows: 1, titleRows: [1], key: 'B', bound: { B: '客户号', G: '手机号码' }, notes: [] },
    },
    {
      name: 'the system’s own tabs beside the ledger',
      why: '升级名单 and 未入台账 have 客户号 in row 1, but they are the system’s lists (by tag or title), never the ledger',
      sheet: workbookOf(
        ledgerTab('升级名单', [['排名', '客户号', '客户经理']], { tabTag: '升级名单' }),
        ledgerTab('未入台账', [['客户号', '当前等级', '月日均资产']], { tabTag: '未入台账' }),
        ledgerTab('降级预警', [['排名', '客户号']]),
        ledger('城东支行'),
      ),
      expected: { tab: '城东支行', headerRow: 2, headerRows: 1, titleRows: [1], key: 'B', bound: { B: '客户号', G: '手机号码' }, notes: [] },
    },
    {
      name: 'two tabs with a key',
      why: '城东 and 城西 are both ledgers: which one the branch means is not guessed',
      sheet: workbookOf(ledger('城东'), ledger('城西')),
      expected: { problems: ['AMBIGUOUS_TAB'] },
    },
    {
      name: 'two tabs with a key, settled with --tab',
      why: '--tab 城西: that tab, whatever the other holds',
      sheet: workbookOf(ledger('城东'), ledger('城西')),
      options: { tab: '城西' },
      expected: { tab: '城西', headerRow: 2, headerRows: 1, titleRows: [1], key: 'B', bound: { B: '客户号', G: '手机号码' }, notes: [] },
    },
    {
      name: '--tab compares without case and surrounding spaces',
      why: 'Sheets treats tab titles without regard to case: " sheet1 " names Sheet1',
      sheet: workbookOf(ledgerTab('Sheet1', [['客户号'], ['100200300']]), ledger('城西')),
      options: { tab: ' sheet1 ' },
      expected: { tab: 'Sheet1', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号' }, notes: ['NOTHING_ELSE_BOUND'] },
    },
    {
      name: '--tab naming no tab',
      why: 'there is no tab 城南',
      sheet: workbookOf(ledger('城东'), ledger('城西')),
      options: { tab: '城南' },
      expected: { problems: ['TAB_NOT_FOUND'] },
    },
    {
      name: 'two ledgers, one already tagged 客户名单',
      why: 'a previous adoption tagged 城西 as 客户名单: that one is the ledger',
      sheet: workbookOf(ledger('城东'), { ...ledger('城西'), tabTag: '客户名单' }),
      expected: { tab: '城西', headerRow: 2, headerRows: 1, titleRows: [1], key: 'B', bound: { B: '客户号', G: '手机号码' }, notes: [] },
    },
  ];
  it.each(cases)('$name', ({ sheet, options, expected }) => {
    expect(propose(sheet, options)).toEqual(expected);
  });
});

describe('which columns are the layout’s editable ones', () => {
  const words: [string, string][] = [
    ['手机号码', '手机号码'],
    ['手机', '手机号码'],
    ['手机号', '手机号码'],
    ['联系电话', '手机号码'],
    ['移动电话', '手机号码'],
    ['家庭住址', '家庭住址'],
    ['家庭地址', '家庭住址'],
    ['住址', '家庭住址'],
    ['居住地址', '家庭住址'],
    ['联系地址', '家庭住址'],
    ['工作单位', '工作单位'],
    ['单位', '工作单位'],
    ['单位名称', '工作单位'],
    ['家庭电话', '家庭电话'],
    ['住宅电话', '家庭电话'],
    ['固定电话', '家庭电话'],
    ['风险特征', '风险特征'],
    ['风险等级', '风险特征'],
    ['风险评级', '风险特征'],
    ['风险测评结果', '风险特征'],
    ['产品偏好', '产品偏好'],
    ['投资偏好', '产品偏好'],
    ['最近联系日期', '最近联系日期'],
    ['上次联系时间', '最近联系日期'],
    ['上次联系日期', '最近联系日期'],
    ['最近联系方式', '最近联系方式'],
    ['联系渠道', '最近联系方式'],
    ['联系备注', '联系备注'],
    ['联系记录', '联系备注'],
    ['指定等级', '指定等级'],
    ['指定原因', '指定原因'],
    ['指定截止月', '指定截止月'],
    // as branches write them
    ['手机号码（必填）', '手机号码'],
    ['手机号码(必填)', '手机号码'],
    ['手机号码【必填】', '手机号码'],
    ['*手机号码', '手机号码'],
    ['手 机 号 码', '手机号码'],
    ['　手机　', '手机号码'],
    ['风险等级（C1-C5）', '风险特征'],
    ['上次联系时间：', '最近联系日期'],
    ['家庭\n地址', '家庭住址'],
  ];
  it.each(words)('“%s” is bound to %s', (word, field) => {
    const sheet = workbookOf(ledgerTab('台账', [['客户编号', '客户姓名', word], ['100200300', '张伟', 'x']]));
    expect(propose(sheet)).toEqual({ tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号', C: field }, notes: [] });
  });

  it.each(['联系电话（家庭）', '联系电话(住宅)', '地址（单位）', '手机（紧急联系人）'])('“%s” is not bound: its bracketed note says whose it is, so it is not the customer’s own 手机号码 or 家庭住址', (word) => {
    const sheet = workbookOf(ledgerTab('台账', [['客户编号', '客户姓名', word], ['100200300', '张伟', 'x']]));
    expect(propose(sheet)).toEqual({ tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号' }, notes: ['NOTHING_ELSE_BOUND'] });
  });

  const cases: Case[] = [
    {
      name: 'two columns for one field',
      why: '联系电话 and 手机 both read as 手机号码: neither is bound (which one the branch keeps up to date is not guessed); 家庭地址 is bound as usual',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '联系电话', '手机', '家庭地址'], ['100200300', '010-6000000', '13800000001', '建设路1号']])),
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号', D: '家庭住址' }, notes: ['AMBIGUOUS_FIELD'] },
    },
    {
      name: 'two columns for one field, settled with --map',
      why: '--map 手机=手机号码 binds C; 联系电话 (B) stays the branch’s own rather than ambiguous',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '联系电话', '手机'], ['100200300', '010-6000000', '13800000001']])),
      options: { map: [{ theirs: '手机', layout: '手机号码' }] },
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号', C: '手机号码' }, notes: [] },
    },
    {
      name: 'the branch’s own 当前等级',
      why: '当前等级 is a computed column’s name, but a synonym never binds a computed column: it stays the branch’s, and the note says the system appends its own',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '当前等级', '手机'], ['100200300', '金卡', '13800000001']])),
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号', C: '手机号码' }, notes: ['SAME_NAME_AS_COMPUTED'] },
    },
    {
      name: 'the branch’s own 客户等级',
      why: '客户等级 is a word ledgers use for their own grading: the branch’s, with nothing to note',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '客户等级', '手机'], ['100200300', '金卡', '13800000001']])),
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号', C: '手机号码' }, notes: [] },
    },
    {
      name: '--map to a computed field',
      why: '--map 客户等级=当前等级: the operator wants the system to write its tier into the branch’s column B',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '客户等级', '手机'], ['100200300', '金卡', '13800000001']])),
      options: { map: [{ theirs: '客户等级', layout: '当前等级' }] },
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号', B: '当前等级', C: '手机号码' }, notes: [] },
    },
    {
      name: '--map with a column letter',
      why: '--map C=手机号码: C is headed 电话1, no synonym, bound because the operator named its letter',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '客户姓名', '电话1'], ['100200300', '张伟', '13800000001']])),
      options: { map: [{ theirs: 'C', layout: '手机号码' }] },
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号', C: '手机号码' }, notes: [] },
    },
    {
      name: '--map making a synonym the branch’s own',
      why: '--map 联系电话= : the branch keeps a landline there, so it is not bound though its word is a synonym',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '联系电话', '住址'], ['100200300', '010-6000000', '建设路1号']])),
      options: { map: [{ theirs: '联系电话', layout: null }] },
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号', C: '家庭住址' }, notes: [] },
    },
    {
      name: '--map naming a header the ledger does not have',
      why: '--map 电子邮箱=联系备注: no column is headed 电子邮箱',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '手机'], ['100200300', '13800000001']])),
      options: { map: [{ theirs: '电子邮箱', layout: '联系备注' }] },
      expected: { problems: ['MAP_COLUMN_NOT_FOUND'] },
    },
    {
      name: '--map naming a header two columns have',
      why: 'two columns are headed 电话: the header cannot say which, a letter is asked for',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '电话', '电话'], ['100200300', '13800000001', '010-6000000']])),
      options: { map: [{ theirs: '电话', layout: '手机号码' }] },
      expected: { problems: ['MAP_COLUMN_NOT_FOUND'] },
    },
    {
      name: '--map to an unknown field',
      why: '--map 手机=手机号: 手机号 is a synonym, not a layout column’s name',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '手机'], ['100200300', '13800000001']])),
      options: { map: [{ theirs: '手机', layout: '手机号' }] },
      expected: { problems: ['MAP_FIELD_UNKNOWN'] },
    },
    {
      name: '--map binding two columns to one field',
      why: '--map 手机=手机号码 and C=手机号码: one field, two columns',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '手机', '电话'], ['100200300', '13800000001', '13800000002']])),
      options: { map: [{ theirs: '手机', layout: '手机号码' }, { theirs: 'C', layout: '手机号码' }] },
      expected: { problems: ['MAP_FIELD_TWICE'] },
    },
    {
      name: 'nothing but the key recognised',
      why: '客户姓名 and 金融资产 are the branch’s own: the proposal still works (the computed columns are appended) and says nothing else was read',
      sheet: workbookOf(ledgerTab('台账', [['客户编号', '客户姓名', '金融资产(万元)'], ['100200300', '张伟', '85']])),
      expected: { tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号' }, notes: ['NOTHING_ELSE_BOUND'] },
    },
  ];
  it.each(cases)('$name', ({ sheet, options, expected }) => {
    expect(propose(sheet, options)).toEqual(expected);
  });
});

describe('what a proposal carries besides the bound columns', () => {
  const sheet = workbookOf(
    ledgerTab(
      '台账',
      [[TITLE], ['序号', '客户编号', '客户姓名', '联系方式', '', '备注'], ['', '', '', '手机', '家庭地址', ''], ['1', '100200300', '张伟', '13800000001', '建设路1号', ''], ['合计', '', '', '', '', ''], ['注：金融资产为月末时点数。']],
      { sheetId: 7, merges: ['A1:F1', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:E2', 'F2:F3'] },
    ),
  );
  const proposal = proposalOf(proposeBinding(sheet, { synonyms, missing: 'append' }));

  it('every column of the table with its header, group and role, the branch’s own ones included', () => {
    expect(proposal.columns.map((c) => [c.letter, c.header, c.group, c.role, c.field, c.by])).toEqual([
      ['A', '序号', null, 'own', null, null],
      ['B', '客户编号', null, 'key', '客户号', 'synonym'],
      ['C', '客户姓名', null, 'own', null, null],
      ['D', '手机', '联系方式', 'editable', '手机号码', 'synonym'],
      ['E', '家庭地址', '联系方式', 'editable', '家庭住址', 'synonym'],
      ['F', '备注', null, 'own', null, null],
    ]);
  });

  it('the binding record: the header’s last row, its height, the key’s header text as the branch wrote it, the missing-customer mode asked for', () => {
    expect(proposal.sheetId).toBe(7);
    expect(proposal.binding).toEqual({ version: 1, headerRow: 3, headerRows: 2, keyHeader: '客户编号', missing: 'append' });
  });

  it('the table: one customer row, ended by 合计 (row 5), so no row may be appended', () => {
    expect(proposal.table).toMatchObject({ firstRow: 4, lastRow: 4, totalsRow: 5, trailingFrom: 5, appendAt: null });
  });
});

describe('a ledger as a branch keeps it, everything at once', () => {
  // 说明 and 汇总 tabs beside it; a title merged A1:L1; 制表 and 审核 on row 2; a two-row header with
  // every column merged down over rows 3–4 but the group 联系方式 (E3:F3) over 手机 and 家庭地址; the
  // branch's own words (客户编号, 单位, 风险等级, 上次联系时间) and columns (序号, 客户姓名, 管户经理,
  // 金融资产(万元), 客户等级, 备注); a blank row; a customer of another branch, an unknown number, two
  // numbers Excel turned into numbers; a 合计 row; a note after a blank row
  const mergedDown = ['A', 'B', 'C', 'D', 'G', 'H', 'I', 'J', 'K', 'L'].map((c) => `${c}3:${c}4`);
  const sheet = workbookOf(
    ledgerTab('说明', [['本台账由城东支行维护，每月初更新。']]),
    ledgerTab(
      '管户台账',
      [
        [TITLE],
        ['制表：王芳', '', '', '', '审核：李强'],
        ['序号', '客户编号', '客户姓名', '管户经理', '联系方式', '', '单位', '风险等级', '金融资产(万元)', '客户等级', '上次联系时间', '备注'],
        ['', '', '', '', '手机', '家庭地址', '', '', '', '', '', ''],
        ['1', '0031000001', '张一', '王芳', '13800000001', '城东路1号', '', 'c3', '120.5', '金卡', '', ''],
        ['2', '0031000002', '李二', '王芳', '13900000002', '', '', '', '60', '普通', '', '重点'],
        [],
        ['3', '0031000003', '赵三', '王芳', '1380000', '', '市医院', '', '30', '普通', '', ''],
        ['4', '0032000001', '钱四', '', '', '', '', '', '10', '', '', '已转走'],
        ['5', 'X-UNKNOWN', '孙五', '', '', '', '', '', '5', '', '', ''],
        ['6', '31000004', '周六', '', '', '', '', '', '8', '', '', ''],
        ['7', '6.21700123456789E+18', '吴七', '', '', '', '', '', '9', '', '', ''],
        ['合计', '', '', '', '', '', '', '', '242.5', '', '', ''],
        [],
        ['注：金融资产为上月末时点余额。'],
      ],
      { merges: ['A1:L1', 'E3:F3', ...mergedDown] },
    ),
    ledgerTab('汇总', [['管户客户数', '7']]),
  );
  const result = proposeBinding(sheet, { synonyms });

  it('binds the ledger tab, header rows 3–4, the key B and the six archive columns it has', () => {
    expect(summaryOf(result)).toEqual({
      tab: '管户台账',
      headerRow: 4,
      headerRows: 2,
      titleRows: [1, 2],
      key: 'B',
      bound: { B: '客户号', E: '手机号码', F: '家庭住址', G: '工作单位', H: '风险特征', K: '最近联系日期' },
      notes: [],
    });
  });

  it('the table is rows 5–12 (the blank row 7 inside it), ended by 合计 on row 13: no row may be appended', () => {
    expect(proposalOf(result).table).toEqual({ firstRow: 5, lastRow: 12, totalsRow: 13, trailingFrom: 13, appendAt: null, skippedRows: [] });
  });
});

describe('bank synonyms', () => {
  it('extend the table: a bank’s 移动电话号码 is 手机号码, its 客户识别号 the key', () => {
    const bank = synonymTable({ 手机号码: ['移动电话号码'], 客户号: ['客户识别号'] });
    const sheet = workbookOf(ledgerTab('台账', [['客户识别号', '移动电话号码', '手机号'], ['100200300', '13800000001', '']]));
    // 手机号 (a default word) and 移动电话号码 (the bank's) both name 手机号码 now: two columns, neither bound
    expect(summaryOf(proposeBinding(sheet, { synonyms: bank }))).toEqual({ tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号' }, notes: ['AMBIGUOUS_FIELD', 'NOTHING_ELSE_BOUND'] });
    expect(summaryOf(proposeBinding(workbookOf(ledgerTab('台账', [['客户识别号', '移动电话号码']])), { synonyms: bank }))).toEqual({ tab: '台账', headerRow: 1, headerRows: 1, titleRows: [], key: 'A', bound: { A: '客户号', B: '手机号码' }, notes: [] });
  });

  it('a bank word is compared like a header: written with brackets or spaces it still matches', () => {
    const bank = synonymTable({ 工作单位: ['任职机构（全称）'] });
    expect(bank.get('任职机构')).toBe('工作单位');
  });

  it.each([
    ['a word that is already another column’s', { 手机号码: ['住宅电话'] }, '“住宅电话” would name both 家庭电话 and 手机号码'],
    ['one word given for two columns', { 手机号码: ['电话'], 家庭电话: ['电话'] }, '“电话” would name both 手机号码 and 家庭电话'],
    ['a key word given to an editable column', { 工作单位: ['客户编号'] }, '“客户编号” would name both 客户号 and 工作单位'],
    ['a computed column', { 当前等级: ['等级'] }, 'must be the key'],
    ['not a list of words', { 手机号码: '移动电话' }, 'synonyms:'],
  ])('refused: %s', (_name, bank, message) => {
    expect(() => synonymTable(bank)).toThrow(message);
  });
});
