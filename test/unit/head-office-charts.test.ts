import { describe, expect, it } from 'vitest';
import { planHeadOfficeCharts } from '../../functions/head-office/head-office-charts.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { headOfficeContent, totalOf } from '../../shared/head-office/consolidation.js';
import { sampleContent } from '../support/head-office-content.js';

/** The chart plan both head-office writers draw from: columns found by header, whatever the scheme's tiers. */

describe('head-office chart plan', () => {
  it('charts the boc tiers (4 columns between 客户数 and 本期升级 / 升级) and leaves the 合计 row out', () => {
    const { charts, problems } = planHeadOfficeCharts(sampleContent({ withThirdBranch: true }));
    expect(problems).toEqual([]);
    expect(charts.map((c) => [c.key, c.tab, c.categoryColumn, c.seriesColumns, c.endRow, c.slot])).toEqual([
      // header + B01, B02, B03 = rows 0..3, end 4 (合计 is row 4)
      ['branch-tiers', '支行汇总', 1, [3, 4, 5, 6], 4, 0],
      ['trend-tiers', '月度趋势', 0, [2, 3, 4, 5], 4, 0],
      ['trend-aum', '月度趋势', 0, [8], 4, 1],
    ]);
  });

  it('follows a scheme with seven tiers (branch-six): the tier columns move, the charts follow them', () => {
    const scheme = bundledScheme('branch-six')!;
    const zero = Object.fromEntries(scheme.tiers.map((t) => [t.code, 0]));
    const summary = { branchId: 'B01', businessDate: '2026-11-10', schemeId: 'branch-six', schemeVersion: scheme.version, ...totalOf(scheme, []), byTier: { ...zero, gold: 2 }, customers: 2, managers: [] };
    const content = headOfficeContent(scheme, '2026-11-10', [{ summary, name: '城东支行', managerNames: new Map() }], [{ month: '2026-11', total: totalOf(scheme, [summary]) }], []);
    const { charts } = planHeadOfficeCharts(content);
    // 支行号, 支行, 客户数, then 7 tiers in D..J (3..9); 月份, 客户数, then 7 tiers (2..8), 升级, 降级, 时点资产(万元) at 11
    expect(charts.map((c) => [c.key, c.seriesColumns, c.endRow])).toEqual([
      ['branch-tiers', [3, 4, 5, 6, 7, 8, 9], 2],
      ['trend-tiers', [2, 3, 4, 5, 6, 7, 8], 2],
      ['trend-aum', [11], 2],
    ]);
  });

  it('draws nothing (and reports nothing) when there is no branch and no month yet', () => {
    const content = sampleContent();
    const empty = { ...content, tabs: content.tabs.map((t) => ({ ...t, rows: t.rows.slice(0, 1) })) };
    expect(planHeadOfficeCharts(empty)).toEqual({ charts: [], problems: [] });
  });
});
