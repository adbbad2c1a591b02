import { z } from 'zod';
import { locatedErrorsOf } from '../located-error.js';
import { EDITABLE_HEADERS, KEY_HEADER } from './branch-layout.js';

/**
 * The words branches use in their own ledgers for the layout's columns (docs/adopting-a-sheet.md
 * carries the table). Adoption proposes a branch's column as a layout column when its header,
 * normalised, is one of these words; only the key and the editable columns are proposed, never a
 * computed one (the branch's own 客户等级 is the branch's: the system appends its 当前等级). A bank
 * adds its own words with a file (`--synonyms FILE`: `{"手机号码": ["移动电话"]}`); a word may
 * name one layout column only.
 */

export const DEFAULT_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  [KEY_HEADER]: ['客户号', '客户编号', '客户代码', '核心客户号', '客户ID', '客户编码', '核心客户编号'],
  手机号码: ['手机号码', '手机', '手机号', '联系电话', '移动电话', '手机电话'],
  家庭住址: ['家庭住址', '家庭地址', '住址', '居住地址', '联系地址', '地址'],
  工作单位: ['工作单位', '单位', '单位名称', '工作单位名称', '就职单位'],
  家庭电话: ['家庭电话', '住宅电话', '固定电话', '座机'],
  风险特征: ['风险特征', '风险等级', '风险评级', '风险测评结果', '风险类型'],
  产品偏好: ['产品偏好', '投资偏好', '理财偏好'],
  最近联系日期: ['最近联系日期', '上次联系时间', '上次联系日期', '最近联系时间', '最后联系日期'],
  最近联系方式: ['最近联系方式', '上次联系方式', '联系渠道'],
  联系备注: ['联系备注', '联系记录', '联系情况'],
  指定等级: ['指定等级'],
  指定原因: ['指定原因'],
  指定截止月: ['指定截止月'],
};

/**
 * Words seen in ledgers that are the branch's own columns (序号, 客户姓名, …). They are never bound;
 * they only help to tell the header row from a title row above it.
 */
export const BRANCH_OWN_WORDS: readonly string[] = ['序号', '客户姓名', '姓名', '管户经理', '客户经理', '金融资产', '客户等级', '备注', '性别', '出生日期', '证件号码', '身份证号', '开户日期', '资产', '日均资产', '月日均资产', '所属机构', '机构'];

/** The layout columns a synonym may name: the key and the editable ones. */
const BINDABLE = new Set<string>([KEY_HEADER, ...EDITABLE_HEADERS]);

/** word (normalised) → the layout header it names */
export type SynonymTable = ReadonlyMap<string, string>;

/** a bracketed note with one of these words says whose the column is (电话（家庭）, 地址（单位）): it is part of the name, never dropped */
const QUALIFIER = /家庭|住宅|单位|公司|办公|工作|固定|固话|座机|紧急|配偶|家属|联系人|其他/u;
/** 单位：万元 is the unit of a figure, not whose the column is */
const UNIT_NOTE = /单位[:：]/u;

/**
 * A header as compared: Unicode NFKC (full-width letters, digits and brackets become the plain
 * ones), whitespace removed (`客 户 号`, a full-width space), a trailing note in brackets removed
 * (`手机号码(必填)`, `金融资产(万元)`) unless it says whose the column is (`联系电话(家庭)` is not
 * 联系电话), a trailing colon or `*` removed, a leading `*` (a required column's mark, `*客户编号`)
 * removed, Latin letters in lower case.
 */
export function normalizeLedgerHeader(text: string): string {
  let t = text.normalize('NFKC').replace(/\s+/g, '').replace(/^[*＊]+/u, '');
  for (let before = ''; before !== t; ) {
    before = t;
    t = t.replace(/[([【]([^()[\]【】]*)[)\]】]$/u, (note, inside: string) => (QUALIFIER.test(inside) && !UNIT_NOTE.test(inside) ? note : '')).replace(/[:：*＊]+$/u, '');
  }
  return t.toLowerCase();
}

// the layout column is checked on the record's keys by hand: a refinement of a record key reports only "Invalid key in record"
export const bankSynonymsSchema = z.record(z.string(), z.array(z.string().min(1).max(100)).max(100)).superRefine((words, ctx) => {
  for (const layout of Object.keys(words)) {
    if (!BINDABLE.has(layout)) ctx.addIssue({ code: 'custom', path: [layout], message: `must be the key (${KEY_HEADER}) or an editable column (${EDITABLE_HEADERS.join('、')})` });
  }
});
export type BankSynonyms = z.infer<typeof bankSynonymsSchema>;

export class SynonymError extends Error {
  override readonly name = 'SynonymError';
}

/** The default words plus a bank's own (validated; a word naming two layout columns is refused, naming both). */
export function synonymTable(bank: unknown = {}): SynonymTable {
  const parsed = bankSynonymsSchema.safeParse(bank);
  if (!parsed.success) throw new SynonymError(`synonyms: ${locatedErrorsOf(parsed.error).map((e) => `${e.path || '(top)'}: ${e.message}`).join('; ')}`);
  const table = new Map<string, string>();
  const add = (layout: string, word: string) => {
    const key = normalizeLedgerHeader(word);
    const before = table.get(key);
    if (before !== undefined && before !== layout) throw new SynonymError(`synonyms: “${word}” would name both ${before} and ${layout}`);
    table.set(key, layout);
  };
  for (const [layout, words] of Object.entries(DEFAULT_SYNONYMS)) for (const w of words) add(layout, w);
  for (const [layout, words] of Object.entries(parsed.data)) for (const w of words) add(layout, w);
  return table;
}

const OWN = new Set(BRANCH_OWN_WORDS.map(normalizeLedgerHeader));

/** Whether a header reads like a column header of a ledger (a synonym or a word ledgers use): a title does not. */
export function isHeaderWord(text: string, synonyms: SynonymTable): boolean {
  const n = normalizeLedgerHeader(text);
  return synonyms.has(n) || OWN.has(n);
}
