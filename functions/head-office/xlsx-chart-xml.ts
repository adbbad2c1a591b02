import type { HeadOfficeCell } from '../../shared/head-office/consolidation.js';
import { columnLetters } from '../sheets/google-sheets-gateway.js';
import type { HeadOfficeChart } from './head-office-charts.js';

/**
 * The DrawingML parts of a chart in an .xlsx package (ECMA-376 part 1, §21.2 charts and §20.5
 * spreadsheet drawing), as text: exceljs 4.4 writes no charts, so xlsx-charts.ts adds these
 * parts to the package it wrote. Every series refers to its cells by an absolute reference
 * ('月度趋势'!$C$2:$C$13), so Excel, WPS and LibreOffice draw from the sheet; the cached
 * values beside each reference are the same numbers, for viewers that only read the cache.
 * Elements are in the order the schema's sequences require (Excel refuses a file otherwise).
 */

export const CHART_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';
export const DRAWING_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.drawing+xml';
export const CHART_REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart';
export const DRAWING_REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing';

const NS_C = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
const NS_A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_XDR = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const CATEGORY_AXIS_ID = 50_010;
const VALUE_AXIS_ID = 50_020;

/** `'月度趋势'!$C$2:$C$13` for a 0-based column and rows [startRow, endRow) */
export function cellRange(tab: string, column: number, startRow: number, endRow: number): string {
  const letters = columnLetters(column);
  const first = `$${letters}$${startRow + 1}`;
  return endRow - startRow <= 1 ? `${quoteSheet(tab)}!${first}` : `${quoteSheet(tab)}!${first}:$${letters}$${endRow}`;
}

/** the chart part (xl/charts/chartN.xml) for one planned chart, with the tab's rows as the cache */
export function chartXml(chart: HeadOfficeChart, rows: readonly (readonly HeadOfficeCell[])[]): string {
  const dataRows = rows.slice(1, chart.endRow);
  const categories = dataRows.map((row) => text(row[chart.categoryColumn]));
  const categoryRef = cellRange(chart.tab, chart.categoryColumn, 1, chart.endRow);
  const series = chart.seriesColumns.map((column, i) => {
    const name = text(rows[0]?.[column]);
    const values = dataRows.map((row) => row[column]);
    const marker = chart.kind === 'line' ? '<c:marker><c:symbol val="circle"/><c:size val="5"/></c:marker>' : '<c:invertIfNegative val="0"/>';
    return [
      `<c:ser><c:idx val="${i}"/><c:order val="${i}"/>`,
      `<c:tx><c:strRef><c:f>${esc(cellRange(chart.tab, column, 0, 1))}</c:f>${strCache([name])}</c:strRef></c:tx>`,
      marker,
      `<c:cat><c:strRef><c:f>${esc(categoryRef)}</c:f>${strCache(categories)}</c:strRef></c:cat>`,
      `<c:val><c:numRef><c:f>${esc(cellRange(chart.tab, column, 1, chart.endRow))}</c:f>${numCache(values)}</c:numRef></c:val>`,
      chart.kind === 'line' ? '<c:smooth val="0"/>' : '',
      '</c:ser>',
    ].join('');
  });
  const axisIds = `<c:axId val="${CATEGORY_AXIS_ID}"/><c:axId val="${VALUE_AXIS_ID}"/>`;
  const plot =
    chart.kind === 'line'
      ? `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series.join('')}<c:marker val="1"/>${axisIds}</c:lineChart>`
      : `<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>${series.join('')}<c:gapWidth val="150"/>${axisIds}</c:barChart>`;
  return [
    XML_DECLARATION,
    `<c:chartSpace xmlns:c="${NS_C}" xmlns:a="${NS_A}" xmlns:r="${NS_R}">`,
    '<c:roundedCorners val="0"/>',
    '<c:chart>',
    title(chart.title, 1400),
    '<c:autoTitleDeleted val="0"/>',
    '<c:plotArea><c:layout/>',
    plot,
    `<c:catAx><c:axId val="${CATEGORY_AXIS_ID}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/>${title(chart.categoryAxisTitle, 1000)}`,
    `<c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="${VALUE_AXIS_ID}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`,
    `<c:valAx><c:axId val="${VALUE_AXIS_ID}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>${title(chart.valueAxisTitle, 1000)}`,
    `<c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="${CATEGORY_AXIS_ID}"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>`,
    '</c:plotArea>',
    '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>',
    '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/>',
    '</c:chart>',
    '</c:chartSpace>',
  ].join('');
}

/** where a chart sits on its sheet: from and to cells (0-based column and row), as a two-cell anchor */
export interface ChartAnchor {
  /** the drawing's relationship id of the chart part (rId1, …) */
  relId: string;
  name: string;
  from: { column: number; row: number };
  to: { column: number; row: number };
}

/** the drawing part (xl/drawings/drawingN.xml) of one sheet: one graphic frame per chart */
export function drawingXml(anchors: readonly ChartAnchor[]): string {
  const frames = anchors.map((a, i) =>
    [
      '<xdr:twoCellAnchor editAs="oneCell">',
      `<xdr:from><xdr:col>${a.from.column}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${a.from.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>`,
      `<xdr:to><xdr:col>${a.to.column}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${a.to.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>`,
      '<xdr:graphicFrame macro="">',
      `<xdr:nvGraphicFramePr><xdr:cNvPr id="${i + 2}" name="${esc(a.name)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>`,
      '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>',
      `<a:graphic><a:graphicData uri="${NS_C}"><c:chart xmlns:c="${NS_C}" r:id="${a.relId}"/></a:graphicData></a:graphic>`,
      '</xdr:graphicFrame>',
      '<xdr:clientData/>',
      '</xdr:twoCellAnchor>',
    ].join(''),
  );
  return `${XML_DECLARATION}<xdr:wsDr xmlns:xdr="${NS_XDR}" xmlns:a="${NS_A}" xmlns:r="${NS_R}">${frames.join('')}</xdr:wsDr>`;
}

/** a relationships part listing `targets` as rId1, rId2, … of one type */
export function relationshipsXml(relationships: readonly { id: string; type: string; target: string }[]): string {
  const items = relationships.map((r) => `<Relationship Id="${esc(r.id)}" Type="${esc(r.type)}" Target="${esc(r.target)}"/>`);
  return `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items.join('')}</Relationships>`;
}

function title(textValue: string, size: number): string {
  return `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="${size}" b="1"/></a:pPr><a:r><a:rPr lang="zh-CN" sz="${size}" b="1"/><a:t>${esc(textValue)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`;
}

function strCache(values: readonly string[]): string {
  const points = values.map((v, i) => `<c:pt idx="${i}"><c:v>${esc(v)}</c:v></c:pt>`);
  return `<c:strCache><c:ptCount val="${values.length}"/>${points.join('')}</c:strCache>`;
}

/** only numbers are cached; a blank or text cell is a gap, as the sheet would give */
function numCache(values: readonly (HeadOfficeCell | undefined)[]): string {
  const points = values.flatMap((v, i) => (typeof v === 'number' && Number.isFinite(v) ? [`<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`] : []));
  return `<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="${values.length}"/>${points.join('')}</c:numCache>`;
}

function text(cell: HeadOfficeCell | undefined): string {
  return cell === undefined ? '' : String(cell);
}

/** a sheet name in a formula: always quoted, quotes doubled */
function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** XML text and attribute escaping */
export function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
