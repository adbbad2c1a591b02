import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { consolidateHeadOffice } from '../../functions/nightly/consolidate.js';
import { writeBranchSummary } from '../../functions/store/firestore-branch-summaries.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import type { BranchSummary } from '../../shared/head-office/branch-summary.js';
import { fen } from '../support/facts-builder.js';
import { testFirestore } from '../support/firestore-test-db.js';

/** Consolidation reads branch summaries (not customers) from the emulator and keeps month totals for the trend. */

const { db, clear } = testFirestore('consolidate-head-office-test');
const scheme = bundledScheme('boc')!;
afterAll(() => db.terminate());

function summary(branchId: string, businessDate: string, customers: number, promotions: number, aumYuan: string): BranchSummary {
  return {
    branchId,
    businessDate,
    schemeId: 'boc',
    schemeVersion: '2024-01',
    customers,
    byTier: { base: customers - promotions, licai: promotions, wealth: 0, private: 0 },
    promotions,
    losses: 0,
    watch: 0,
    aum: fen(aumYuan),
    aumAverage: 0,
    coverage: [],
    contacts: { banded: 0, compliant: 0, dueSoFar: 0, doneOnTime: 0, doneLate: 0, overdue: 0 },
    managers: [{ managerId: `${branchId}-RM1`, customers, byTier: { base: customers - promotions, licai: promotions, wealth: 0, private: 0 }, promotions, losses: 0, watch: 0, aum: fen(aumYuan), aumAverage: 0, coverage: [], contacts: { banded: 0, compliant: 0, dueSoFar: 0, doneOnTime: 0, doneLate: 0, overdue: 0 } }],
  };
}

beforeEach(async () => {
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('B01'), { branchId: 'B01', name: '城东支行', managers: [{ managerId: 'B01-RM1', name: '张三', role: 'wealth-manager' }] });
  batch.set(db.collection('branches').doc('B02'), { branchId: 'B02', name: '城西支行', managers: [{ managerId: 'B02-RM1', name: '李四', role: 'wealth-manager' }] });
  await batch.commit();
});

describe('head-office consolidation from Firestore', () => {
  it('uses each branch’s latest summary of the month, the quarter’s months, and the stored month totals', async () => {
    // September (Q3), then October (Q4): the October 31 run overwrites October 15's summary.
    await writeBranchSummary(db, summary('B01', '2026-09-30', 8, 4, '800000'));
    await consolidateHeadOffice(db, scheme, '2026-09-30');
    await writeBranchSummary(db, summary('B01', '2026-10-15', 9, 1, '850000'));
    await writeBranchSummary(db, summary('B01', '2026-10-31', 10, 2, '900000'));
    await consolidateHeadOffice(db, scheme, '2026-10-31');
    await writeBranchSummary(db, summary('B01', '2026-11-10', 10, 3, '1000000.50'));
    await writeBranchSummary(db, summary('B02', '2026-11-10', 5, 1, '200000'));
    const content = await consolidateHeadOffice(db, scheme, '2026-11-10');
    const tab = (title: string) => content.tabs.find((t) => t.title === title)!.rows;

    expect(tab('支行汇总').map((r) => r.slice(0, 3))).toEqual([
      ['支行号', '支行', '客户数'],
      ['B01', '城东支行', 10],
      ['B02', '城西支行', 5],
      ['合计', '', 15],
    ]);
    expect(tab('客户经理').slice(1).map((r) => r.slice(2, 4))).toEqual([
      ['B01-RM1', '张*'],
      ['B02-RM1', '李*'],
    ]);
    // trend: September 8 customers / 4 rises, October (latest: the 31st) 10 / 2, November 15 / 4; AUM in 万元
    expect(tab('月度趋势').slice(1).map((r) => [r[0], r[1], r[6], r.at(-1)])).toEqual([
      ['2026-09', 8, 4, 80],
      ['2026-10', 10, 2, 90],
      ['2026-11', 15, 4, 120],
    ]);
    // Q4 rises for B01: October 2 + November 3 = 5 (September is Q3)
    const b01 = tab('季度考核').find((r) => r[1] === '支行' && r[2] === 'B01');
    expect(b01?.at(-2)).toBe(5);
    expect((await db.collection('headOfficeMonths').doc('2026-11').get()).get('total.customers')).toBe(15);
  });

  it('leaves out a branch with no summary this month instead of failing', async () => {
    await writeBranchSummary(db, summary('B01', '2026-11-10', 3, 0, '100'));
    const content = await consolidateHeadOffice(db, scheme, '2026-11-10');
    expect(content.tabs[0]!.rows.map((r) => r[0])).toEqual(['支行号', 'B01', '合计']);
  });
});
