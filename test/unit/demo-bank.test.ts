import { describe, expect, it } from 'vitest';
import { generateDemoBank, type DemoBank } from '../../functions/demo/demo-bank.js';
import { assessLineProcessor } from '../../functions/cli/fact-commands.js';
import type { AssessLine } from '../../shared/assessment-output.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseFactsLine } from '../../shared/facts.schema.js';

const scheme = bundledScheme('boc')!;
const TODAY = '2025-06-15';
const YUAN = /^\d+\.\d{2}$/;

function assessAll(bank: DemoBank): AssessLine[] {
  const processLine = assessLineProcessor(scheme);
  return bank.factsLines.map((line) => {
    // Through JSON, as the CLI reads the file: what the engine sees is what was written.
    const outcome = processLine(JSON.parse(JSON.stringify(line)));
    if (!outcome.ok) throw new Error(`${line.customerId} rejected: ${JSON.stringify(outcome.errors)}`);
    return outcome.output as AssessLine;
  });
}

describe('generateDemoBank', () => {
  const bank = generateDemoBank({ seed: 7, today: TODAY, scheme });

  it('is the same bank for the same seed and today, and another bank for another seed', () => {
    const small = { today: TODAY, scheme, branchCount: 2, customersPerBranch: 40 };
    const once = generateDemoBank({ seed: 42, ...small });
    expect(JSON.stringify(generateDemoBank({ seed: 42, ...small }))).toBe(JSON.stringify(once));
    expect(JSON.stringify(generateDemoBank({ seed: 43, ...small }).factsLines)).not.toBe(JSON.stringify(once.factsLines));
  });

  it('has 6 branches of about 300 customers, each with a manager of the branch', () => {
    expect(bank.branches).toHaveLength(6);
    for (const branch of bank.branches) {
      const count = bank.customers.filter((c) => c.branchId === branch.branchId).length;
      expect(count).toBeGreaterThanOrEqual(270);
      expect(count).toBeLessThanOrEqual(330);
      expect(branch.managers.length).toBeGreaterThanOrEqual(3);
    }
    const managers = new Map(bank.branches.flatMap((b) => b.managers.map((m) => [m.managerId, b.branchId] as const)));
    for (const c of bank.customers) expect(managers.get(c.managerId)).toBe(c.branchId);
    expect(bank.factsLines.map((l) => l.customerId)).toEqual(bank.customers.map((c) => c.customerId));
  });

  it('writes lines that parseFactsLine accepts, amounts as yuan with two decimals, history ending the month before today', () => {
    expect(bank.firstMonth).toBe('2023-12');
    expect(bank.lastMonth).toBe('2025-05');
    for (const line of bank.factsLines) {
      const parsed = parseFactsLine(JSON.parse(JSON.stringify(line)));
      expect(parsed.ok, line.customerId).toBe(true);
      expect(line.months.at(-1)?.month).toBe('2025-05');
      for (const m of line.months) {
        for (const amount of [m.assetDaySum, m.monthEndAssets, m.loanBalance, m.cardSpend]) expect(amount).toMatch(YUAN);
        expect(m.month >= '2023-12').toBe(true);
      }
    }
  });

  it('crosses a year boundary: today in January ends the history in December', () => {
    const january = generateDemoBank({ seed: 1, today: '2026-01-01', scheme, branchCount: 1, customersPerBranch: 10 });
    expect([january.firstMonth, january.lastMonth]).toEqual(['2024-07', '2025-12']);
  });

  it('rejects a today that is not a date', () => {
    expect(() => generateDemoBank({ seed: 1, today: '2025-02-30', scheme })).toThrow(/YYYY-MM-DD/);
  });

  it('assessed under BOC, has customers in every tier, promotions, downgrades and some on watch', () => {
    const lines = assessAll(bank);
    const tiers = new Set(lines.map((l) => l.tier));
    expect([...tiers].sort()).toEqual(scheme.tiers.map((t) => t.code).sort());
    for (const code of ['licai', 'wealth', 'private']) {
      expect(lines.filter((l) => l.tier === code && l.watch).length, `${code} on watch`).toBeGreaterThan(0);
    }
    const last = (l: AssessLine) => l.history.at(-1)?.decision;
    expect(lines.filter((l) => last(l) === 'upgrade').length).toBeGreaterThan(0);
    expect(lines.filter((l) => last(l) === 'downgrade').length).toBeGreaterThan(0);
    // 理财 by a large loan or by card spend alone shows that the other paths are exercised too.
    const qualifiedBy = new Set(lines.filter((l) => l.qualifiedBy?.tier === 'licai').map((l) => l.qualifiedBy!.path));
    expect([...qualifiedBy].sort()).toEqual([0, 1, 2]);
  });
});
