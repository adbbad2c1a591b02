import { describe, expect, it } from 'vitest';
import { compliancePercent, summarizeService, type ContactsLine } from '../../functions/demo/service-summary.js';

/** The demo's service section, on small hand-made inputs whose counts are worked out here. */

const contacts: ContactsLine[] = [
  // C1: 2 done on time, 1 done late; open: 1 overdue, 1 due today
  { customerId: 'C1', band: 'mid', done: [{ status: 'done', kind: 'monthly-contact' }, { status: 'done', kind: 'product-message' }, { status: 'done-late', kind: 'product-message' }], open: [{ status: 'overdue', kind: 'product-message' }, { status: 'today', kind: 'monthly-contact' }] },
  // C2: nothing done; open: 2 overdue, 1 this week, 1 normal
  { customerId: 'C2', band: 'high', done: [], open: [{ status: 'overdue', kind: 'monthly-contact' }, { status: 'overdue', kind: 'salon' }, { status: 'this-week', kind: 'birthday-greeting' }, { status: 'normal', kind: 'gift' }] },
  // C3: below every band: not served, its lines ignored
  { customerId: 'C3', band: null, done: [{ status: 'done', kind: 'monthly-contact' }], open: [{ status: 'overdue', kind: 'x' }] },
];

describe('the demo service summary', () => {
  const summary = summarizeService(
    contacts,
    [
      { kind: 'maturity', kindZh: '产品到期', status: 'normal' },
      { kind: 'birthday', kindZh: '生日祝福', status: 'overdue' },
      { kind: 'maturity', kindZh: '产品到期', status: 'this-week' },
    ],
    [
      { rank: 2, customerId: 'P2', branchId: 'B01', nextTier: 'wealth', score: 70, reasons: [], topUpToday: null, topUpForNextPeriod: null },
      { rank: 1, customerId: 'P1', branchId: 'B01', nextTier: 'licai', score: 80, reasons: [], topUpToday: '100.00', topUpForNextPeriod: '50.00' },
    ],
    4,
    [],
    1,
  );

  it('counts only served customers: 2 of 3', () => {
    expect(summary.served).toBe(2);
  });

  it('splits what fell due so far into on time 2, late 1, overdue 3; compliance floor(2 × 100 / 6) = 33%', () => {
    expect(summary.dueSoFar).toEqual({ onTime: 2, late: 1, overdue: 3 });
    expect(compliancePercent(summary)).toBe(33);
  });

  it('counts open items due today (1) and later this week (1)', () => {
    expect(summary.dueToday).toBe(1);
    expect(summary.dueThisWeek).toBe(1);
  });

  it('counts tasks by kind, most first, and the overdue ones', () => {
    expect(summary.tasks).toEqual({ total: 3, overdue: 1, byKind: [{ kindZh: '产品到期', count: 2 }, { kindZh: '生日祝福', count: 1 }] });
  });

  it('keeps the top N promotions by rank', () => {
    expect(summary.topPromotions.map((p) => p.customerId)).toEqual(['P1']);
    expect(summary.ownerMismatches).toBe(4);
  });

  it('has no compliance figure when nothing fell due', () => {
    expect(compliancePercent(summarizeService([], [], [], 0, []))).toBeNull();
  });
});
