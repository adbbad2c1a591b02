import { formatCivilDay, parseCivilDay, type CivilDay } from '../calendar/civil-date.js';
import type { Maturity } from '../customer-profile.js';
import { parseYuan, type Fen } from '../money.js';
import type { CardSpendExclusions } from '../scheme.schema.js';
import { RISK_LEVELS, ROLES, type Role } from '../service/service-vocabulary.js';
import { customerIdProblem } from '../customer-id.js';
import { countsAsCardSpend } from './card-eligibility.js';
import { parseRate, toCnyFen } from './fx-rates.js';
import { INGEST_FILES, reject, type IngestFileKind, type RawRow, type RowRejection } from './ingest-files.js';

/**
 * One business date's extracts → what that date contributes to each customer's month:
 * end-of-day assets and normal-class loans in CNY fen, eligible card spend, transactions and
 * products held. Pure: rows in, contributions and located rejections out. A bad row is
 * rejected alone; the rest of the file goes on.
 */

export interface CustomerMaster {
  customerId: string;
  branchId: string;
  name?: string;
  birthday?: string;
  mobile?: string;
  homePhone?: string;
  homeAddress?: string;
  employer?: string;
  riskProfile?: string;
  productPreference?: string;
  managerId?: string;
  managerRole?: Role;
}

export interface DayContribution {
  customerId: string;
  assets: Fen;
  loan: Fen;
  card: Fen;
  txns: number;
  products: string[];
}

export interface FileCounts {
  read: number;
  /** rows used (a customer-master row with a bad optional cell is used without that cell) */
  accepted: number;
  /** rows not used at all */
  rejected: number;
}

export interface DayIngest {
  date: CivilDay;
  masters: Map<string, CustomerMaster>;
  contributions: Map<string, DayContribution>;
  maturities: Map<string, Maturity[]>;
  rejections: RowRejection[];
  counts: Partial<Record<IngestFileKind, FileCounts>>;
}

/** Longest free-text cell of the customer master (name, address, employer, preference, manager). */
export const MAX_TEXT_CELL = 200;

const NORMAL_LOAN_CLASSES = new Set(['normal', '正常', '正常类', '1']);
const OTHER_LOAN_CLASSES = new Set(['special-mention', 'substandard', 'doubtful', 'loss', '关注', '关注类', '次级', '次级类', '可疑', '可疑类', '损失', '损失类', '2', '3', '4', '5']);
const YES = new Set(['y', 'yes', 'true', '1', '是']);
const NO = new Set(['n', 'no', 'false', '0', '否', '']);

