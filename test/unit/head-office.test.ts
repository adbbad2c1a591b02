import { describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import type { BranchSummary, GroupFigures } from '../../shared/head-office/branch-summary.js';
import { headOfficeContent, quarterOf, totalOf, wan, type HeadOfficeBranch } from '../../shared/head-office/consolidation.js';
import { maskName, maskPhone } from '../../shared/head-office/masking.js';
import { fen } from '../support/facts-builder.js';

/** Head-office consolidation from branch summaries written by hand (two branches, boc tiers). */

const scheme = bundledScheme('boc')!;
const ARCHIVE_50K = '建档覆盖率·资产5万以上';

function figures(over: Partial<GroupFigures>): GroupFigures {
  return {
    customers: 0,
    byTier: { base: 0, licai: 0, wealth: 0, private: 0 },
    promotions: 0,
    losses: 0,
    watch: 0,
    aum: 0,
    aumAverage: 0,
    coverage: [],
    contacts: { banded: 0, compliant: 0, dueSoFar: 0, doneOnTime: 0, doneLate: 0, overdue: 0 },
    ...over,
  };
}

const b01: BranchSummary = {
  branchId: 'B01',
  businessDate: '2026-11-10',
  schemeId: 'boc',
  schemeVersion: '2024-01',
  ...figures({
    customers: 10,
    byTier: { base: 6, licai: 3, wealth: 1, private: 0 },
    promotions: 2,
    losses: 1,
    watch: 1,
    aum: fen('12345678.90'),
    aumAverage: fen('12000000'),
    coverage: [{ rule: ARCHIVE_50K, customers: 5, meeting: 4, percent: 80, target: 80, met: true }],
    contacts: { banded: 4, compliant: 4, dueSoFar: 8, doneOnTime: 8, doneLate: 0, overdue: 0 },
  }),
  managers: [{ managerId: 'B01-RM1', ...figures({ customers: 10, promotions: 2, losses: 1, coverage: [{ rule: ARCHIVE_50K, customers: 5, meeting: 4, percent: 80, target: 80, met: true }], contacts: { banded: 4, compliant: 4, dueSoFar: 8, doneOnTime: 8, doneLate: 0, overdue: 0 } }) }],
};
const b02: BranchSummary = {
  branchId: 'B02',
  businessDate: '2026-11-10',
  schemeId: 'boc',
  schemeVersion: '2024-01',
  ...figures({
    customers: 4,
    byTier: { base: 2, licai: 2, wealth: 0, private: 0 },
    promotions: 1,
    aum: fen('1000000'),
    coverage: [{ rule: ARCHIVE_50K, customers: 3, meeting: 2, percent: 66, target: 80, met: false }],
    contacts: { banded: 2, compliant: 1, dueSoFar: 3, doneOnTime: 2, doneLate: 0, overdue: 1 },
  }),
  managers: [],
};
const branches: HeadOfficeBranch[] = [
  { summary: b02, name: '城西支行', managerNames: new Map() },
  { summary: b01, name: '城东支行', managerNames: new Map([['B01-RM1', '欧阳娜娜']]) },
];

describe('masking', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['李', '李*'],
    ['', ''],
  ])('name %s → %s', (name, masked) => expect(maskName(name)).toBe(masked));
  it.each([
    ['13812345678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['021-12345678', '021****5678'],
    ['12345', '*****'],
  ])('phone %s → %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));
});

