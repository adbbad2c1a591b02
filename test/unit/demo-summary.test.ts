import { describe, expect, it } from 'vitest';
import type { AssessLine } from '../../shared/assessment-output.js';
import { NO_BRANCH, summarizeAssessments } from '../../functions/demo/demo-summary.js';

/**
 * Nine hand-made customers; every expected figure below was counted by hand from this
 * table (assessment month 2025-05 unless said otherwise):
 *
 *   id  branch  tier     last decisions              watch        primary gap
 *   A   B01     base     met                         -            mda 5,000.00 → licai
 *   G   B01     base     met                         -            card12 1,200.50 → licai (primary = path 2)
 *   B   B01     licai    base met, licai upgrade     -            mda 700,000.00 → wealth
 *   F   B01     licai    retained                    5 below, 1   mda 800,000.00 → wealth
 *   C   B02     wealth   licai met, wealth upgrade   -            mda 4,000,000.00 → private
 *   D   B02     licai    wealth…, licai downgrade    -            mda 900,000.00 → wealth
 *   E   B02     wealth   retained                    4 below, 2   mda 3,000,000.00 → private
 *   H   (none)  private  met                         -            none (top tier)
 *   S   B03     licai    upgrade at 2025-04 (stale)  -            none
 */

const TIERS = ['base', 'licai', 'wealth', 'private'];
const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05'];

type Step = [tier: string, decision: string];

function history(steps: Step[], lastMonth = '2025-05'): AssessLine['history'] {
  const end = MONTHS.indexOf(lastMonth) + 1;
  const months = MONTHS.slice(end - steps.length, end);
  return steps.map(([tier, decision], k) => ({ month: months[k] as string, tier, met: tier, decision }));
}

function gap(primary: number, ...paths: [metric: string, shortfall: string][]): AssessLine['gap'] {
  return { primary, paths: paths.map(([metric, shortfall]) => ({ conditions: [{ metric, value: '0.00', min: '0.00', shortfall }] })) };
}

const NO_GAP_PATH: [string, string] = ['loanBalance', '500000.00'];

function customer(customerId: string, branchId: string | null, tier: string, steps: Step[], extra: Partial<AssessLine> = {}): AssessLine {
  const next = TIERS[TIERS.indexOf(tier) + 1] ?? null;
  return {
    customerId,
    ...(branchId === null ? {} : { branchId }),
    scheme: 'boc',
    schemeVersion: '2024-01',
    tier,
    history: history(steps),
    belowCount: 0,
    watch: false,
    remaining: tier === 'base' ? null : 6,
    nextTier: next,
    gap: null,
    qualifiedBy: null,
    assessedAt: '2025-05',
    ...extra,
  };
}

const LINES: AssessLine[] = [
  customer('A', 'B01', 'base', [['base', 'met']], { gap: gap(0, ['mda', '5000.00'], NO_GAP_PATH, ['cardSpend12', '60000.00']) }),
  customer('G', 'B01', 'base', [['base', 'met']], { gap: gap(2, ['mda', '150000.00'], NO_GAP_PATH, ['cardSpend12', '1200.50']) }),
  customer('B', 'B01', 'licai', [['base', 'met'], ['licai', 'upgrade']], { gap: gap(0, ['mda', '700000.00']) }),
  customer('F', 'B01', 'licai', [['licai', 'retained']], { watch: true, belowCount: 5, remaining: 1, gap: gap(0, ['mda', '800000.00']) }),
  customer('C', 'B02', 'wealth', [['licai', 'met'], ['wealth', 'upgrade']], { gap: gap(0, ['mda', '4000000.00']) }),
  customer('D', 'B02', 'licai', [['wealth', 'met'], ['wealth', 'retained'], ['licai', 'downgrade']], { gap: gap(0, ['mda', '900000.00']) }),
  customer('E', 'B02', 'wealth', [['wealth', 'retained']], { watch: true, belowCount: 4, remaining: 2, gap: gap(0, ['mda', '3000000.00']) }),
  customer('H', null, 'private', [['private', 'met']], { remaining: 6 }),
  { ...customer('S', 'B03', 'licai', []), history: history([['base', 'met'], ['licai', 'upgrade']], '2025-04'), assessedAt: '2025-04' },
];

