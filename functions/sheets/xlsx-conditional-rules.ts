import type ExcelJS from 'exceljs';
import type { CellSpan, ConditionalRuleSnapshot } from '../../shared/sheets/sheet-snapshot.js';

/**
 * Conditional formatting of a local workbook, as the port sees it: Google's "text is exactly"
 * rule (TEXT_EQ) is the xlsx rule "cell value equal to" a quoted text, which Excel, WPS and
 * LibreOffice evaluate the same way. References are A1 ranges (`U2:U1048576`), several
 * separated by spaces.
 */

/** the grid of every .xlsx sheet */
export const XLSX_ROWS = 1_048_576;
export const XLSX_COLUMNS = 16_384;

interface RuleLike {
  type?: string;
  operator?: string;
  formulae?: unknown[];
}
interface FormattingLike {
  ref: string;
  rules: RuleLike[];
}

/** exceljs keeps the rules it read and those added in `conditionalFormattings`, which its typings leave out */
function formattingsOf(sheet: ExcelJS.Worksheet): FormattingLike[] {
  const holder = sheet as unknown as { conditionalFormattings?: FormattingLike[] };
  return (holder.conditionalFormattings ??= []);
}

export function conditionalRulesOf(sheet: ExcelJS.Worksheet): ConditionalRuleSnapshot[] {
  const out: ConditionalRuleSnapshot[] = [];
  for (const formatting of formattingsOf(sheet)) {
    const spans = formatting.ref.split(/\s+/).filter((r) => r !== '').map(spanOfRef).filter((s): s is CellSpan => s !== null);
    for (const rule of formatting.rules) {
      const text = textEqualTo(rule);
      out.push(text === null ? { type: `xlsx:${rule.type ?? ''}`, values: [], spans } : { type: 'TEXT_EQ', values: [text], spans });
    }
  }
  return out;
}

/** `"逾期"` as the one formula of an "equal to" rule → 逾期 (doubled quotes undone); null for any other rule */
function textEqualTo(rule: RuleLike): string | null {
  if (rule.type !== 'cellIs' || rule.operator !== 'equal' || rule.formulae?.length !== 1) return null;
  const formula = String(rule.formulae[0]);
  const m = /^"((?:[^"]|"")*)"$/s.exec(formula);
  return m === null ? null : (m[1] as string).replace(/""/g, '"');
}

/** A "text is exactly" rule colouring the span's background (RRGGBB), put first so it wins over the branch's own rules. */
export function addTextRule(sheet: ExcelJS.Worksheet, span: CellSpan, text: string, background: string): void {
  formattingsOf(sheet).unshift({
    ref: refOfSpan(span),
    rules: [{ type: 'cellIs', operator: 'equal', formulae: [`"${text.replace(/"/g, '""')}"`], style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: `FF${background}` } } } } as RuleLike],
  });
}

/** Removes the "text is exactly" rules whose range lies within `column` (the system's colours of a column it is giving up); answers how many. */
export function removeTextRulesOn(sheet: ExcelJS.Worksheet, column: number): number {
  const holder = sheet as unknown as { conditionalFormattings?: FormattingLike[] };
  const before = holder.conditionalFormattings ?? [];
  const kept = before.filter((f) => {
    const span = spanOfRef(f.ref);
    return !(span !== null && span.fromColumn === column && span.toColumn === column && f.rules.every((r) => (r as { type?: string }).type === 'cellIs'));
  });
  holder.conditionalFormattings = kept;
  return before.length - kept.length;
}

/** `U2:U1048576` → {fromRow 2, fromColumn 21, toColumn 21} (a bound at the sheet's edge is left open, as the port's spans are) */
export function spanOfRef(ref: string): CellSpan | null {
  const m = /^\$?([A-Z]*)\$?(\d*)(?::\$?([A-Z]*)\$?(\d*))?$/.exec(ref.trim().toUpperCase());
  if (m === null) return null;
  const [, c1 = '', r1 = '', c2, r2] = m;
  if (c1 === '' && r1 === '') return null;
  const single = c2 === undefined;
  const span: CellSpan = {};
  const fromColumn = c1 === '' ? 1 : columnNumber(c1);
  const toColumn = single ? (c1 === '' ? XLSX_COLUMNS : fromColumn) : c2 === '' ? XLSX_COLUMNS : columnNumber(c2);
  const fromRow = r1 === '' ? 1 : Number(r1);
  const toRow = single ? (r1 === '' ? XLSX_ROWS : fromRow) : r2 === '' || r2 === undefined ? XLSX_ROWS : Number(r2);
  span.fromRow = fromRow;
  span.fromColumn = fromColumn;
  if (toRow < XLSX_ROWS) span.toRow = toRow;
  if (toColumn < XLSX_COLUMNS) span.toColumn = toColumn;
  return span;
}

/** The inverse of spanOfRef: open bounds run to the edge of the sheet. */
export function refOfSpan(span: CellSpan): string {
  const top = span.fromRow ?? 1;
  const bottom = span.toRow ?? XLSX_ROWS;
  const left = span.fromColumn ?? 1;
  const right = span.toColumn ?? XLSX_COLUMNS;
  return `${columnLettersOf(left)}${top}:${columnLettersOf(right)}${bottom}`;
}

/** A → 1, Z → 26, AA → 27 */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** 1 → A, 27 → AA */
export function columnLettersOf(column: number): string {
  let n = column;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/**
 * Workbooks written before the status was coloured by rules had the colour painted into each
 * cell (solid 逾期 red, 今日/本周 amber). Those fills would stay when the text changes, so they
 * are taken off the cells of the span when the rules arrive; any other fill is the branch's.
 */
const LEGACY_STATUS_FILLS = new Set(['FFFFC7CE', 'FFFFEB9C']);

export function clearLegacyStatusFill(cell: ExcelJS.Cell): boolean {
  const fill = cell.style?.fill;
  if (fill?.type !== 'pattern' || fill.pattern !== 'solid' || !LEGACY_STATUS_FILLS.has(String(fill.fgColor?.argb ?? '').toUpperCase())) return false;
  const { fill: _old, ...rest } = cell.style;
  cell.style = rest;
  return true;
}

export function clearLegacyStatusFills(sheet: ExcelJS.Worksheet, span: CellSpan): void {
  const fromColumn = span.fromColumn ?? 1;
  const toColumn = Math.min(span.toColumn ?? XLSX_COLUMNS, sheet.columnCount);
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber < (span.fromRow ?? 1) || rowNumber > (span.toRow ?? XLSX_ROWS)) return;
    for (let column = fromColumn; column <= toColumn; column++) {
      const cell = sheet.findCell(rowNumber, column);
      if (cell !== undefined) clearLegacyStatusFill(cell);
    }
  });
}
