import { describe, expect, it } from 'vitest';
import { parseFactsLine } from '../../shared/facts.schema.js';
import { parseMonth } from '../../shared/month.js';

const month = (overrides: Record<string, unknown> = {}) => ({
  month: '2025-03',
  assetDaySum: '6200000.00',
  monthEndAssets: 200000,
  loanBalance: 0,
  cardSpend: '1234.50',
  txnCount: 7,
  products: ['DEP', 'WMP', 'DEP'],
  ...overrides,
});

function errors(line: unknown): string[] {
  const parsed = parseFactsLine(line);
  if (parsed.ok) throw new Error('expected the line to be refused');
  return parsed.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('facts lines', () => {
  it('reads yuan into fen, sorts months and de-duplicates product codes', () => {
    const parsed = parseFactsLine({ customerId: 'C1', branchId: 'B1', months: [month({ month: '2025-04' }), month()] });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const facts = parsed.line.facts;
    expect(facts.months.map((m) => m.month)).toEqual([parseMonth('2025-03'), parseMonth('2025-04')]);
    expect(facts.months[0]).toMatchObject({ assetDaySum: 620_000_000, monthEndAssets: 20_000_000, cardSpend: 123_450, txnCount: 7, products: ['DEP', 'WMP'] });
    expect(facts.branchId).toBe('B1');
  });

  it('counts an absent figure as zero, as a day with no record does', () => {
    const parsed = parseFactsLine({ customerId: 'C1', months: [{ month: '2025-03', assetDaySum: 100 }] });
    expect(parsed.ok && parsed.line.facts.months[0]).toEqual({ month: parseMonth('2025-03'), assetDaySum: 10_000, monthEndAssets: 0, loanBalance: 0, cardSpend: 0, txnCount: 0, products: [] });
  });

  it('takes balanceToday from the line, else from the last month', () => {
    const top = parseFactsLine({ customerId: 'C1', balanceToday: '10.00', months: [month({ balanceToday: 5 })] });
    const inMonth = parseFactsLine({ customerId: 'C1', months: [month({ month: '2025-02', balanceToday: 1 }), month({ balanceToday: 5 })] });
    const none = parseFactsLine({ customerId: 'C1', months: [month()] });
    expect(top.ok && top.line.balanceToday).toBe(1000);
    expect(inMonth.ok && inMonth.line.balanceToday).toBe(500);
    expect(none.ok && none.line.balanceToday).toBeNull();
  });

  it.each<[string, unknown, string]>([
    ['a negative balance', { customerId: 'C1', months: [month({ monthEndAssets: -1 })] }, 'months[0].monthEndAssets: must not be negative'],
    ['three decimals', { customerId: 'C1', months: [month({ assetDaySum: '1.005' })] }, 'months[0].assetDaySum: must have at most 2 decimals (yuan.fen)'],
    ['words for an amount', { customerId: 'C1', months: [month({ cardSpend: 'ten' })] }, 'months[0].cardSpend: must be an amount in yuan, e.g. 1234.56'],
    ['a bad month', { customerId: 'C1', months: [month({ month: '2025-3' })] }, 'months[0].month: must be a month as YYYY-MM between 1900-01 and 2100-12, got "2025-3"'],
    ['a duplicate month', { customerId: 'C1', months: [month(), month()] }, 'months[1].month: duplicate month 2025-03 (also months[0])'],
    ['a fractional count', { customerId: 'C1', months: [month({ txnCount: 1.5 })] }, 'months[0].txnCount: must be a whole number of transactions'],
    ['a numeric customer id', { customerId: 6217001, months: [] }, 'customerId: must be the customer number as text'],
    ['no months', { customerId: 'C1' }, 'months: must be a list of monthly facts'],
    ['an override without reason', { customerId: 'C1', months: [], override: { tier: 'wealth', from: '2025-01', until: '2025-03' } }, 'override.reason: an override needs a reason'],
    ['an override with a blank reason', { customerId: 'C1', months: [], override: { tier: 'wealth', from: '2025-01', until: '2025-03', reason: '  ' } }, 'override.reason: an override needs a reason'],
    ['an override ending before it starts', { customerId: 'C1', months: [], override: { tier: 'wealth', from: '2025-05', until: '2025-03', reason: 'x' } }, 'override.until: must not be before override.from'],
    ['an array', [1, 2], ': must be a JSON object with customerId and months'],
    ['a misspelt figure (it must not silently count as zero)', { customerId: 'C1', months: [{ month: '2025-03', assetdaysum: '99999999.00' }] }, 'months[0].assetdaysum: unknown field'],
    ['a misspelt override', { customerId: 'C1', months: [], overide: { tier: 'wealth' } }, 'overide: unknown field'],
  ])('refuses %s, saying where', (_what, line, expected) => {
    expect(errors(line)).toContain(expected);
  });

  it('names the customer of a refused line when it can', () => {
    const parsed = parseFactsLine({ customerId: 'C9', months: [month({ loanBalance: 'x' })] });
    expect(parsed.ok === false && parsed.customerId).toBe('C9');
  });
});
