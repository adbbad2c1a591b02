import { customerIdProblem } from '../customer-id.js';

/**
 * Which rows of an adopted ledger's table are the branch's customers, and why each other row is
 * not: a blank row, a row without a customer number, a customer of another branch, a number the
 * bank does not know, a 客户编号 that Excel stored as a number (rounded to 15 digits or without
 * its leading zeros), a customer already on an earlier row. Said in the manager's words (zh) and
 * for the log (en). Pure: who owns which number is looked up before and passed in.
 */

export type UnmatchedReason = 'blank' | 'no-key' | 'excel-number' | 'other-branch' | 'unknown' | 'duplicate' | 'invalid';

export interface UnmatchedRow {
  row: number;
  value: string;
  reason: UnmatchedReason;
  zh: string;
  en: string;
}

export interface LedgerRows {
  /** customer number → the row it is on (the first one) */
  matched: Map<string, number>;
  unmatched: UnmatchedRow[];
}

/** what the store says of a number: the branch that owns it, or null for a number the bank does not know */
export type OwnerLookup = ReadonlyMap<string, string | null>;

/** 6.21700123456789E+18 as Excel shows a long number it turned into a floating-point one */
const SCIENTIFIC = /^[+-]?\d(\.\d+)?e\+?\d+$/i;
/**
 * A number Excel stored keeps 15 significant digits, so one of 16 or more (without a leading zero:
 * a number has none) has its last digits rounded, whether or not a double could hold it exactly
 * (6217001234567891 becomes 6217001234567890, below 2 ** 53).
 */
const ROUNDED_DIGITS = /^[1-9]\d{15,}$/;

export function classifyLedgerRows(rows: readonly { row: number; cells: readonly string[] }[], keyColumn: number, branchId: string, owners: OwnerLookup, branchCustomers: ReadonlySet<string>): LedgerRows {
  const matched = new Map<string, number>();
  const unmatched: UnmatchedRow[] = [];
  const byDigits = digitsIndex(branchCustomers);
  for (const { row, cells } of rows) {
    const value = (cells[keyColumn - 1] ?? '').trim();
    const add = (reason: UnmatchedReason, zh: string, en: string) => unmatched.push({ row, value, reason, zh, en });
    if (value === '') {
      if (cells.every((c) => c.trim() === '')) add('blank', `第 ${row} 行：空行`, `row ${row}: blank`);
      else add('no-key', `第 ${row} 行：客户编号为空，无法确定是哪位客户`, `row ${row}: no customer number`);
      continue;
    }
    const prior = matched.get(value);
    if (prior !== undefined) {
      add('duplicate', `第 ${row} 行：客户 ${value} 已在第 ${prior} 行，本行不更新`, `row ${row}: customer ${value} is already on row ${prior}; this row is not written`);
      continue;
    }
    const owner = owners.get(value);
    if (owner === branchId) {
      matched.set(value, row);
      continue;
    }
    if (owner !== undefined && owner !== null) {
      add('other-branch', `第 ${row} 行：客户 ${value} 属于其他支行（${owner}），本支行不能更新`, `row ${row}: customer ${value} belongs to branch ${owner}`);
      continue;
    }
    const excel = excelNumberProblem(value, byDigits);
    if (excel !== null) {
      add('excel-number', `第 ${row} 行：${excel.zh}`, `row ${row}: ${excel.en}`);
      continue;
    }
    const problem = customerIdProblem(value);
    if (problem !== null) {
      add('invalid', `第 ${row} 行：“${value.slice(0, 40)}”不是客户编号`, `row ${row}: "${value.slice(0, 40)}" ${problem}`);
      continue;
    }
    add('unknown', `第 ${row} 行：系统中没有客户 ${value}`, `row ${row}: customer ${value} is not known to the bank`);
  }
  return { matched, unmatched };
}

/** digits-only customer numbers of the branch, by their value without leading zeros (to recognise one Excel stripped) */
function digitsIndex(ids: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const id of ids) {
    if (!/^\d+$/.test(id)) continue;
    const bare = id.replace(/^0+(?=\d)/, '');
    out.set(bare, [...(out.get(bare) ?? []), id]);
  }
  return out;
}

/**
 * A number the bank does not know that reads as one Excel made: in scientific form, an integer too
 * long to be exact (Excel keeps 15 significant digits), or the number of one of the branch's
 * customers without its leading zeros. Null when the value does not look like that.
 */
export function excelNumberProblem(value: string, byDigits: ReadonlyMap<string, readonly string[]>): { zh: string; en: string } | null {
  const fix = '请把该列设为“文本”格式后重新录入客户编号';
  if (SCIENTIFIC.test(value)) return { zh: `客户编号“${value}”被表格软件（如 Excel）当成数字保存，以科学计数法显示，末几位已被舍入，无法确定是哪位客户；${fix}`, en: `customer number "${value}" was stored by Excel as a number and rounded (scientific notation); it cannot name a customer` };
  if (ROUNDED_DIGITS.test(value)) return { zh: `客户编号“${value}”超过 15 位，被表格软件（如 Excel）当成数字保存后末几位已被舍入，无法确定是哪位客户；${fix}`, en: `customer number "${value}" has more digits than a spreadsheet number keeps exactly: Excel rounded it` };
  if (/^\d+$/.test(value)) {
    const candidates = (byDigits.get(value.replace(/^0+(?=\d)/, '')) ?? []).filter((id) => id !== value);
    if (candidates.length > 0) return { zh: `客户编号“${value}”丢失了前导零（被表格软件当成数字保存），可能是 ${candidates.join('、')}；系统不猜，${fix}`, en: `customer number "${value}" lost its leading zeros (stored as a number); it may be ${candidates.join(', ')}` };
  }
  return null;
}
