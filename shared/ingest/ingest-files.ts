/**
 * The core-banking extracts `ladder ingest` reads for one business date, one CSV file each,
 * found in the folder by name. Columns are found by header (English, or the Chinese a bank's
 * extract often uses), never by position; other columns are ignored.
 */
export const INGEST_FILES = {
  customers: { file: 'customers.csv', required: ['customer_id', 'branch_id'] },
  fx: { file: 'fx.csv', required: ['currency', 'rate'] },
  balances: { file: 'balances.csv', required: ['customer_id', 'account_id', 'product', 'currency', 'balance'] },
  cards: { file: 'card_txns.csv', required: ['customer_id', 'txn_id', 'amount', 'currency'] },
  loans: { file: 'loans.csv', required: ['customer_id', 'loan_id', 'balance', 'currency', 'class'] },
  holdings: { file: 'holdings.csv', required: ['customer_id', 'product'] },
} as const;

export type IngestFileKind = keyof typeof INGEST_FILES;

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

export function canonicalColumn(header: string): string {
  const trimmed = header.trim().replace(/^\uFEFF/, '');
  return COLUMN_ALIASES[trimmed] ?? trimmed.toLowerCase();
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
  reason: string;
  raw: string;
}

export function reject(row: RawRow, column: string | null, reason: string): RowRejection {
  const id = row.cells['customer_id'];
  return { file: row.file, line: row.line, column, customerId: id ? id : null, reason, raw: row.raw };
}
