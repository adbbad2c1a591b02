import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { HeadOfficeCell, HeadOfficeContent } from '../../shared/head-office/consolidation.js';
import type { HeadOfficeWriter } from '../nightly/nightly-steps.js';
import { isWanColumn, planHeadOfficeCharts, tabWidth, type HeadOfficeChart } from './head-office-charts.js';
import { chartXml } from './xlsx-chart-xml.js';
import { addChartsToXlsx } from './xlsx-charts.js';

/**
 * The local head-office workbook: `DIR/总行汇总-<business date>.xlsx`, one file per business
 * date. Head office reads it, nobody edits it, so each day keeps its own file: yesterday's
 * figures stay on disk to compare and to hand to an auditor, and running a date again
 * replaces that date's file only. It is written whole to a temporary file and renamed into
 * place, so a reader never opens half a workbook.
 *
 * Tabs as the content gives them (支行汇总, 客户经理, 月度趋势, 季度考核): header bold and frozen,
 * columns wide enough for their text, counts and 万元 amounts as numbers (万元 shown with two
 * decimals), percentages as the texts they come as. Charts (head-office-charts.ts) are added to
 * the package after exceljs wrote it (exceljs 4.4 writes no charts): xlsx-charts.ts.
 */

export interface HeadOfficeWorkbookReport {
  path: string;
  charts: { key: HeadOfficeChart['key']; tab: string; title: string; part: string }[];
  /** charts not drawn, and why (English, for the log) */
  problems: string[];
}

const WAN_FORMAT = '0.00';
/** rows and columns a chart takes beside its table */
const CHART_COLUMNS = 9;
const CHART_ROWS = 20;

export function headOfficeWorkbookPath(dir: string, businessDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(businessDate)) throw new Error(`head-office workbook: not a business date (YYYY-MM-DD): ${JSON.stringify(businessDate)}`);
  return join(dir, `总行汇总-${businessDate}.xlsx`);
}

export async function writeHeadOfficeWorkbook(dir: string, content: HeadOfficeContent): Promise<HeadOfficeWorkbookReport> {
  const path = headOfficeWorkbookPath(dir, content.businessDate);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'wealth-ladder';
  for (const tab of content.tabs) fillSheet(workbook.addWorksheet(tab.title, { views: [{ state: 'frozen', ySplit: 1 }] }), tab.rows);
  const written = Buffer.from(await workbook.xlsx.writeBuffer());

  const plan = planHeadOfficeCharts(content);
  const parts = plan.charts.map((chart) => {
    const rows = content.tabs.find((t) => t.title === chart.tab)?.rows ?? [];
    const left = tabWidth(rows) + 1;
    const top = 1 + chart.slot * (CHART_ROWS + 2);
    return { sheet: chart.tab, xml: chartXml(chart, rows), name: chart.title, from: { column: left, row: top }, to: { column: left + CHART_COLUMNS, row: top + CHART_ROWS } };
  });
  const withCharts = await addChartsToXlsx(written, parts);

  await mkdir(dir, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, withCharts.buffer);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const charts = plan.charts.map((c, i) => ({ key: c.key, tab: c.tab, title: c.title, part: withCharts.chartPaths[i] as string }));
  return { path, charts, problems: plan.problems };
}

/** The nightly run's HeadOfficeWriter for a local folder: answers the file's path; charts not drawn go to `log`. */
export function xlsxHeadOfficeWriter(dir: string, log: (message: string) => void = () => {}): HeadOfficeWriter {
  return async (content) => {
    const report = await writeHeadOfficeWorkbook(dir, content);
    for (const problem of report.problems) log(`head-office workbook ${report.path}: ${problem}`);
    return report.path;
  };
}

function fillSheet(sheet: ExcelJS.Worksheet, rows: readonly (readonly HeadOfficeCell[])[]): void {
  const header = rows[0] ?? [];
  const wanColumns = header.flatMap((h, i) => (isWanColumn(h) ? [i + 1] : []));
  for (const row of rows) sheet.addRow([...row]);
  sheet.getRow(1).font = { bold: true };
  for (let r = 2; r <= rows.length; r++) for (const c of wanColumns) sheet.getCell(r, c).numFmt = WAN_FORMAT;
  for (let c = 1; c <= tabWidth(rows); c++) {
    let widest = 0;
    for (const row of rows) widest = Math.max(widest, displayWidth(row[c - 1]));
    sheet.getColumn(c).width = Math.min(40, Math.max(6, widest + 2));
  }
  // Printed (and exported to PDF) one page wide, landscape, header repeated on every page.
  sheet.pageSetup = { ...sheet.pageSetup, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' };
}

/** a cell's width in Excel's character units: a CJK character is two, a 万元 amount shows two decimals */
function displayWidth(cell: HeadOfficeCell | undefined): number {
  if (cell === undefined) return 0;
  const text = typeof cell === 'number' ? cell.toFixed(2) : cell;
  let width = 0;
  for (const ch of text) width += (ch.codePointAt(0) ?? 0) > 0x2e7f ? 2 : 1;
  return width;
}
