import type { CustomerFacts, MonthFacts, TierOverride } from '../../shared/customer-facts.js';
import { parseYuan, type Fen } from '../../shared/money.js';
import { daysInMonth, parseMonth, type MonthIndex } from '../../shared/month.js';

/**
 * An object mother for CustomerFacts: tests write months as readable rows with amounts in
 * yuan ('200,000' or '5799999.99'); the builder turns them into the domain shape (integer
 * fen, MonthIndex, months sorted). A row may give its asset day-sum directly (`daySum`) or
 * as a monthly daily average (`mda`), which the builder multiplies by the month's calendar
 * days, so that `mda: '200000'` in a 29-day February is a day-sum of exactly 5,800,000 yuan.
 */

/** Yuan text → fen, failing loudly on anything parseYuan rejects (a typo in a test is a defect). */
export function fen(yuan: string): Fen {
  const parsed = parseYuan(yuan);
  if (!parsed.ok) throw new Error(`test fixture: "${yuan}" is not an amount in yuan (${parsed.problem})`);
  return parsed.fen;
}

/** `YYYY-MM` → MonthIndex, failing loudly on a malformed month. */
export function month(text: string): MonthIndex {
  const index = parseMonth(text);
  if (index === null) throw new Error(`test fixture: "${text}" is not a YYYY-MM month`);
  return index;
}

export interface Figures {
  /** monthly daily average in yuan; the day-sum becomes mda × days(month) */
  mda?: string;
  /** the asset day-sum in yuan·days, given exactly */
  daySum?: string;
  monthEnd?: string;
  loan?: string;
  card?: string;
  txn?: number;
  products?: readonly string[];
}

export interface Row extends Figures {
  month: string;
}

export function monthFacts(row: Row): MonthFacts {
  if (row.mda !== undefined && row.daySum !== undefined) throw new Error(`test fixture ${row.month}: give mda or daySum, not both`);
  const index = month(row.month);
  const assetDaySum = row.daySum !== undefined ? fen(row.daySum) : row.mda !== undefined ? fen(row.mda) * daysInMonth(index) : 0;
  return {
    month: index,
    assetDaySum,
    monthEndAssets: fen(row.monthEnd ?? '0'),
    loanBalance: fen(row.loan ?? '0'),
    cardSpend: fen(row.card ?? '0'),
    txnCount: row.txn ?? 0,
    products: row.products ?? ['DEP'],
  };
}

/** The same figures for every month from … to (inclusive): `run('2025-02', '2025-07', { mda: '100000' })`. */
export function run(from: string, to: string, figures: Figures): Row[] {
  const rows: Row[] = [];
  for (let m = month(from); m <= month(to); m++) {
    const year = Math.floor(m / 12);
    const mon = m - year * 12 + 1;
    rows.push({ ...figures, month: `${year}-${mon < 10 ? '0' : ''}${mon}` });
  }
  return rows;
}

export interface OverrideRow {
  tier: string;
  from: string;
  until: string;
  reason: string;
  by?: string;
}

export function override(row: OverrideRow): TierOverride {
  return { tier: row.tier, from: month(row.from), until: month(row.until), reason: row.reason, ...(row.by === undefined ? {} : { by: row.by }) };
}

/** A customer from rows in any order (one per month); sorted here as the domain type requires. */
export function customer(rows: readonly Row[], options: { id?: string; override?: OverrideRow } = {}): CustomerFacts {
  const months = rows.map(monthFacts).sort((a, b) => a.month - b.month);
  months.forEach((m, i) => {
    if (i > 0 && months[i - 1]!.month === m.month) throw new Error(`test fixture: month ${m.month} given twice`);
  });
  return {
    customerId: options.id ?? 'C-1',
    months,
    ...(options.override === undefined ? {} : { override: override(options.override) }),
  };
}
