import { bundledScheme } from '../../shared/bundled-schemes.js';
import type { BranchSummary, GroupFigures, ManagerFigures } from '../../shared/head-office/branch-summary.js';
import { headOfficeContent, totalOf, type HeadOfficeBranch, type HeadOfficeContent } from '../../shared/head-office/consolidation.js';
import { fen } from './facts-builder.js';

/**
 * Head-office content for the writers' tests, built by the real headOfficeContent from branch
 * summaries written by hand (boc tiers: 普通客户, 中银理财客户, 中银财富管理客户, 私人银行客户).
 * The managers' real names are in MANAGER_NAMES so a test can prove none reaches an output.
 *
 * November 2026, business date 2026-11-10:
 *   B01 城东支行 10 customers (6 / 3 / 1 / 0), AUM 12,345,678.90 yuan → 1,234.57 万元
 *     managers B01-RM1 张三丰 (6: 3 / 2 / 1 / 0) and B01-RM2 欧阳娜娜 (4: 3 / 1 / 0 / 0)
 *   B02 城西支行 4 customers (2 / 2 / 0 / 0), AUM 1,000,000 yuan → 100 万元, manager B02-RM1 李四
 *   B03 城北支行 (only with `withThirdBranch`) 7 customers (5 / 1 / 0 / 1), AUM 60,000,000 yuan → 6,000 万元, manager B03-RM1 王五
 * Trend: 2026-09 B01 only 8 (5 / 3 / 0 / 0), AUM 10,000,000 → 1,000 万元; 2026-10 B01 only
 * 9 (5 / 3 / 1 / 0), AUM 11,000,000.50 → 1,100 万元 (the 0.50 yuan is far below 0.01 万元);
 * 2026-11 the branches above.
 */

export const scheme = bundledScheme('boc')!;
export const BUSINESS_DATE = '2026-11-10';
export const ARCHIVE_RULE = '建档覆盖率·资产5万以上';
export const MANAGER_NAMES = ['张三丰', '欧阳娜娜', '李四', '王五'] as const;

type Tiers = [number, number, number, number];

function figures(customers: number, tiers: Tiers, aumYuan: string, over: Partial<GroupFigures> = {}): GroupFigures {
  return {
    customers,
    byTier: { base: tiers[0], licai: tiers[1], wealth: tiers[2], private: tiers[3] },
    promotions: 0,
    losses: 0,
    watch: 0,
    aum: fen(aumYuan),
    aumAverage: 0,
    coverage: [],
    contacts: { banded: 0, compliant: 0, dueSoFar: 0, doneOnTime: 0, doneLate: 0, overdue: 0 },
    ...over,
  };
}

function summary(branchId: string, total: GroupFigures, managers: ManagerFigures[]): BranchSummary {
  return { branchId, businessDate: BUSINESS_DATE, schemeId: 'boc', schemeVersion: '2024-01', ...total, managers };
}

const b01 = summary(
  'B01',
  figures(10, [6, 3, 1, 0], '12345678.90', {
    promotions: 2,
    losses: 1,
    watch: 1,
    aumAverage: fen('12000000'),
    coverage: [{ rule: ARCHIVE_RULE, customers: 5, meeting: 4, percent: 80, target: 80, met: true }],
    contacts: { banded: 4, compliant: 4, dueSoFar: 8, doneOnTime: 8, doneLate: 0, overdue: 0 },
  }),
  [
    { managerId: 'B01-RM1', ...figures(6, [3, 2, 1, 0], '10000000') },
    { managerId: 'B01-RM2', ...figures(4, [3, 1, 0, 0], '2345678.90') },
  ],
);
const b02 = summary('B02', figures(4, [2, 2, 0, 0], '1000000', { promotions: 1 }), [{ managerId: 'B02-RM1', ...figures(4, [2, 2, 0, 0], '1000000') }]);
const b03 = summary('B03', figures(7, [5, 1, 0, 1], '60000000'), [{ managerId: 'B03-RM1', ...figures(7, [5, 1, 0, 1], '60000000') }]);

const branches: HeadOfficeBranch[] = [
  { summary: b01, name: '城东支行', managerNames: new Map([['B01-RM1', '张三丰'], ['B01-RM2', '欧阳娜娜']]) },
  { summary: b02, name: '城西支行', managerNames: new Map([['B02-RM1', '李四']]) },
];
const third: HeadOfficeBranch = { summary: b03, name: '城北支行', managerNames: new Map([['B03-RM1', '王五']]) };

export function sampleContent(options: { withThirdBranch?: boolean; months?: number } = {}): HeadOfficeContent {
  const now = options.withThirdBranch ? [...branches, third] : branches;
  const months = [
    { month: '2026-09', summaries: [{ ...b01, ...figures(8, [5, 3, 0, 0], '10000000') }] },
    { month: '2026-10', summaries: [{ ...b01, ...figures(9, [5, 3, 1, 0], '11000000.50') }] },
    { month: '2026-11', summaries: now.map((b) => b.summary) },
  ].slice(3 - (options.months ?? 3));
  return headOfficeContent(
    scheme,
    BUSINESS_DATE,
    now,
    months.map((m) => ({ month: m.month, total: totalOf(scheme, m.summaries) })),
    months,
  );
}

export function rowsOf(content: HeadOfficeContent, title: string): (string | number)[][] {
  return content.tabs.find((t) => t.title === title)!.rows;
}