describe('head-office content', () => {
  const months = [
    { month: '2026-10', summaries: [{ ...b01, promotions: 5, losses: 0 }] },
    { month: '2026-11', summaries: [b01, b02] },
    { month: '2026-09', summaries: [{ ...b01, promotions: 7 }] },
  ];
  const trend = months.map((m) => ({ month: m.month, total: totalOf(scheme, m.summaries) }));
  const content = headOfficeContent(scheme, '2026-11-10', branches, trend, months);
  const tab = (title: string) => content.tabs.find((t) => t.title === title)!.rows;

  it('has one row per branch, sorted by branch number, and a total computed from counts', () => {
    const rows = tab('支行汇总');
    expect(rows[0]!.slice(0, 13)).toEqual(['支行号', '支行', '客户数', '普通客户', '中银理财客户', '中银财富管理客户', '私人银行客户', '本期升级', '本期降级', '降级预警', '时点资产(万元)', '上月日均资产(万元)', ARCHIVE_50K]);
    expect(rows[1]!.slice(0, 3)).toEqual(['B01', '城东支行', 10]);
    expect(rows[2]!.slice(0, 3)).toEqual(['B02', '城西支行', 4]);
    // 12,345,678.90 yuan = 1,234.567890 万 → 1,234.57; coverage 4/5 = 80%; contacts 4/4 = 100%
    expect(rows[1]!.slice(7)).toEqual([2, 1, 1, 1234.57, 1200, '80%', '100%', 0]);
    // total: coverage (4 + 2) / (5 + 3) = 75% (not the mean of 80% and 66%); contacts 5/6 = 83% rounded down
    expect(rows[3]).toEqual(['合计', '', 14, 8, 5, 1, 0, 3, 1, 1, 1334.57, 1200, '75%', '83%', 1]);
  });

  it('shows managers with masked names', () => {
    const rows = tab('客户经理');
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(0, 5)).toEqual(['B01', '城东支行', 'B01-RM1', '欧***', 10]);
  });

  it('has the monthly trend in month order from the summaries of each month', () => {
    expect(tab('月度趋势').map((r) => r.slice(0, 2).concat(r.slice(6, 8)))).toEqual([
      ['月份', '客户数', '升级', '降级'],
      ['2026-09', 10, 7, 1],
      ['2026-10', 10, 5, 0],
      ['2026-11', 14, 3, 1],
    ]);
  });

  it('assesses the quarter, one row per branch and manager: each item met or not, rises and losses summed over the quarter’s months', () => {
    const rows = tab('季度考核');
    expect(rows[0]).toEqual(['季度', '对象', '支行号', '客户经理号', `${ARCHIVE_50K}（目标80%）`, `${ARCHIVE_50K}·达标`, '联络达标率（D2服务标准）（目标100%）', '联络达标率（D2服务标准）·达标', '达标项', '全部达标', '本季升级', '本季降级']);
    // B02: coverage 2/3 = 66% < 80%; contacts 1 of 2 compliant = 50% < 100%; Q4 rises: November 1 (October has no B02 summary)
    expect(rows.find((r) => r[1] === '支行' && r[2] === 'B02')).toEqual(['2026Q4', '支行', 'B02', '', '66%', '否', '50%', '否', '0/2', '否', 1, 0]);
    // B01 in Q4: October 5 + November 2 = 7 rises (September is Q3), 0 + 1 losses; both items met
    expect(rows.find((r) => r[1] === '支行' && r[2] === 'B01')).toEqual(['2026Q4', '支行', 'B01', '', '80%', '是', '100%', '是', '2/2', '是', 7, 1]);
    // the manager's own rises: November's summary only (October's copy of B01 kept the manager's 2)
    expect(rows.find((r) => r[1] === '客户经理' && r[3] === 'B01-RM1')?.slice(-4)).toEqual(['2/2', '是', 4, 2]);
    expect(rows).toHaveLength(4); // header, B01, its manager, B02 (no managers)
  });

  it('rounds 万元 half up exactly from fen', () => {
    expect(wan(fen('49.99'))).toBe(0);
    expect(wan(fen('50'))).toBe(0.01);
    expect(wan(fen('12345678.90'))).toBe(1234.57);
    expect(quarterOf('2026-03-31')).toBe('2026Q1');
    expect(quarterOf('2026-04')).toBe('2026Q2');
    expect(totalOf(scheme, []).customers).toBe(0);
  });
});
