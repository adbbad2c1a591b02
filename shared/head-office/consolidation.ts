import { floorDiv, type Fen } from '../money.js';
import type { Scheme } from '../scheme.schema.js';
import type { CoverageFigure } from '../service/archive-coverage.js';
import { emptyFigures, type BranchSummary, type ContactCompliance, type GroupFigures } from './branch-summary.js';
import { maskName } from './masking.js';

/**
 * The head-office workbook's content, built from branch summaries only (never customer rows):
 * 支行汇总 one row per branch, 客户经理 one row per manager, 月度趋势 one row per month, and
 * 季度考核 the quarter's assessment of branches and managers against the D3 targets and the D2
 * contact standard. Cells are text, except counts and 万元 amounts, which are numbers so the
 * writers can chart them. Managers' names are masked.
 */

export type HeadOfficeCell = string | number;

export interface HeadOfficeBranch {
  summary: BranchSummary;
  name: string;
  managerNames: ReadonlyMap<string, string>;
}

/** The bank's totals for a month (from that month's latest consolidation): one row of 月度趋势. */
export interface MonthTotals {
  /** YYYY-MM */
  month: string;
  total: GroupFigures;
}

/** Each branch's latest summary of a month of this quarter: the quarter's rises and losses. */
export interface QuarterMonth {
  /** YYYY-MM */
  month: string;
  summaries: readonly BranchSummary[];
}

export interface HeadOfficeContent {
  businessDate: string;
  tabs: { title: HeadOfficeTab; rows: HeadOfficeCell[][] }[];
}

export const HEAD_OFFICE_TABS = ['支行汇总', '客户经理', '月度趋势', '季度考核'] as const;
export type HeadOfficeTab = (typeof HEAD_OFFICE_TABS)[number];

/** A compliance target for D2: every customer in a service band gets what the band promises. */
export const CONTACT_COMPLIANCE_TARGET_PERCENT = 100;

export function headOfficeContent(scheme: Scheme, businessDate: string, branches: readonly HeadOfficeBranch[], trend: readonly MonthTotals[], quarter: readonly QuarterMonth[]): HeadOfficeContent {
  const sorted = [...branches].sort((a, b) => compare(a.summary.branchId, b.summary.branchId));
  const rules = coverageRules(sorted.map((b) => b.summary));
  const tierHeaders = scheme.tiers.map((t) => t.name.zh);
  const figureHeaders = [...tierHeaders, '本期升级', '本期降级', '降级预警', '时点资产(万元)', '上月日均资产(万元)', ...rules, '联络达标率', '逾期事项'];
  const figureCells = (f: GroupFigures): HeadOfficeCell[] => [
    ...scheme.tiers.map((t) => f.byTier[t.code] ?? 0),
    f.promotions,
    f.losses,
    f.watch,
    wan(f.aum),
    wan(f.aumAverage),
    ...rules.map((rule) => percentText(f.coverage.find((c) => c.rule === rule))),
    complianceText(f.contacts),
    f.contacts.overdue,
  ];

  const branchRows: HeadOfficeCell[][] = [['支行号', '支行', '客户数', ...figureHeaders]];
  const managerRows: HeadOfficeCell[][] = [['支行号', '支行', '客户经理号', '客户经理', '客户数', ...figureHeaders]];
  for (const b of sorted) {
    branchRows.push([b.summary.branchId, b.name, b.summary.customers, ...figureCells(b.summary)]);
    for (const m of b.summary.managers) {
      managerRows.push([b.summary.branchId, b.name, m.managerId, maskName(b.managerNames.get(m.managerId) ?? ''), m.customers, ...figureCells(m)]);
    }
  }
  if (sorted.length > 0) {
    const total = totalOf(scheme, sorted.map((b) => b.summary));
    branchRows.push(['合计', '', total.customers, ...figureCells(total)]);
  }

  const trendRows: HeadOfficeCell[][] = [['月份', '客户数', ...tierHeaders, '升级', '降级', '时点资产(万元)']];
  for (const { month, total } of [...trend].sort((a, b) => compare(a.month, b.month))) {
    trendRows.push([month, total.customers, ...scheme.tiers.map((tier) => total.byTier[tier.code] ?? 0), total.promotions, total.losses, wan(total.aum)]);
  }

  return {
    businessDate,
    tabs: [
      { title: '支行汇总', rows: branchRows },
      { title: '客户经理', rows: managerRows },
      { title: '月度趋势', rows: trendRows },
      { title: '季度考核', rows: quarterlyRows(businessDate, sorted, quarter) },
    ],
  };
}

/**
 * 季度考核: one row per branch and per manager — each D3 coverage rule and the D2 contact
 * standard as at the business date (actual and met, the target in the header), the share of
 * items met, and the quarter's rises and losses. One row per entity, not one per item, so a
 * bank of 10,000 branches stays well inside a spreadsheet's cell limit.
 */
