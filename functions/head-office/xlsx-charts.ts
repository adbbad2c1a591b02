import JSZip from 'jszip';
import { CHART_CONTENT_TYPE, CHART_REL_TYPE, DRAWING_CONTENT_TYPE, DRAWING_REL_TYPE, drawingXml, relationshipsXml, type ChartAnchor } from './xlsx-chart-xml.js';

/**
 * Adds charts to an .xlsx package that exceljs wrote (an .xlsx is a zip of XML parts): for each
 * sheet with charts, one drawing part holding a graphic frame per chart, the chart parts, the
 * relationships sheet → drawing → chart, the content types, and the sheet's `<drawing r:id>`.
 * Sheets are found by name through xl/workbook.xml and its relationships, never by file
 * number. Parts are numbered after any the package already has.
 */

export interface ChartPart {
  /** the sheet's name, as in the workbook */
  sheet: string;
  /** the chart part's XML (xlsx-chart-xml.ts chartXml) */
  xml: string;
  name: string;
  from: ChartAnchor['from'];
  to: ChartAnchor['to'];
}

export interface AddedCharts {
  buffer: Buffer;
  /** the part of each chart, in the order the charts were given */
  chartPaths: string[];
  /** one drawing per sheet with charts */
  drawings: { sheet: string; sheetPath: string; drawingPath: string }[];
}

export async function addChartsToXlsx(xlsx: Buffer | Uint8Array, charts: readonly ChartPart[]): Promise<AddedCharts> {
  const zip = await JSZip.loadAsync(xlsx);
  const sheetPaths = await sheetPathsByName(zip);
  const bySheet = new Map<string, ChartPart[]>();
  for (const chart of charts) bySheet.set(chart.sheet, [...(bySheet.get(chart.sheet) ?? []), chart]);

  const contentTypes: { path: string; type: string }[] = [];
  const drawings: AddedCharts['drawings'] = [];
  const pathOf = new Map<ChartPart, string>();
  for (const [sheet, sheetCharts] of bySheet) {
    const sheetPath = sheetPaths.get(sheet);
    if (sheetPath === undefined) throw new Error(`xlsx charts: the workbook has no sheet named ${sheet}`);
    const sheetXml = await readPart(zip, sheetPath);
    if (/<drawing\b/.test(sheetXml)) throw new Error(`xlsx charts: sheet ${sheet} (${sheetPath}) already has a drawing; adding to it is not supported`);

    const drawingPath = `xl/drawings/drawing${freeNumber(zip, 'xl/drawings/drawing')}.xml`;
    const chartPaths: string[] = [];
    const anchors: ChartAnchor[] = [];
    for (const [i, chart] of sheetCharts.entries()) {
      const chartPath = `xl/charts/chart${freeNumber(zip, 'xl/charts/chart')}.xml`;
      zip.file(chartPath, chart.xml);
      chartPaths.push(chartPath);
      pathOf.set(chart, chartPath);
      contentTypes.push({ path: chartPath, type: CHART_CONTENT_TYPE });
      anchors.push({ relId: `rId${i + 1}`, name: chart.name, from: chart.from, to: chart.to });
    }
    zip.file(drawingPath, drawingXml(anchors));
    zip.file(relsPathOf(drawingPath), relationshipsXml(chartPaths.map((p, i) => ({ id: `rId${i + 1}`, type: CHART_REL_TYPE, target: `../charts/${baseName(p)}` }))));
    contentTypes.push({ path: drawingPath, type: DRAWING_CONTENT_TYPE });

    const sheetRelsPath = relsPathOf(sheetPath);
    const existingRels = zip.file(sheetRelsPath) === null ? null : await readPart(zip, sheetRelsPath);
    const drawingRelId = freeRelId(existingRels ?? '');
    const drawingRel = `<Relationship Id="${drawingRelId}" Type="${DRAWING_REL_TYPE}" Target="../drawings/${baseName(drawingPath)}"/>`;
    zip.file(sheetRelsPath, existingRels === null ? relationshipsXml([{ id: drawingRelId, type: DRAWING_REL_TYPE, target: `../drawings/${baseName(drawingPath)}` }]) : existingRels.replace('</Relationships>', `${drawingRel}</Relationships>`));
    zip.file(sheetPath, withDrawing(sheetXml, drawingRelId));
    drawings.push({ sheet, sheetPath, drawingPath });
  }

  const types = await readPart(zip, '[Content_Types].xml');
  const overrides = contentTypes.map((c) => `<Override PartName="/${c.path}" ContentType="${c.type}"/>`).join('');
  zip.file('[Content_Types].xml', types.replace('</Types>', `${overrides}</Types>`));
  const buffer = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  return { buffer, chartPaths: charts.map((c) => pathOf.get(c) as string), drawings };
}

