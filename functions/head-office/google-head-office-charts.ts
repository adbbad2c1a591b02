import type { sheets_v4 } from 'googleapis';
import type { ChartKey, HeadOfficeChart } from './head-office-charts.js';

/**
 * The head-office charts on Google Sheets: each planned chart (head-office-charts.ts) becomes a
 * BasicChartSpec over the tab's cells, added once and found again on later runs:
 * 1. by developer metadata on the spreadsheet, key `wealth-ladder.head-office-chart`, value
 *    `<chart key>:<chartId>` (a chart can carry no metadata of its own, so the spreadsheet
 *    remembers which chart is which); a head-office user may rename, restyle or move the chart;
 * 2. when no such metadata exists (e.g. it was deleted), by the chart's title on its tab; the
 *    chart found is then tagged;
 * 3. else the chart is added, reusing the remembered id when the chart was deleted, so the
 *    metadata stays right.
 * A chart found keeps the user's styling: only its data ranges are replaced, and only when the
 * number of rows (or series) changed.
 */

export const CHART_METADATA_KEY = 'wealth-ladder.head-office-chart';

/** chart ids the writer chooses start here (Google's own are random in the int32 range) */
const FIRST_CHART_ID = 1_730_001;
const CHART_WIDTH = 600;
const CHART_HEIGHT = 371;
const CHART_GAP = 29;

export interface ChartsFound {
  /** chart id → the chart as read */
  charts: Map<number, sheets_v4.Schema$EmbeddedChart & { sheetId: number }>;
  /** chart key → chart ids remembered in metadata, oldest first */
  remembered: Map<string, number[]>;
}

export function chartsFound(spreadsheet: sheets_v4.Schema$Spreadsheet): ChartsFound {
  const charts = new Map<number, sheets_v4.Schema$EmbeddedChart & { sheetId: number }>();
  for (const sheet of spreadsheet.sheets ?? []) {
    for (const chart of sheet.charts ?? []) if (typeof chart.chartId === 'number') charts.set(chart.chartId, { ...chart, sheetId: sheet.properties?.sheetId ?? 0 });
  }
  const remembered = new Map<string, number[]>();
  for (const m of spreadsheet.developerMetadata ?? []) {
    if (m.metadataKey !== CHART_METADATA_KEY) continue;
    const parsed = /^(.+):(\d+)$/.exec(m.metadataValue ?? '');
    if (parsed === null) continue;
    remembered.set(parsed[1] as string, [...(remembered.get(parsed[1] as string) ?? []), Number(parsed[2])]);
  }
  return { charts, remembered };
}

export interface ChartRequests {
  requests: sheets_v4.Schema$Request[];
  added: ChartKey[];
  updated: ChartKey[];
}

/**
 * The requests that make the planned charts exist with the right ranges. `sheetIdOf` gives the
 * tab's sheet id (a tab added in the same batch included); `left` the first column free of the
 * table (where the charts go).
 */
export function chartRequests(planned: readonly HeadOfficeChart[], found: ChartsFound, sheetIdOf: (tab: string) => number, left: (tab: string) => number): ChartRequests {
  const out: ChartRequests = { requests: [], added: [], updated: [] };
  const taken = new Set(found.charts.keys());
  for (const chart of planned) {
    const sheetId = sheetIdOf(chart.tab);
    const wanted = chartSpec(chart, sheetId);
    const ids = found.remembered.get(chart.key) ?? [];
    let existing = ids.map((id) => found.charts.get(id)).find((c) => c !== undefined);
    if (existing === undefined && ids.length === 0) {
      existing = [...found.charts.values()].find((c) => c.sheetId === sheetId && c.spec?.title === chart.title);
      if (existing !== undefined) out.requests.push(tag(chart.key, existing.chartId as number));
    }
    if (existing !== undefined) {
      if (!sameData(existing.spec ?? {}, wanted)) {
        out.requests.push({ updateChartSpec: { chartId: existing.chartId as number, spec: withData(existing.spec ?? {}, wanted) } });
        out.updated.push(chart.key);
      }
      continue;
    }
    const reused = ids.find((id) => !taken.has(id));
    let chartId = reused ?? FIRST_CHART_ID;
    while (reused === undefined && taken.has(chartId)) chartId++;
    taken.add(chartId);
    const position = { overlayPosition: { anchorCell: { sheetId, rowIndex: 1, columnIndex: left(chart.tab) }, offsetYPixels: chart.slot * (CHART_HEIGHT + CHART_GAP), widthPixels: CHART_WIDTH, heightPixels: CHART_HEIGHT } };
    out.requests.push({ addChart: { chart: { chartId, spec: wanted, position } } });
    if (reused === undefined) out.requests.push(tag(chart.key, chartId));
    out.added.push(chart.key);
  }
  return out;
}

