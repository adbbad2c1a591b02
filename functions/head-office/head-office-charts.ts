import type { HeadOfficeCell, HeadOfficeContent, HeadOfficeTab } from '../../shared/head-office/consolidation.js';

/**
 * The charts of the head-office workbook, planned once from the content and drawn by both
 * writers (charts inside the local .xlsx, Sheets charts on Google). Columns are found by their
 * header, never by position: the tier columns are the ones between 客户数 and 本期升级 / 升级,
 * whatever the scheme's tiers are. A chart whose columns cannot be found is left out and said
 * in `problems` (the tables are still written); a chart with no data row is left out silently.
 */

export type ChartKey = 'branch-tiers' | 'trend-tiers' | 'trend-aum';

export interface HeadOfficeChart {
  key: ChartKey;
  tab: HeadOfficeTab;
  title: string;
  kind: 'column' | 'line';
  categoryAxisTitle: string;
  valueAxisTitle: string;
  /** 0-based column of the categories (branch names, months) */
  categoryColumn: number;
  /** 0-based columns of the series; each series is named by its header (row 0) */
  seriesColumns: number[];
  /** 0-based row one past the last data row; data rows start at 1 (row 0 is the header) */
  endRow: number;
  /** the chart's place among its tab's charts (0 first), for placement */
  slot: number;
}

export interface ChartPlan {
  charts: HeadOfficeChart[];
  /** English, for the log: a chart not drawn and why */
  problems: string[];
}

/** the 支行号 cell of the bank's total row on 支行汇总: not a branch, so not charted */
const TOTAL_ROW_KEY = '合计';

export function planHeadOfficeCharts(content: HeadOfficeContent): ChartPlan {
  const charts: HeadOfficeChart[] = [];
  const problems: string[] = [];
  const rowsOf = (tab: HeadOfficeTab) => content.tabs.find((t) => t.title === tab)?.rows ?? [];

  const branches = rowsOf('支行汇总');
  const branchHeader = headerOf(branches);
  const totalAt = branches.findIndex((row, i) => i > 0 && row[0] === TOTAL_ROW_KEY);
  const branchEnd = totalAt > 0 ? totalAt : branches.length;
  const branchName = branchHeader.indexOf('支行');
  const branchTiers = between(branchHeader, '客户数', '本期升级');
  if (branchName < 0 || branchTiers.length === 0) problems.push(`支行汇总: no 支行 column or no tier columns between 客户数 and 本期升级; chart 各支行客户分层 not drawn`);
  else if (branchEnd > 1) charts.push({ key: 'branch-tiers', tab: '支行汇总', title: '各支行客户分层', kind: 'column', categoryAxisTitle: '支行', valueAxisTitle: '客户数', categoryColumn: branchName, seriesColumns: branchTiers, endRow: branchEnd, slot: 0 });

  const trend = rowsOf('月度趋势');
  const trendHeader = headerOf(trend);
  const month = trendHeader.indexOf('月份');
  const trendTiers = between(trendHeader, '客户数', '升级');
  const aum = trendHeader.indexOf('时点资产(万元)');
  if (month < 0 || trendTiers.length === 0) problems.push(`月度趋势: no 月份 column or no tier columns between 客户数 and 升级; chart 各等级客户数（按月） not drawn`);
  else if (trend.length > 1) charts.push({ key: 'trend-tiers', tab: '月度趋势', title: '各等级客户数（按月）', kind: 'line', categoryAxisTitle: '月份', valueAxisTitle: '客户数', categoryColumn: month, seriesColumns: trendTiers, endRow: trend.length, slot: 0 });
  if (month < 0 || aum < 0) problems.push(`月度趋势: no 月份 or 时点资产(万元) column; chart 时点资产（万元，按月） not drawn`);
  else if (trend.length > 1) charts.push({ key: 'trend-aum', tab: '月度趋势', title: '时点资产（万元，按月）', kind: 'column', categoryAxisTitle: '月份', valueAxisTitle: '万元', categoryColumn: month, seriesColumns: [aum], endRow: trend.length, slot: charts.filter((c) => c.tab === '月度趋势').length });
  return { charts, problems };
}

/** the widest row of a tab: where a chart beside the table may start */
export function tabWidth(rows: readonly (readonly HeadOfficeCell[])[]): number {
  return rows.reduce((width, row) => Math.max(width, row.length), 0);
}

/** a 万元 column: counts and 万元 amounts are numbers; 万元 ones are shown with two decimals */
export function isWanColumn(header: HeadOfficeCell | undefined): boolean {
  return typeof header === 'string' && header.endsWith('(万元)');
}

function headerOf(rows: readonly (readonly HeadOfficeCell[])[]): string[] {
  return (rows[0] ?? []).map((cell) => String(cell));
}

/** the columns strictly between two headers (the first `after` header following `from`) */
function between(header: readonly string[], from: string, after: string): number[] {
  const start = header.indexOf(from);
  if (start < 0) return [];
  const end = header.indexOf(after, start + 1);
  if (end < 0) return [];
  return Array.from({ length: end - start - 1 }, (_, i) => start + 1 + i);
}