/** sheet name → its part's path (xl/worksheets/sheet1.xml), from the workbook and its relationships */
export async function sheetPathsByName(zip: JSZip): Promise<Map<string, string>> {
  const workbook = await readPart(zip, 'xl/workbook.xml');
  const rels = await readPart(zip, 'xl/_rels/workbook.xml.rels');
  const targets = new Map<string, string>();
  for (const tag of rels.match(/<Relationship\b[^>]*>/g) ?? []) {
    const a = attributes(tag);
    const id = a.get('Id');
    const target = a.get('Target');
    if (id !== undefined && target !== undefined) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const paths = new Map<string, string>();
  for (const tag of workbook.match(/<sheet\b[^>]*>/g) ?? []) {
    const a = attributes(tag);
    const name = a.get('name');
    const target = targets.get(a.get('r:id') ?? '');
    if (name !== undefined && target !== undefined) paths.set(name, target);
  }
  return paths;
}

/** the relationships part of a part: xl/worksheets/sheet1.xml → xl/worksheets/_rels/sheet1.xml.rels */
export function relsPathOf(partPath: string): string {
  const at = partPath.lastIndexOf('/');
  return `${partPath.slice(0, at)}/_rels/${partPath.slice(at + 1)}.rels`;
}

/** an element's attributes, XML entities decoded */
export function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:]+)="([^"]*)"/g)) out.set(m[1] as string, unescapeXml(m[2] as string));
  return out;
}

/**
 * The sheet with `<drawing r:id>` where CT_Worksheet's sequence wants it: after everything up
 * to headerFooter / breaks / ignoredErrors, before legacyDrawing, picture, oleObjects,
 * tableParts and extLst (whichever comes first), else just before the end.
 */
function withDrawing(sheetXml: string, relId: string): string {
  let xml = sheetXml;
  const root = /<worksheet\b[^>]*>/.exec(xml);
  if (root !== null && !root[0].includes('xmlns:r=')) {
    xml = xml.replace(root[0], root[0].replace(/>$/, ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'));
  }
  const element = `<drawing r:id="${relId}"/>`;
  const later = /<(legacyDrawing|legacyDrawingHF|drawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)\b/.exec(xml);
  const at = later !== null ? later.index : xml.lastIndexOf('</worksheet>');
  if (at < 0) throw new Error('xlsx charts: a sheet part without </worksheet>');
  return `${xml.slice(0, at)}${element}${xml.slice(at)}`;
}

function freeNumber(zip: JSZip, prefix: string): number {
  let n = 1;
  while (zip.file(`${prefix}${n}.xml`) !== null) n++;
  return n;
}

function freeRelId(relsXml: string): string {
  const used = new Set([...relsXml.matchAll(/Id="([^"]*)"/g)].map((m) => m[1]));
  let n = 1;
  while (used.has(`rId${n}`)) n++;
  return `rId${n}`;
}

async function readPart(zip: JSZip, path: string): Promise<string> {
  const file = zip.file(path);
  if (file === null) throw new Error(`xlsx charts: the package has no ${path}`);
  return file.async('string');
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function unescapeXml(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}