/** the spec the writer gives a chart: the header row names the series (headerCount 1) */
export function chartSpec(chart: HeadOfficeChart, sheetId: number): sheets_v4.Schema$ChartSpec {
  const line = (column: number): sheets_v4.Schema$ChartData => ({ sourceRange: { sources: [{ sheetId, startRowIndex: 0, endRowIndex: chart.endRow, startColumnIndex: column, endColumnIndex: column + 1 }] } });
  return {
    title: chart.title,
    basicChart: {
      chartType: chart.kind === 'line' ? 'LINE' : 'COLUMN',
      legendPosition: 'BOTTOM_LEGEND',
      headerCount: 1,
      axis: [
        { position: 'BOTTOM_AXIS', title: chart.categoryAxisTitle },
        { position: 'LEFT_AXIS', title: chart.valueAxisTitle },
      ],
      domains: [{ domain: line(chart.categoryColumn) }],
      series: chart.seriesColumns.map((column) => ({ series: line(column), targetAxis: 'LEFT_AXIS' })),
    },
  };
}

/** does the chart draw from the wanted cells (domain and series ranges, in order)? */
export function sameData(existing: sheets_v4.Schema$ChartSpec, wanted: sheets_v4.Schema$ChartSpec): boolean {
  return JSON.stringify(dataOf(existing)) === JSON.stringify(dataOf(wanted));
}

/**
 * The chart as the user left it, drawing from the wanted cells: the spec read back with its
 * domain and series ranges replaced (a series keeps its colour and style by position); a chart
 * changed into another kind than a basic chart is given the writer's spec again.
 */
export function withData(existing: sheets_v4.Schema$ChartSpec, wanted: sheets_v4.Schema$ChartSpec): sheets_v4.Schema$ChartSpec {
  const basic = existing.basicChart;
  const target = wanted.basicChart;
  if (basic === undefined || target === undefined) return wanted;
  return {
    ...existing,
    basicChart: {
      ...basic,
      domains: (target.domains ?? []).map((d, i) => ({ ...basic.domains?.[i], domain: d.domain })),
      series: (target.series ?? []).map((s, i) => ({ ...(basic.series?.[i] ?? { targetAxis: s.targetAxis }), series: s.series })),
    },
  };
}

function dataOf(spec: sheets_v4.Schema$ChartSpec): unknown {
  const sources = (d: sheets_v4.Schema$ChartData | undefined) => (d?.sourceRange?.sources ?? []).map(normalRange);
  return { domains: (spec.basicChart?.domains ?? []).map((d) => sources(d.domain)), series: (spec.basicChart?.series ?? []).map((s) => sources(s.series)) };
}

/** a GridRange with the API's omitted zero values filled in, so a range read back compares equal */
function normalRange(r: sheets_v4.Schema$GridRange): (number | null)[] {
  return [r.sheetId ?? 0, r.startRowIndex ?? 0, r.endRowIndex ?? null, r.startColumnIndex ?? 0, r.endColumnIndex ?? null];
}

function tag(key: ChartKey, chartId: number): sheets_v4.Schema$Request {
  return { createDeveloperMetadata: { developerMetadata: { metadataKey: CHART_METADATA_KEY, metadataValue: `${key}:${chartId}`, location: { spreadsheet: true }, visibility: 'DOCUMENT' } } };
}
