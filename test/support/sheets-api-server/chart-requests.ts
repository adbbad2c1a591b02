import { z } from 'zod';
import { defineRequest, type AddedRequest } from './added-request.js';
import { badRequest } from './google-error.js';
import { gridRangeSchema, type GridRange } from './request-schemas.js';
import { allocateId, requireSheetId, type SpreadsheetModel } from './spreadsheet-model.js';

/**
 * Embedded charts, as the Sheets v4 reference describes them: AddChartRequest (an EmbeddedChart
 * with its ChartSpec and EmbeddedObjectPosition; chartId optional, random when absent, an error
 * when taken), UpdateChartSpecRequest (the whole spec replaced), DeleteEmbeddedObjectRequest,
 * and `sheets[].charts` in spreadsheets.get (a chart is listed on the sheet its overlay is
 * anchored to). Data is checked as ChartSourceRange documents it: every source a single row or
 * column inside the grid, all sources of one ChartData along the same dimension, and the domain
 * and every series with the same number of sources; BasicChartSpec takes at most one domain.
 *
 * Approximations (a stand-in for the project's own tests): charts are not drawn; only overlay
 * positions are supported (not `newSheet` / `sheetId`); only basicChart specs are checked in
 * depth (other chart types are kept as sent); chart ranges do not move when rows or columns are
 * inserted, deleted or moved (Google moves them).
 */

export interface EmbeddedChart {
  chartId: number;
  spec: Record<string, unknown>;
  position: { overlayPosition: OverlayPosition };
  border?: Record<string, unknown>;
}

interface OverlayPosition {
  anchorCell: { sheetId: number; rowIndex: number; columnIndex: number };
  offsetXPixels?: number;
  offsetYPixels?: number;
  widthPixels: number;
  heightPixels: number;
}

/** the reference's defaults for an overlay's size */
const DEFAULT_WIDTH = 600;
const DEFAULT_HEIGHT = 371;
/** charts get large ids, as Google's random ones are, well apart from sheet ids */
const FIRST_CHART_ID = 700_000_000;

const CHART_TYPES = ['basicChart', 'pieChart', 'bubbleChart', 'candlestickChart', 'orgChart', 'histogramChart', 'waterfallChart', 'treemapChart', 'scorecardChart'] as const;

const chartDataSchema = z.looseObject({ sourceRange: z.object({ sources: z.array(gridRangeSchema).min(1) }).optional() });

const basicChartSchema = z.looseObject({
  chartType: z.enum(['BAR', 'LINE', 'AREA', 'COLUMN', 'SCATTER', 'COMBO', 'STEPPED_AREA']),
  legendPosition: z.enum(['BOTTOM_LEGEND', 'LEFT_LEGEND', 'RIGHT_LEGEND', 'TOP_LEGEND', 'NO_LEGEND']).optional(),
  axis: z.array(z.looseObject({ position: z.enum(['BOTTOM_AXIS', 'LEFT_AXIS', 'RIGHT_AXIS']), title: z.string().optional() })).optional(),
  domains: z.array(z.looseObject({ domain: chartDataSchema, reversed: z.boolean().optional() })).optional(),
  series: z.array(z.looseObject({ series: chartDataSchema, targetAxis: z.enum(['BOTTOM_AXIS', 'LEFT_AXIS', 'RIGHT_AXIS']).optional(), type: z.string().optional() })).optional(),
  headerCount: z.number().int().min(0).optional(),
  stackedType: z.enum(['NOT_STACKED', 'STACKED', 'PERCENT_STACKED']).optional(),
});

export const chartSpecSchema = z
  .looseObject({ title: z.string().optional(), subtitle: z.string().optional(), basicChart: basicChartSchema.optional() })
  .refine((spec) => CHART_TYPES.filter((t) => spec[t] !== undefined).length === 1, { error: 'a chart spec needs exactly one chart type (basicChart, pieChart, …)' });

const positionSchema = z.object({
  newSheet: z.boolean().optional(),
  sheetId: z.number().int().min(0).optional(),
  overlayPosition: z
    .object({
      anchorCell: z.object({ sheetId: z.number().int().default(0), rowIndex: z.number().int().min(0).default(0), columnIndex: z.number().int().min(0).default(0) }),
      offsetXPixels: z.number().int().min(0).optional(),
      offsetYPixels: z.number().int().min(0).optional(),
      widthPixels: z.number().int().min(0).optional(),
      heightPixels: z.number().int().min(0).optional(),
    })
    .optional(),
});