export function ingestDay(date: CivilDay, rows: Partial<Record<IngestFileKind, readonly RawRow[]>>, exclusions: CardSpendExclusions): DayIngest {
  const result: DayIngest = { date, masters: new Map(), contributions: new Map(), maturities: new Map(), rejections: [], counts: {} };
  const dateText = formatCivilDay(date);
  const each = (kind: IngestFileKind, handle: (row: RawRow) => RowRejection | null) => {
    const list = rows[kind];
    if (!list) return;
    const counts: FileCounts = { read: 0, accepted: 0, rejected: 0 };
    for (const row of list) {
      counts.read++;
      const problem = handle(row);
      if (problem) {
        counts.rejected++;
        result.rejections.push(problem);
      } else counts.accepted++;
    }
    result.counts[kind] = counts;
  };
  const contribution = (customerId: string): DayContribution => {
    let c = result.contributions.get(customerId);
    if (!c) {
      c = { customerId, assets: 0, loan: 0, card: 0, txns: 0, products: [] };
      result.contributions.set(customerId, c);
    }
    return c;
  };
  const hold = (c: DayContribution, product: string) => {
    if (!c.products.includes(product)) c.products.push(product);
  };

  const rates = new Map<string, bigint>();
  each('fx', (row) => {
    const currency = cell(row, 'currency').toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) return reject(row, 'currency', 'must be a 3-letter currency code such as USD');
    const rate = parseRate(cell(row, 'rate'));
    if (rate === null) return reject(row, 'rate', 'must be a positive rate to CNY with at most 6 decimals');
    if (rates.has(currency)) return reject(row, 'currency', `second rate for ${currency} on ${dateText}; the first is kept`);
    rates.set(currency, rate);
    return null;
  });

  /** An amount cell in the row's currency → CNY fen, or the rejection saying why not. */
  const amountIn = (row: RawRow, column: string, allowNegative = false): Fen | RowRejection => {
    const parsed = parseYuan(cell(row, column));
    if (!parsed.ok) return reject(row, column, parsed.problem === 'too-many-decimals' ? 'must have at most 2 decimals' : 'must be an amount, e.g. 1234.56');
    if (!allowNegative && parsed.fen < 0) return reject(row, column, 'must not be negative');
    const currency = (cell(row, 'currency') || 'CNY').toUpperCase();
    const cny = toCnyFen(parsed.fen, currency, rates);
    if (cny === null) return reject(row, 'currency', `no FX rate for ${currency} on ${dateText} (fx.csv)`);
    return cny;
  };
  const customerOf = (row: RawRow): string | RowRejection => {
    const id = cell(row, 'customer_id');
    const problem = customerIdProblem(id);
    return problem === null ? id : reject(row, 'customer_id', problem);
  };

  each('customers', (row) => {
    const id = customerOf(row);
    if (typeof id !== 'string') return id;
    const branchId = cell(row, 'branch_id');
    if (branchId === '') return reject(row, 'branch_id', 'is empty: every customer belongs to exactly one branch');
    if (result.masters.has(id)) return reject(row, 'customer_id', 'appears twice in the customer master; the first row is kept');
    const master: CustomerMaster = { customerId: id, branchId };
    const optional: [keyof CustomerMaster, string][] = [
      ['name', 'name'],
      ['homeAddress', 'home_address'],
      ['employer', 'employer'],
      ['productPreference', 'product_preference'],
      ['managerId', 'manager_id'],
    ];
    // A bad optional cell is rejected alone (with its column); the customer's branch and the
    // other cells are still taken, so one typo never loses who owns the customer.
    const cellProblem = (column: string, reason: string) => result.rejections.push(reject(row, column, reason));
    for (const [field, column] of optional) {
      const text = cell(row, column);
      if (text === '') continue;
      // the sheet's own limit for these cells (shared/sheets/sheet-edit-validation.ts): a pasted paragraph is not a name
      if (text.length > MAX_TEXT_CELL) cellProblem(column, `is ${text.length} characters long, at most ${MAX_TEXT_CELL}; the cell was not used`);
      else (master as unknown as Record<string, string>)[field] = text;
    }
    const birthday = cell(row, 'birthday');
    if (birthday) {
      const day = parseCivilDay(normalDate(birthday));
      if (day === null) cellProblem('birthday', 'must be a date as YYYY-MM-DD or YYYYMMDD; the cell was not used');
      else master.birthday = formatCivilDay(day);
    }
    const mobile = cell(row, 'mobile');
    if (mobile) {
      if (!/^1[3-9]\d{9}$/.test(mobile)) cellProblem('mobile', 'must be an 11-digit mainland mobile number starting 13–19; the cell was not used');
      else master.mobile = mobile;
    }
    const homePhone = cell(row, 'home_phone');
    if (homePhone) {
      if (!/^[0-9][0-9 -]{5,18}[0-9]$/.test(homePhone)) cellProblem('home_phone', 'must be a phone number of digits, spaces and hyphens; the cell was not used');
      else master.homePhone = homePhone;
    }
    const risk = cell(row, 'risk_profile').toUpperCase();
    if (risk) {
      if (!(RISK_LEVELS as readonly string[]).includes(risk)) cellProblem('risk_profile', 'must be a risk level C1–C5; the cell was not used');
      else master.riskProfile = risk;
    }
    const role = cell(row, 'manager_role');
    if (role) {
      if (!(ROLES as readonly string[]).includes(role)) cellProblem('manager_role', `must be one of ${ROLES.join(', ')}; the cell was not used`);
      else master.managerRole = role as Role;
    }
    result.masters.set(id, master);
    return null;
  });

  const accounts = new Set<string>();
  each('balances', (row) => {
    const id = customerOf(row);
    if (typeof id !== 'string') return id;
    const account = cell(row, 'account_id');
    if (account === '') return reject(row, 'account_id', 'is empty');
    const product = cell(row, 'product').toUpperCase();
    if (product === '') return reject(row, 'product', 'is empty');
    if (accounts.has(`${id}|${account}`)) return reject(row, 'account_id', `account ${account} appears twice on ${dateText}; counting it twice would double the balance`);
    const cny = amountIn(row, 'balance');
    if (typeof cny !== 'number') return cny;
    accounts.add(`${id}|${account}`);
    const c = contribution(id);
    c.assets += cny;
    if (cny > 0) hold(c, product);
    return null;
  });

  const loans = new Set<string>();
  each('loans', (row) => {
    const id = customerOf(row);
    if (typeof id !== 'string') return id;
    const loan = cell(row, 'loan_id');
    if (loan === '') return reject(row, 'loan_id', 'is empty');
    if (loans.has(`${id}|${loan}`)) return reject(row, 'loan_id', `loan ${loan} appears twice on ${dateText}`);
    const category = cell(row, 'class').toLowerCase();
    const normal = NORMAL_LOAN_CLASSES.has(category);
    if (!normal && !OTHER_LOAN_CLASSES.has(category)) return reject(row, 'class', 'must be a five-class category: normal/正常, special-mention/关注, substandard/次级, doubtful/可疑, loss/损失');
    const cny = amountIn(row, 'balance');
    if (typeof cny !== 'number') return cny;
    loans.add(`${id}|${loan}`);
    // Only normal-class (正常类) loans count toward a tier (tier-rules.md).
    if (normal && cny > 0) {
      const c = contribution(id);
      c.loan += cny;
      hold(c, 'LOAN');
    }
    return null;
  });

  const txns = new Set<string>();
  each('cards', (row) => {
    const id = customerOf(row);
    if (typeof id !== 'string') return id;
    const txn = cell(row, 'txn_id');
    if (txn === '') return reject(row, 'txn_id', 'is empty');
    if (txns.has(txn)) return reject(row, 'txn_id', `transaction ${txn} appears twice on ${dateText}`);
    const zero = cell(row, 'zero_discount').toLowerCase();
    if (!YES.has(zero) && !NO.has(zero)) return reject(row, 'zero_discount', 'must be Y or N');
    const cny = amountIn(row, 'amount');
    if (typeof cny !== 'number') return cny;
    txns.add(txn);
    const c = contribution(id);
    c.txns += 1;
    if (countsAsCardSpend(cny, cell(row, 'category').toLowerCase(), YES.has(zero), exclusions)) c.card += cny;
    return null;
  });

  each('holdings', (row) => {
    const id = customerOf(row);
    if (typeof id !== 'string') return id;
    const product = cell(row, 'product').toUpperCase();
    if (product === '') return reject(row, 'product', 'is empty');
    let amount: Fen | null = null;
    if (cell(row, 'amount') !== '') {
      const cny = amountIn(row, 'amount');
      if (typeof cny !== 'number') return cny;
      amount = cny;
    }
    const maturityText = cell(row, 'maturity_date');
    if (maturityText !== '') {
      const maturity = parseCivilDay(normalDate(maturityText));
      if (maturity === null) return reject(row, 'maturity_date', 'must be a date as YYYY-MM-DD or YYYYMMDD');
      const list = result.maturities.get(id) ?? [];
      list.push({ product, date: maturity, amount });
      result.maturities.set(id, list);
    }
    hold(contribution(id), product);
    return null;
  });

  for (const c of result.contributions.values()) c.products.sort();
  return result;
}

function cell(row: RawRow, column: string): string {
  return (row.cells[column] ?? '').trim();
}

/** 20261128 → 2026-11-28; other spellings pass through to the strict parser. */
function normalDate(text: string): string {
  return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : text;
}

export { INGEST_FILES };
