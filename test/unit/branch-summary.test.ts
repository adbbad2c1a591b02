import { describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import { BranchSummaryTally, UNASSIGNED_MANAGER } from '../../shared/head-office/branch-summary.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { customerServiceView, type CustomerServiceView } from '../../shared/service/customer-service-view.js';
import type { Obligation } from '../../shared/service/obligations.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { customer, fen, run } from '../support/facts-builder.js';

/**
 * A branch's nightly summary for head office, under boc (monthly; licai ≥ 200,000 mda,
 * wealth ≥ 1,000,000; a tier is lost at the 6th consecutive month below, to the best level
 * of that window; watch from the 3rd) and the d2 standards, on 2026-11-10.
 */

const scheme = bundledScheme('boc')!;
const standards = bundledStandards('d2')!;
const engine = createTierEngine(scheme);
const today = parseCivilDay('2026-11-10')!;

function person(facts: CustomerFacts, managerId: string | null): CustomerFacts {
  return { ...facts, branchId: 'B01', profile: { archive: {}, servicePlan: {}, ...(managerId ? { managerId } : {}) } };
}

// A (M1): 150,000 in September, 250,000 in October → licai from November: a promotion this period.
const a = person(customer([...run('2026-09', '2026-09', { mda: '150000' }), ...run('2026-10', '2026-10', { mda: '250000' }), { month: '2026-11', monthEnd: '260000' }], { id: 'A' }), 'M1');
// B (M1): 50,000 in October → base at its first assessment: no change.
const b = person(customer([...run('2026-10', '2026-10', { mda: '50000' }), { month: '2026-11', monthEnd: '40000.50' }], { id: 'B' }), 'M1');
// C (M2): wealth from April (1,200,000 in March and April), then six months at 300,000 (May–October):
// the 6th month below (October) loses wealth, down to the window's best level, licai: a loss this period.
const c = person(customer([...run('2026-03', '2026-04', { mda: '1200000' }), ...run('2026-05', '2026-10', { mda: '300000' }), { month: '2026-11', monthEnd: '310000' }], { id: 'C' }), 'M2');
// D (no manager): licai from April (250,000 March–July), then 100,000 in August–October:
// three months below → on watch, still licai.
const d = person(customer([...run('2026-03', '2026-07', { mda: '250000' }), ...run('2026-08', '2026-10', { mda: '100000' }), { month: '2026-11', monthEnd: '90000' }], { id: 'D' }), null);

function view(facts: CustomerFacts, day: CivilDay = today): CustomerServiceView {
  return customerServiceView(engine, standards, facts, [], day, null);
}

function summary(customers: CustomerFacts[], views?: Map<string, CustomerServiceView>) {
  const tally = new BranchSummaryTally(scheme, standards, 'B01', today, '2026-11-10');
  for (const f of customers) tally.add(f, views?.get(f.customerId) ?? view(f));
  return tally.result();
}

describe('a branch summary', () => {
  const s = summary([a, b, c, d]);

  it('counts customers by tier, every tier listed', () => {
    expect(s.customers).toBe(4);
    // A licai, B base, C licai (after the loss), D licai (on watch)
    expect(s.byTier).toEqual({ base: 1, licai: 3, wealth: 0, private: 0 });
  });

  it('counts the promotions and losses that took effect this period, and the watch', () => {
    expect(s.promotions).toBe(1); // A
    expect(s.losses).toBe(1); // C
    expect(s.watch).toBe(1); // D
  });

  it('sums AUM exactly in fen: today’s balances and last month’s daily averages', () => {
    // 260,000 + 40,000.50 + 310,000 + 90,000 = 700,000.50 yuan
    expect(s.aum).toBe(fen('700000.50'));
    // October averages: 250,000 + 50,000 + 300,000 + 100,000 = 700,000 yuan
    expect(s.aumAverage).toBe(fen('700000'));
  });

  it('splits the same figures by manager, customers without one under 未分配, sorted', () => {
    expect(s.managers.map((m) => [m.managerId, m.customers, m.promotions, m.losses, m.watch])).toEqual([
      ['(未分配)', 1, 0, 0, 1],
      ['M1', 2, 1, 0, 0],
      ['M2', 1, 0, 1, 0],
    ]);
    expect(UNASSIGNED_MANAGER).toBe('(未分配)');
    expect(s.managers.find((m) => m.managerId === 'M1')!.aum).toBe(fen('300000.50'));
    const managersTotal = s.managers.reduce((n, m) => n + m.customers, 0);
    expect(managersTotal).toBe(s.customers);
  });

  it('tallies archive coverage against the D3 targets per branch and per manager', () => {
    // assets (October average) ≥ 50,000: A, B, C, D; ≥ 200,000: A, C; none archived (empty archives)
    const rule = (figures: typeof s.coverage, name: string) => figures.find((f) => f.rule === name);
    expect(rule(s.coverage, '建档覆盖率·资产5万以上')).toMatchObject({ customers: 4, meeting: 0, percent: 0, target: 80, met: false });
    expect(rule(s.coverage, '建档覆盖率·资产20万以上')).toMatchObject({ customers: 2, meeting: 0, target: 90 });
    expect(rule(s.managers.find((m) => m.managerId === 'M1')!.coverage, '建档覆盖率·资产20万以上')).toMatchObject({ customers: 1 });
  });

  it('counts a customer added again (re-evaluated after an edit) once, with the later view', () => {
    const tally = new BranchSummaryTally(scheme, standards, 'B01', today, '2026-11-10');
    tally.add(a, view(a));
    tally.add(b, view(b));
    // A again, now overridden to wealth by a manager: one customer, counted as wealth
    const overridden = { ...a, override: { tier: 'wealth', from: a.months[0]!.month, until: a.months.at(-1)!.month + 2, reason: '行长审批' } };
    tally.add(overridden, view(overridden));
    const result = tally.result();
    expect(result.customers).toBe(2);
    expect(result.byTier).toEqual({ base: 1, licai: 0, wealth: 1, private: 0 });
  });

  it('is empty but complete for a branch with no customers', () => {
    const empty = summary([]);
    expect(empty).toMatchObject({ customers: 0, byTier: { base: 0, licai: 0, wealth: 0, private: 0 }, promotions: 0, losses: 0, aum: 0, managers: [], coverage: [] });
  });
});

describe('contact compliance (obligations made up by hand: a fake of the contact-due part)', () => {
  const obligation = (status: Obligation['status']): Obligation => ({ kind: 'monthly-contact', seq: 1, occasion: null, label: '月度联络', due: today, doneOn: null, status });
  function withObligations(facts: CustomerFacts, statuses: Obligation['status'][] | null): CustomerServiceView {
    const real = view(facts);
    const band = statuses === null ? null : (standards.bands[0] ?? null);
    return { ...real, due: { ...real.due, band, obligations: (statuses ?? []).map(obligation) } };
  }

  it('counts banded customers, compliant ones (nothing overdue), and obligations done, late and overdue', () => {
    const views = new Map([
      ['A', withObligations(a, ['done', 'done-late', 'today'])], // compliant; 2 counted (today is not yet overdue)
      ['B', withObligations(b, null)], // no band: not counted at all
      ['C', withObligations(c, ['overdue', 'this-week', 'normal'])], // not compliant; 1 counted
      ['D', withObligations(d, ['done', 'done'])], // compliant; 2 counted
    ]);
    const s = summary([a, b, c, d], views);
    expect(s.contacts).toEqual({ banded: 3, compliant: 2, dueSoFar: 5, doneOnTime: 3, doneLate: 1, overdue: 1 });
    expect(s.managers.find((m) => m.managerId === 'M2')!.contacts).toEqual({ banded: 1, compliant: 0, dueSoFar: 1, doneOnTime: 0, doneLate: 0, overdue: 1 });
  });
});