const addChart = defineRequest(
  z.object({ chart: z.object({ chartId: z.number().int().optional(), spec: chartSpecSchema, position: positionSchema, border: z.looseObject({}).optional() }) }),
  (model, { chart }) => {
    const given = [chart.position.newSheet === true, chart.position.sheetId !== undefined, chart.position.overlayPosition !== undefined].filter(Boolean).length;
    if (given !== 1) throw badRequest('A position must set exactly one of newSheet, sheetId or overlayPosition.');
    const overlay = chart.position.overlayPosition;
    if (overlay === undefined) throw badRequest('the test server supports charts with an overlayPosition only.');
    const grid = requireSheetId(model, overlay.anchorCell.sheetId).properties.gridProperties;
    if (overlay.anchorCell.rowIndex >= grid.rowCount || overlay.anchorCell.columnIndex >= grid.columnCount) {
      throw badRequest(`The anchor cell (row ${overlay.anchorCell.rowIndex}, column ${overlay.anchorCell.columnIndex}) is beyond the grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`);
    }
    checkSpec(model, chart.spec);
    const charts = (model.charts ??= []);
    if (chart.chartId !== undefined && charts.some((c) => c.chartId === chart.chartId)) throw badRequest(`An embedded object with ID ${chart.chartId} already exists.`);
    let chartId = chart.chartId;
    while (chartId === undefined || charts.some((c) => c.chartId === chartId)) chartId = FIRST_CHART_ID + allocateId(model);
    const stored: EmbeddedChart = {
      chartId,
      spec: structuredClone(chart.spec) as Record<string, unknown>,
      position: { overlayPosition: { ...structuredClone(overlay), widthPixels: overlay.widthPixels ?? DEFAULT_WIDTH, heightPixels: overlay.heightPixels ?? DEFAULT_HEIGHT } },
    };
    if (chart.border !== undefined) stored.border = structuredClone(chart.border);
    charts.push(stored);
    return { addChart: { chart: structuredClone(stored) } };
  },
);

const updateChartSpec = defineRequest(z.object({ chartId: z.number().int(), spec: chartSpecSchema }), (model, { chartId, spec }) => {
  const chart = model.charts?.find((c) => c.chartId === chartId);
  if (chart === undefined) throw badRequest(`No chart with id: ${chartId}`);
  checkSpec(model, spec);
  chart.spec = structuredClone(spec) as Record<string, unknown>;
  return {};
});

const deleteEmbeddedObject = defineRequest(z.object({ objectId: z.number().int() }), (model, { objectId }) => {
  const at = model.charts?.findIndex((c) => c.chartId === objectId) ?? -1;
  if (at < 0) throw badRequest(`No embedded object with id: ${objectId}`);
  model.charts!.splice(at, 1);
  return {};
});

/** the chart requests, for structural-requests.ts to dispatch */
export const CHART_REQUESTS: Readonly<Record<string, AddedRequest>> = { addChart, updateChartSpec, deleteEmbeddedObject };

/** the charts anchored on a sheet, as spreadsheets.get lists them under sheets[].charts */
export function chartsOnSheet(model: SpreadsheetModel, sheetId: number): EmbeddedChart[] {
  return structuredClone((model.charts ?? []).filter((c) => c.position.overlayPosition.anchorCell.sheetId === sheetId));
}

type ChartSpecInput = z.infer<typeof chartSpecSchema>;

function checkSpec(model: SpreadsheetModel, spec: ChartSpecInput): void {
  const basic = spec.basicChart;
  if (basic === undefined) return;
  const domains = basic.domains ?? [];
  if (domains.length > 1) throw badRequest('Only a single domain is supported.');
  const data: [string, z.infer<typeof chartDataSchema>][] = [...domains.map((d, i): [string, z.infer<typeof chartDataSchema>] => [`domains[${i}]`, d.domain]), ...(basic.series ?? []).map((s, i): [string, z.infer<typeof chartDataSchema>] => [`series[${i}]`, s.series])];
  let count: number | null = null;
  for (const [where, d] of data) {
    const sources = d.sourceRange?.sources;
    if (sources === undefined) throw badRequest(`basicChart.${where}: the test server supports data from a sourceRange only.`);
    if (count !== null && sources.length !== count) throw badRequest(`basicChart.${where}: the domain and all series must have the same number of source ranges.`);
    count = sources.length;
    let along: 'row' | 'column' | null = null;
    for (const [j, source] of sources.entries()) {
      const shape = lineShape(model, source, `basicChart.${where}.sourceRange.sources[${j}]`);
      if (along !== null && shape !== along) throw badRequest(`basicChart.${where}: all sources must have the same dimension with length 1.`);
      along = shape;
    }
  }
}

/** a source range must lie in the grid and be one row or one column (exactly one dimension of length 1) */
function lineShape(model: SpreadsheetModel, range: GridRange, where: string): 'row' | 'column' {
  const grid = requireSheetId(model, range.sheetId).properties.gridProperties;
  const startRow = range.startRowIndex ?? 0;
  const endRow = range.endRowIndex ?? grid.rowCount;
  const startColumn = range.startColumnIndex ?? 0;
  const endColumn = range.endColumnIndex ?? grid.columnCount;
  if (endRow > grid.rowCount || endColumn > grid.columnCount || startRow >= endRow || startColumn >= endColumn) {
    throw badRequest(`${where}: the range is empty or beyond the grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`);
  }
  const oneRow = endRow - startRow === 1;
  const oneColumn = endColumn - startColumn === 1;
  if (oneRow === oneColumn) throw badRequest(`${where}: exactly one dimension of a chart source range must have a length of 1.`);
  return oneColumn ? 'column' : 'row';
}
