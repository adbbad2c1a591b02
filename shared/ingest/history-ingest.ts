import { formatMonth, parseMonth, type MonthIndex } from '../month.js';
import { parseYuan, type Fen } from '../money.js';
import { reject, type RawRow, type RowRejection } from './ingest-files.js';

/**
 * The initial load of past months (history.csv): one row per customer and month with the
 * month's figures already summed by the core system, in CNY. A bank moving onto wealth-ladder
 * loads its history once this way and sends daily extracts from then on. Pure: rows in,
 * month summaries and located rejections out.
 */
export const HISTORY_FILE = 'history.csv';
export const HISTORY_COLUMNS = ['customer_id', 'month', 'asset_day_sum', 'month_end_assets'] as const;

export interface MonthSummary {
  customerId: string;
  branchId: string | null;
  month: MonthIndex;
  assetDaySum: Fen;
  monthEndAssets: Fen;
  loanBalance: Fen;
  cardSpend: Fen;
  txnCount: number;
  products: string[];
}

export function ingestHistory(rows: readonly RawRow[]): { summaries: MonthSummary[]; rejections: RowRejection[] } {
  const summaries: MonthSummary[] = [];
  const rejections: RowRejection[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const problem = summaryOf(row);
    if ('reason' in problem) {
      rejections.push(problem);
      continue;
    }
    const key = `${problem.customerId}|${problem.month}`;
    if (seen.has(key)) {
      rejections.push(reject(row, 'month', `${formatMonth(problem.month)} appears twice for ${problem.customerId}; the first row is kept`));
      continue;
    }
    seen.add(key);
    summaries.push(problem);
  }
  return { summaries, rejections };
}

function summaryOf(row: RawRow): MonthSummary | RowRejection {
  const text = (column: string) => (row.cells[column] ?? '').trim();
  const customerId = text('customer_id');
  if (customerId === '') return reject(row, 'customer_id', 'is empty');
  const month = parseMonth(text('month'));
  if (month === null) return reject(row, 'month', 'must be a month as YYYY-MM');
  const amounts: Record<string, Fen> = {};
  for (const column of ['asset_day_sum', 'month_end_assets', 'loan_balance', 'card_spend']) {
    const value = text(column);
    if (value === '' && column !== 'asset_day_sum' && column !== 'month_end_assets') {
      amounts[column] = 0;
      continue;
    }
    const parsed = parseYuan(value);
    if (!parsed.ok) return reject(row, column, parsed.problem === 'too-many-decimals' ? 'must have at most 2 decimals' : 'must be an amount in yuan, e.g. 1234.56');
    if (parsed.fen < 0) return reject(row, column, 'must not be negative');
    amounts[column] = parsed.fen;
  }
  const txnText = text('txn_count');
  const txnCount = txnText === '' ? 0 : Number(txnText);
  if (!Number.isInteger(txnCount) || txnCount < 0) return reject(row, 'txn_count', 'must be a whole number of transactions');
  const products = [...new Set(text('products').split(/[;\s|]+/).filter(Boolean).map((p) => p.toUpperCase()))].sort();
  return {
    customerId,
    branchId: text('branch_id') || null,
    month,
    assetDaySum: amounts['asset_day_sum'] as Fen,
    monthEndAssets: amounts['month_end_assets'] as Fen,
    loanBalance: amounts['loan_balance'] as Fen,
    cardSpend: amounts['card_spend'] as Fen,
    txnCount,
    products,
  };
}
