import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headOfficeWorkbookPath, writeHeadOfficeWorkbook, xlsxHeadOfficeWriter } from '../../functions/head-office/xlsx-head-office.js';
import { MANAGER_NAMES, rowsOf, sampleContent } from '../support/head-office-content.js';

/**
 * The local head-office workbook on real files: written, then read back twice, by exceljs (cells,
 * formats, frozen header) and as the zip it is (the chart parts, the relationships that hang them
 * on their sheets, and the cell ranges each series draws from). Whether the charts render is
 * checked by hand with LibreOffice (docs/head-office.md), not here: CI has no LibreOffice.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'head-office-xlsx-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** every part of the package, as text */
async function parts(path: string): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(await readFile(path));
  const out = new Map<string, string>();
  for (const name of Object.keys(zip.files)) if (!zip.files[name]!.dir) out.set(name, await zip.files[name]!.async('string'));
  return out;
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

/** the chart parts hung on a sheet: workbook → sheet part → its drawing → the drawing's charts */
function chartsOfSheet(p: Map<string, string>, sheet: string): string[] {
  const sheetTag = (p.get('xl/workbook.xml')!.match(/<sheet\b[^>]*>/g) ?? []).find((t) => attr(t, 'name') === sheet)!;
  const relTarget = (relsPath: string, id: string) => (p.get(relsPath)!.match(/<Relationship\b[^>]*>/g) ?? []).map((t) => [attr(t, 'Id'), attr(t, 'Target'), attr(t, 'Type')]).find(([i]) => i === id)!;
  const [, sheetTarget] = relTarget('xl/_rels/workbook.xml.rels', attr(sheetTag, 'r:id')!);
  const sheetPath = `xl/${sheetTarget}`;
  const drawingId = /<drawing r:id="([^"]+)"\/>/.exec(p.get(sheetPath)!)?.[1];
  if (drawingId === undefined) return [];
  const sheetRels = sheetPath.replace(/([^/]+)$/, '_rels/$1.rels');
  const [, drawingTarget, drawingType] = relTarget(sheetRels, drawingId);
  expect(drawingType).toBe('http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing');
  const drawingPath = `xl/${drawingTarget!.replace('../', '')}`;
  const chartIds = [...p.get(drawingPath)!.matchAll(/<c:chart [^>]*r:id="([^"]+)"/g)].map((m) => m[1]!);
  const drawingRels = drawingPath.replace(/([^/]+)$/, '_rels/$1.rels');
  return chartIds.map((id) => `xl/${relTarget(drawingRels, id)[1]!.replace('../', '')}`);
}

/** what a chart draws: its kind, and per series the name reference, category and value references and cached values */
function seriesOf(chartXml: string) {
  const kind = /<c:(barChart|lineChart)>/.exec(chartXml)?.[1];
  const series = [...chartXml.matchAll(/<c:ser>(.*?)<\/c:ser>/g)].map((m) => {
    const s = m[1]!;
    const refs = [...s.matchAll(/<c:f>([^<]*)<\/c:f>/g)].map((f) => f[1]!.replace(/&apos;/g, "'"));
    const values = /<c:val>.*?<\/c:val>/.exec(s)![0];
    return { name: refs[0], categories: refs[1], values: refs[2], cached: [...values.matchAll(/<c:v>([^<]*)<\/c:v>/g)].map((v) => Number(v[1])) };
  });
  const title = /<c:title>.*?<a:t>([^<]*)<\/a:t>/.exec(chartXml)?.[1];
  return { kind, title, series };
}