function quarterlyRows(businessDate: string, branches: readonly HeadOfficeBranch[], months: readonly QuarterMonth[]): HeadOfficeCell[][] {
  const quarter = quarterOf(businessDate);
  // rises and losses of the quarter, by branch and by branch + manager, summed over its months
  const changes = new Map<string, [number, number]>();
  const addChanges = (key: string, f: GroupFigures) => {
    const entry = changes.get(key) ?? [0, 0];
    entry[0] += f.promotions;
    entry[1] += f.losses;
    changes.set(key, entry);
  };
  for (const t of months) {
    if (quarterOf(t.month) !== quarter) continue;
    for (const s of t.summaries) {
      addChanges(s.branchId, s);
      for (const m of s.managers) addChanges(`${s.branchId}\u0000${m.managerId}`, m);
    }
  }
  const rules = new Map<string, number>();
  for (const b of branches) for (const c of b.summary.coverage) if (!rules.has(c.rule)) rules.set(c.rule, c.target);
  const items = [...[...rules.entries()].map(([rule, target]) => ({ name: rule, target })), { name: CONTACT_ITEM, target: CONTACT_COMPLIANCE_TARGET_PERCENT }];
  const header: HeadOfficeCell[] = ['季度', '对象', '支行号', '客户经理号'];
  for (const item of items) header.push(`${item.name}（目标${item.target}%）`, `${item.name}·达标`);
  header.push('达标项', '全部达标', '本季升级', '本季降级');
  const rows: HeadOfficeCell[][] = [header];
  const assess = (who: string, branchId: string, managerId: string | null, f: GroupFigures) => {
    const [up, down] = changes.get(managerId === null ? branchId : `${branchId}\u0000${managerId}`) ?? [0, 0];
    const row: HeadOfficeCell[] = [quarter, who, branchId, managerId ?? ''];
    let applicable = 0;
    let met = 0;
    for (const item of items) {
      const result = item.name === CONTACT_ITEM ? contactItem(f) : coverageItem(f, item.name);
      if (result === null) {
        row.push('', ''); // the rule does not apply to anyone of this branch or manager
        continue;
      }
      applicable++;
      if (result.met) met++;
      row.push(result.actual, result.met ? '是' : '否');
    }
    row.push(`${met}/${applicable}`, met === applicable ? '是' : '否', up, down);
    rows.push(row);
  };
  for (const b of branches) {
    assess('支行', b.summary.branchId, null, b.summary);
    for (const m of b.summary.managers) assess('客户经理', b.summary.branchId, m.managerId, m);
  }
  return rows;
}

const CONTACT_ITEM = '联络达标率（D2服务标准）';

function coverageItem(f: GroupFigures, rule: string): { actual: string; met: boolean } | null {
  const c = f.coverage.find((x) => x.rule === rule);
  return c === undefined || c.customers === 0 ? null : { actual: percentText(c), met: c.met };
}

function contactItem(f: GroupFigures): { actual: string; met: boolean } | null {
  if (f.contacts.banded === 0) return null;
  return { actual: complianceText(f.contacts), met: f.contacts.compliant * 100 >= CONTACT_COMPLIANCE_TARGET_PERCENT * f.contacts.banded };
}

/** Every branch's figures added up; coverage re-derived from the counts, never averaged from percents. */
export function totalOf(scheme: Scheme, summaries: readonly GroupFigures[]): GroupFigures {
  const total = emptyFigures(scheme);
  const coverage = new Map<string, { customers: number; meeting: number; target: number }>();
  for (const s of summaries) {
    total.customers += s.customers;
    for (const [code, n] of Object.entries(s.byTier)) total.byTier[code] = (total.byTier[code] ?? 0) + n;
    total.promotions += s.promotions;
    total.losses += s.losses;
    total.watch += s.watch;
    total.aum += s.aum;
    total.aumAverage += s.aumAverage;
    for (const key of Object.keys(total.contacts) as (keyof ContactCompliance)[]) total.contacts[key] += s.contacts[key];
    for (const c of s.coverage) {
      const entry = coverage.get(c.rule) ?? { customers: 0, meeting: 0, target: c.target };
      entry.customers += c.customers;
      entry.meeting += c.meeting;
      coverage.set(c.rule, entry);
    }
  }
  total.coverage = [...coverage.entries()].map(([rule, e]) => ({
    rule,
    customers: e.customers,
    meeting: e.meeting,
    percent: e.customers === 0 ? null : Math.floor((e.meeting * 100) / e.customers),
    target: e.target,
    met: e.meeting * 100 >= e.target * e.customers,
  }));
  return total;
}

/** The coverage rules any branch reports, in first-seen order: the columns of the coverage part. */
function coverageRules(summaries: readonly BranchSummary[]): string[] {
  const rules: string[] = [];
  for (const s of summaries) for (const c of s.coverage) if (!rules.includes(c.rule)) rules.push(c.rule);
  return rules;
}

function percentText(c: CoverageFigure | undefined): string {
  return c === undefined || c.percent === null ? '' : `${c.percent}%`;
}

function complianceText(c: ContactCompliance): string {
  return c.banded === 0 ? '' : `${Math.floor((c.compliant * 100) / c.banded)}%`;
}

/**
 * fen → 万元 with two decimals, half up (1 万元 = 1,000,000 fen, so 0.01 万元 = 10,000 fen), as a
 * number for charts: display only; the exact figure stays the fen sum.
 */
export function wan(fen: Fen): number {
  return floorDiv(fen + 5_000, 10_000) / 100;
}

/** "2026-11-10" or "2026-11" → "2026Q4". */
export function quarterOf(dateOrMonth: string): string {
  const year = dateOrMonth.slice(0, 4);
  const month = Number(dateOrMonth.slice(5, 7));
  return `${year}Q${Math.floor((month - 1) / 3) + 1}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
