import { ARCHIVE_FIELD_ZH } from '../customer-profile.js';

/**
 * The documented layout of a branch spreadsheet (docs/branch-sheet.md). Columns are
 * identified by their Chinese header, never by position: a manager may reorder them, sort
 * the rows and insert columns of their own, and the system must keep working.
 */

export const CUSTOMER_TAB = '客户名单';
export const PROMOTION_TAB = '升级名单';
export const WATCH_TAB = '降级预警';
export const TASKS_TAB = '待办';
export const KPI_TAB = '考核';

/** The row identity: a row belongs to the customer whose number is in this column. */
export const KEY_HEADER = '客户号';

/** Columns the branch fills in; the system reads them back and never writes them on an existing row. */
export const EDITABLE_HEADERS = [
  ARCHIVE_FIELD_ZH.homeAddress,
  ARCHIVE_FIELD_ZH.employer,
  ARCHIVE_FIELD_ZH.mobile,
  ARCHIVE_FIELD_ZH.homePhone,
  ARCHIVE_FIELD_ZH.riskProfile,
  ARCHIVE_FIELD_ZH.productPreference,
  '最近联系日期',
  '最近联系方式',
  '联系备注',
  '指定等级',
  '指定原因',
  '指定截止月',
] as const;
export type EditableHeader = (typeof EDITABLE_HEADERS)[number];

/**
 * Columns whose values are text that looks like a number (a 家庭电话 021…, a 客户号 000123, a
 * house number): on a 客户名单 the system lays out, they get the plain-text number format (`@`)
 * from the first data row down, so that a value typed there keeps its leading 0 instead of
 * becoming a number. An adopted ledger's own columns keep the branch's formats.
 */
export const TEXT_HEADERS: readonly string[] = [KEY_HEADER, ARCHIVE_FIELD_ZH.mobile, ARCHIVE_FIELD_ZH.homePhone, ARCHIVE_FIELD_ZH.homeAddress, ARCHIVE_FIELD_ZH.employer];

/** Columns the system owns: written by each run, protected in the sheet. */
export const COMPUTED_HEADERS = [
  '当前等级',
  '月日均资产',
  '下一等级',
  '距下一等级差额',
  '本月需补足',
  '降级预警',
  '下次联系截止',
  '联系状态',
  '建档完整度',
  '产品数',
  '更新时间',
] as const;
export type ComputedHeader = (typeof COMPUTED_HEADERS)[number];

/** The column holding the contact status, coloured by the writers. */
export const CONTACT_STATUS_HEADER: ComputedHeader = '联系状态';

export type ColumnRole = 'key' | 'editable' | 'computed';

/** The order of a freshly created 客户名单; after that, order is the branch's business. */
export const CUSTOMER_HEADERS: readonly string[] = [KEY_HEADER, ...EDITABLE_HEADERS, ...COMPUTED_HEADERS];

const ROLE_OF = new Map<string, ColumnRole>([
  [KEY_HEADER, 'key'],
  ...EDITABLE_HEADERS.map((h): [string, ColumnRole] => [h, 'editable']),
  ...COMPUTED_HEADERS.map((h): [string, ColumnRole] => [h, 'computed']),
]);

/** The role of a header in the layout, or null for a column of the branch's own. */
export function columnRole(header: string): ColumnRole | null {
  return ROLE_OF.get(normalizeHeader(header)) ?? null;
}

/** Headers are compared after trimming: a stray space typed by a manager must not hide a column. */
export function normalizeHeader(header: string): string {
  return header.trim();
}

/** The other tabs are lists the system owns entirely: rewritten each run. */
export const PROMOTION_HEADERS = ['排名', KEY_HEADER, '客户经理', '当前等级', '目标等级', '差距比例', '本月需补足', '下期起需补足', '评分', '理由'] as const;
export const WATCH_HEADERS = ['排名', KEY_HEADER, '客户经理', '当前等级', '连续未达标期数', '剩余期数', '保级需日均余额', '今日需补足'] as const;
export const TASKS_HEADERS = ['任务号', KEY_HEADER, '负责人', '类别', '事项', '截止日期', '状态'] as const;
export const KPI_HEADERS = ['指标', '客户数', '达标数', '达标率', '目标', '是否达标'] as const;

export const LIST_TABS = [
  { name: PROMOTION_TAB, headers: PROMOTION_HEADERS },
  { name: WATCH_TAB, headers: WATCH_HEADERS },
  { name: TASKS_TAB, headers: TASKS_HEADERS },
  { name: KPI_TAB, headers: KPI_HEADERS },
] as const;
export type ListTabName = (typeof LIST_TABS)[number]['name'];

/**
 * The branch's customers that an adopted ledger does not hold (docs/adopting-a-sheet.md): listed
 * here, rewritten each run like the other lists, instead of rows added below the branch's table.
 * Only a spreadsheet whose 客户名单 is the branch's own ledger gets this tab.
 */
export const MISSING_TAB = '未入台账';
export const MISSING_HEADERS = ['客户号', '当前等级', '月日均资产', '下一等级', '距下一等级差额', '说明'] as const;

/** Every tab name the layout may tag. */
export const LAYOUT_TAB_NAMES: readonly string[] = [CUSTOMER_TAB, ...LIST_TABS.map((t) => t.name), MISSING_TAB];
