/**
 * The core-banking extracts `ladder ingest` reads for one business date, one CSV file each,
 * found in the folder by name. Columns are found by header (English, or the Chinese a bank's
 * extract often uses), never by position; other columns are ignored.
 *
 * The daily files are expected every business date, and one that is absent is reported. The
 * branch register (branches.csv, staff.csv) is sent when it changes: its absence means the
 * register stored is unchanged, so it is not reported as missing. A register file's headers
 * (机构名称, 岗位 …) are its own: in the customer master 机构名称 would be the branch's name next
 * to the customer's 姓名, and must never be taken for it.
 */
export interface IngestFileSpec {
  file: string;
  required: readonly string[];
  /** sent every business date (its absence is reported) or only when it changes (the register) */
  daily: boolean;
  /** Chinese headers of this file only, over COLUMN_ALIASES */
  aliases?: Readonly<Record<string, string>>;
}

export const INGEST_FILES = {
  customers: { file: 'customers.csv', required: ['customer_id', 'branch_id'], daily: true },
  fx: { file: 'fx.csv', required: ['currency', 'rate'], daily: true },
  balances: { file: 'balances.csv', required: ['customer_id', 'account_id', 'product', 'currency', 'balance'], daily: true },
  cards: { file: 'card_txns.csv', required: ['customer_id', 'txn_id', 'amount', 'currency'], daily: true },
  loans: { file: 'loans.csv', required: ['customer_id', 'loan_id', 'balance', 'currency', 'class'], daily: true },
  holdings: { file: 'holdings.csv', required: ['customer_id', 'product'], daily: true },
  branches: {
    file: 'branches.csv',
    required: ['branch_id', 'name'],
    daily: false,
    aliases: { 机构编号: 'branch_id', 机构名称: 'name', 机构名: 'name', 上级机构号: 'parent_id', 上级机构编号: 'parent_id', 上级机构: 'parent_id' },
  },
  staff: {
    file: 'staff.csv',
    required: ['staff_id', 'branch_id', 'name', 'role'],
    daily: false,
    aliases: { 员工号: 'staff_id', 员工编号: 'staff_id', 人员编号: 'staff_id', 工号: 'staff_id', 机构编号: 'branch_id', 员工姓名: 'name', 岗位: 'role', 岗位名称: 'role', 角色: 'role' },
  },
} as const satisfies Record<string, IngestFileSpec>;

export type IngestFileKind = keyof typeof INGEST_FILES;

/** The kinds of the branch register, read before the day's figures. */
export const REGISTER_KINDS = ['branches', 'staff'] as const satisfies readonly IngestFileKind[];

export function fileSpec(kind: IngestFileKind): IngestFileSpec {
  return INGEST_FILES[kind];
}

/** Chinese headers accepted for each column (客户号 → customer_id …). */
export const COLUMN_ALIASES: Readonly<Record<string, string>> = {
  客户号: 'customer_id',
  客户编号: 'customer_id',
  机构号: 'branch_id',
  网点号: 'branch_id',
  姓名: 'name',
  客户姓名: 'name',
  出生日期: 'birthday',
  手机号码: 'mobile',
  家庭电话: 'home_phone',
  家庭住址: 'home_address',
  工作单位: 'employer',
  风险等级: 'risk_profile',
  产品偏好: 'product_preference',
  客户经理: 'manager_id',
  客户经理岗位: 'manager_role',
  币种: 'currency',
  汇率: 'rate',
  账号: 'account_id',
  产品: 'product',
  产品类型: 'product',
  余额: 'balance',
  交易号: 'txn_id',
  交易金额: 'amount',
  商户类别: 'category',
  零扣率: 'zero_discount',
  借据号: 'loan_id',
  五级分类: 'class',
  到期日: 'maturity_date',
  金额: 'amount',
};

/** A header → its canonical column: the file's own Chinese word first, then the common ones, else the header in lower case. */
export function canonicalColumn(header: string, fileAliases: Readonly<Record<string, string>> = {}): string {
  const trimmed = header.trim().replace(/^\uFEFF/, '');
  return fileAliases[trimmed] ?? COLUMN_ALIASES[trimmed] ?? trimmed.toLowerCase();
}

/** A row as read: canonical column → cell text, with where it came from. */
export interface RawRow {
  file: string;
  line: number;
  cells: Readonly<Record<string, string>>;
  raw: string;
}

/** A row that could not be used: where (file, line, column), whose, why; the raw text is kept. */
export interface RowRejection {
  file: string;
  line: number;
  column: string | null;
  customerId: string | null;
  /** the branch a register row (branches.csv, staff.csv) is about; absent on the other files' rows */
  branchId?: string | null;
  reason: string;
  raw: string;
}

export function reject(row: RawRow, column: string | null, reason: string): RowRejection {
  const id = row.cells['customer_id'];
  return { file: row.file, line: row.line, column, customerId: id ? id : null, reason, raw: row.raw };
}