describe('summarizeAssessments', () => {
  const summary = summarizeAssessments(LINES, TIERS, 3);

  it('counts every customer once, overall and by branch', () => {
    expect(summary.customers).toBe(9);
    expect(summary.assessedAt).toBe('2025-05');
    expect(summary.overall).toEqual({ base: 2, licai: 4, wealth: 2, private: 1 });
    expect(summary.byBranch).toEqual([
      { branchId: NO_BRANCH, counts: { base: 0, licai: 0, wealth: 0, private: 1 }, total: 1 },
      { branchId: 'B01', counts: { base: 2, licai: 2, wealth: 0, private: 0 }, total: 4 },
      { branchId: 'B02', counts: { base: 0, licai: 1, wealth: 2, private: 0 }, total: 3 },
      { branchId: 'B03', counts: { base: 0, licai: 1, wealth: 0, private: 0 }, total: 1 },
    ]);
  });

  it('lists moves at the latest assessment only, highest tier first', () => {
    expect(summary.promotions).toEqual({
      count: 2,
      top: [
        { customerId: 'C', branchId: 'B02', from: 'licai', to: 'wealth' },
        { customerId: 'B', branchId: 'B01', from: 'base', to: 'licai' },
      ],
    });
    expect(summary.downgrades).toEqual({ count: 1, top: [{ customerId: 'D', branchId: 'B02', from: 'wealth', to: 'licai' }] });
  });

  it('puts the customer with the fewest chances left first on the watch list', () => {
    expect(summary.watch.count).toBe(2);
    expect(summary.watch.top.map((w) => [w.customerId, w.tier, w.belowCount, w.remaining])).toEqual([
      ['F', 'licai', 5, 1],
      ['E', 'wealth', 4, 2],
    ]);
  });

  it('ranks the closest by the primary path shortfall, exact in fen, and keeps the top N', () => {
    expect(summary.closest.count).toBe(7);
    expect(summary.closest.top).toEqual([
      { customerId: 'G', branchId: 'B01', tier: 'base', nextTier: 'licai', metrics: ['cardSpend12'], shortfall: 120_050 },
      { customerId: 'A', branchId: 'B01', tier: 'base', nextTier: 'licai', metrics: ['mda'], shortfall: 500_000 },
      { customerId: 'B', branchId: 'B01', tier: 'licai', nextTier: 'wealth', metrics: ['mda'], shortfall: 70_000_000 },
    ]);
  });

  it('counts a customer with a single assessment that upgraded as a move up from the base tier', () => {
    const one = summarizeAssessments([customer('N', 'B01', 'licai', [['licai', 'upgrade']])], TIERS);
    expect(one.promotions.top).toEqual([{ customerId: 'N', branchId: 'B01', from: 'base', to: 'licai' }]);
  });

  it('breaks ties by customer id so the printout is stable', () => {
    const tied = ['Z', 'M', 'K'].map((id) => customer(id, 'B01', 'base', [['base', 'met']], { gap: gap(0, ['mda', '10.00']) }));
    expect(summarizeAssessments(tied, TIERS).closest.top.map((g) => g.customerId)).toEqual(['K', 'M', 'Z']);
  });

  it('is empty, not broken, for no lines', () => {
    const empty = summarizeAssessments([], TIERS);
    expect(empty).toMatchObject({ customers: 0, assessedAt: null, byBranch: [], promotions: { count: 0, top: [] }, watch: { count: 0, top: [] } });
    expect(empty.overall).toEqual({ base: 0, licai: 0, wealth: 0, private: 0 });
  });

  it('refuses a tier the scheme does not have', () => {
    expect(() => summarizeAssessments([customer('X', 'B01', 'gold', [['gold', 'met']])], TIERS)).toThrow(/customer X: tier "gold"/);
  });
});