describe('head-office workbook (.xlsx)', () => {
  const content = sampleContent();
  let path: string;
  beforeAll(async () => {
    path = (await writeHeadOfficeWorkbook(dir, content)).path;
  });

  it('is one file per business date, written whole (no temporary file left beside it)', async () => {
    expect(path).toBe(join(dir, '总行汇总-2026-11-10.xlsx'));
    expect(await readdir(dir)).toEqual(['总行汇总-2026-11-10.xlsx']);
    expect(() => headOfficeWorkbookPath(dir, '../2026-11-10')).toThrow(/not a business date/);
  });

  it('holds the four tabs with the content’s cells: numbers as numbers, 万元 with two decimals, percent texts as texts, header bold and frozen', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['支行汇总', '客户经理', '月度趋势', '季度考核']);
    for (const tab of content.tabs) {
      const sheet = workbook.getWorksheet(tab.title)!;
      const read: (string | number)[][] = [];
      sheet.eachRow((row) => read.push((row.values as (string | number)[]).slice(1)));
      expect(read).toEqual(tab.rows);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getRow(1).font?.bold).toBe(true);
    }
    const branches = workbook.getWorksheet('支行汇总')!;
    // B01: 12,345,678.90 yuan = 1,234.56789 万元 → 1,234.57, a number shown as 0.00; 80% stays the text it came as
    expect(branches.getCell('K2').value).toBe(1234.57);
    expect(branches.getCell('K2').numFmt).toBe('0.00');
    expect(branches.getCell('M2').value).toBe('80%');
    expect(branches.getCell('C2').numFmt).toBeUndefined();
    // widths follow the text: 时点资产(万元) is 6 CJK characters (2 each = 12) + 2 brackets = 14, + 2 of margin = 16
    expect(branches.getColumn(11).width).toBe(16);
  });

  it('has real charts: 各支行客户分层 on 支行汇总 (clustered columns, the 合计 row left out) and two on 月度趋势', async () => {
    const p = await parts(path);
    const branchCharts = chartsOfSheet(p, '支行汇总');
    expect(branchCharts).toHaveLength(1);
    const branch = seriesOf(p.get(branchCharts[0]!)!);
    expect(branch.kind).toBe('barChart');
    expect(p.get(branchCharts[0]!)).toContain('<c:barDir val="col"/><c:grouping val="clustered"/>');
    expect(branch.title).toBe('各支行客户分层');
    // rows 2-3 are B01 and B02; row 4 is 合计; tiers are columns D..G, branch names column B
    expect(branch.series).toEqual([
      { name: "'支行汇总'!$D$1", categories: "'支行汇总'!$B$2:$B$3", values: "'支行汇总'!$D$2:$D$3", cached: [6, 2] },
      { name: "'支行汇总'!$E$1", categories: "'支行汇总'!$B$2:$B$3", values: "'支行汇总'!$E$2:$E$3", cached: [3, 2] },
      { name: "'支行汇总'!$F$1", categories: "'支行汇总'!$B$2:$B$3", values: "'支行汇总'!$F$2:$F$3", cached: [1, 0] },
      { name: "'支行汇总'!$G$1", categories: "'支行汇总'!$B$2:$B$3", values: "'支行汇总'!$G$2:$G$3", cached: [0, 0] },
    ]);
    expect(rowsOf(content, '支行汇总')[3]![0]).toBe('合计');

    const trendCharts = chartsOfSheet(p, '月度趋势').map((c) => seriesOf(p.get(c)!));
    expect(trendCharts.map((c) => [c.kind, c.title])).toEqual([
      ['lineChart', '各等级客户数（按月）'],
      ['barChart', '时点资产（万元，按月）'],
    ]);
    // three months in rows 2-4; 普通客户 Sept 5, Oct 5, Nov 6 + 2 = 8; 中银理财 3, 3, 3 + 2 = 5
    expect(trendCharts[0]!.series.map((s) => [s.name, s.values, s.cached])).toEqual([
      ["'月度趋势'!$C$1", "'月度趋势'!$C$2:$C$4", [5, 5, 8]],
      ["'月度趋势'!$D$1", "'月度趋势'!$D$2:$D$4", [3, 3, 5]],
      ["'月度趋势'!$E$1", "'月度趋势'!$E$2:$E$4", [0, 1, 1]],
      ["'月度趋势'!$F$1", "'月度趋势'!$F$2:$F$4", [0, 0, 0]],
    ]);
    expect(trendCharts[0]!.series[0]!.categories).toBe("'月度趋势'!$A$2:$A$4");
    // AUM in 万元: 1,000; 1,100 (11,000,000.50 yuan); 1,334.57 (12,345,678.90 + 1,000,000 yuan)
    expect(trendCharts[1]!.series).toEqual([{ name: "'月度趋势'!$I$1", categories: "'月度趋势'!$A$2:$A$4", values: "'月度趋势'!$I$2:$I$4", cached: [1000, 1100, 1334.57] }]);

    expect(chartsOfSheet(p, '客户经理')).toEqual([]);
    expect(chartsOfSheet(p, '季度考核')).toEqual([]);
    const types = p.get('[Content_Types].xml')!;
    for (const chart of [...branchCharts, ...chartsOfSheet(p, '月度趋势')]) expect(types).toContain(`<Override PartName="/${chart}" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>`);
  });

  it('lets no manager’s name through unmasked, anywhere in the package (cells, shared strings, charts)', async () => {
    const all = [...(await parts(path)).values()].join('\n');
    for (const name of MANAGER_NAMES.slice(0, 3)) expect(all).not.toContain(name);
    // the masked names are there, so the search above looked where names would be
    for (const masked of ['张**', '欧***', '李*']) expect(all).toContain(masked);
  });

  it('replaces the same date’s file on a second run and keeps other dates’ files', async () => {
    const writer = xlsxHeadOfficeWriter(dir);
    const again = sampleContent({ withThirdBranch: true });
    expect(await writer(again)).toBe(path);
    await writer({ ...again, businessDate: '2026-11-11' });
    expect((await readdir(dir)).sort()).toEqual(['总行汇总-2026-11-10.xlsx', '总行汇总-2026-11-11.xlsx']);
    const p = await parts(path);
    // three branches now: rows 2-4, 合计 in row 5
    expect(seriesOf(p.get(chartsOfSheet(p, '支行汇总')[0]!)!).series[0]).toMatchObject({ values: "'支行汇总'!$D$2:$D$4", cached: [6, 2, 5] });
  });

  it('writes the tables and says why when a chart’s columns are missing; draws no chart without a data row', async () => {
    const content = sampleContent();
    const renamed = { ...content, businessDate: '2026-11-12', tabs: content.tabs.map((t) => (t.title === '月度趋势' ? { ...t, rows: [t.rows[0]!.map((h) => (h === '月份' ? '月' : h)), ...t.rows.slice(1)] } : t)) };
    const logged: string[] = [];
    await xlsxHeadOfficeWriter(dir, (m) => logged.push(m))(renamed);
    expect(logged).toEqual([
      expect.stringContaining('月度趋势: no 月份 column or no tier columns between 客户数 and 升级; chart 各等级客户数（按月） not drawn'),
      expect.stringContaining('月度趋势: no 月份 or 时点资产(万元) column; chart 时点资产（万元，按月） not drawn'),
    ]);
    const p = await parts(join(dir, '总行汇总-2026-11-12.xlsx'));
    expect(chartsOfSheet(p, '月度趋势')).toEqual([]);
    expect(chartsOfSheet(p, '支行汇总')).toHaveLength(1);

    const empty = { ...content, businessDate: '2026-11-13', tabs: content.tabs.map((t) => ({ ...t, rows: t.rows.slice(0, 1) })) };
    const report = await writeHeadOfficeWorkbook(dir, empty);
    expect(report.charts).toEqual([]);
    expect(report.problems).toEqual([]);
  });
});
