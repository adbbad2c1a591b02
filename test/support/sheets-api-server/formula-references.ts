import type { SpreadsheetModel } from './spreadsheet-model.js';

/**
 * Formulas follow the cells they name when rows or columns are inserted or deleted, as in any
 * spreadsheet: `=SUM(I5:I12)` becomes `=SUM(J5:J12)` when a column is inserted before I, and a
 * reference to a deleted cell becomes `#REF!`. Every formula of the spreadsheet is looked at,
 * since another tab's formula may name the tab that changed (`='管户台账'!B5`).
 *
 * What is understood: A1 cell references and ranges of cells (`B5`, `$B$5`, `B5:C12`), and
 * column ranges (`B:D`), each with or without a tab (`Tab!`, `'A tab'!`); text in double quotes
 * is left alone. Approximations: row ranges (`5:12`), named ranges, R1C1, INDIRECT's text and
 * references inside array literals are not moved; a range that loses its first or last row to a
 * deletion shrinks (as spreadsheets do), one that loses all of them becomes `#REF!`; sortRange
 * and moveDimension carry formulas as text without rewriting them.
 */

export interface DimensionChange {
  /** the title of the tab whose rows or columns change */
  title: string;
  dimension: 'ROWS' | 'COLUMNS';
  kind: 'insert' | 'delete';
  /** 0-based first index inserted or deleted */
  start: number;
  count: number;
}

const SHEET = String.raw`(?:'(?:[^']|'')+'|[\p{L}_][\p{L}\p{N}_.]*)!`;
const CELL = String.raw`\$?[A-Za-z]{1,3}\$?[0-9]+`;
const COLUMN = String.raw`\$?[A-Za-z]{1,3}`;
/** a string literal, or a reference (with its tab) not inside a name or a function call */
const TOKEN = new RegExp(String.raw`"(?:[^"]|"")*"|(?<![\p{L}\p{N}_.$:!'])(${SHEET})?(${CELL}(?::${CELL})?|${COLUMN}:${COLUMN})(?![\p{L}\p{N}_(!:])`, 'gu');

/** Moves the references of every formula of the spreadsheet for one insertion or deletion. */
export function shiftFormulas(model: SpreadsheetModel, change: DimensionChange): void {
  for (const sheet of model.sheets) {
    for (const row of sheet.cells) {
      if (row === undefined) continue;
      for (const cell of row) {
        if (cell?.formula !== true || typeof cell.value !== 'string') continue;
        cell.value = shiftFormula(cell.value, sheet.properties.title, change);
      }
    }
  }
}

/** One formula, written on tab `ownTitle`, with its references moved. */
export function shiftFormula(formula: string, ownTitle: string, change: DimensionChange): string {
  return formula.replace(TOKEN, (whole: string, sheet: string | undefined, reference: string | undefined) => {
    if (reference === undefined) return whole; // a string literal
    const title = sheet === undefined ? ownTitle : unquote(sheet.slice(0, -1));
    if (title.toLocaleLowerCase() !== change.title.toLocaleLowerCase()) return whole;
    const moved = shiftReference(reference, change);
    return moved === null ? '#REF!' : `${sheet ?? ''}${moved}`;
  });
}

function unquote(title: string): string {
  return title.startsWith("'") ? title.slice(1, -1).replace(/''/g, "'") : title;
}

interface Endpoint {
  columnAbsolute: boolean;
  column: number;
  rowAbsolute: boolean;
  /** 0-based; absent in a column range */
  row?: number;
}

function parseEndpoint(text: string): Endpoint {
  const m = /^(\$?)([A-Za-z]{1,3})(\$?)([0-9]*)$/.exec(text) as RegExpExecArray;
  const column = [...(m[2] as string).toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const endpoint: Endpoint = { columnAbsolute: m[1] === '$', column, rowAbsolute: m[3] === '$' };
  if (m[4] !== '') endpoint.row = Number(m[4]) - 1;
  return endpoint;
}

function formatEndpoint(e: Endpoint): string {
  let n = e.column + 1;
  let letters = '';
  while (n > 0) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return `${e.columnAbsolute ? '$' : ''}${letters}${e.row === undefined ? '' : `${e.rowAbsolute ? '$' : ''}${e.row + 1}`}`;
}

/** the reference moved, or null when what it named was deleted */
function shiftReference(reference: string, change: DimensionChange): string | null {
  const parts = reference.split(':').map(parseEndpoint);
  const first = parts[0] as Endpoint;
  const last = parts[1] ?? first;
  const columnRange = first.row === undefined;
  if (columnRange && change.dimension === 'ROWS') return reference;
  const get = (e: Endpoint) => (change.dimension === 'ROWS' ? (e.row as number) : e.column);
  const set = (e: Endpoint, i: number) => (change.dimension === 'ROWS' ? (e.row = i) : (e.column = i));
  const [a, b] = [get(first), get(last)];
  const end = change.start + change.count;
  if (change.kind === 'insert') {
    set(first, a >= change.start ? a + change.count : a);
    set(last, b >= change.start ? b + change.count : b);
  } else {
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    const newLow = low >= end ? low - change.count : low >= change.start ? change.start : low;
    const newHigh = high >= end ? high - change.count : high >= change.start ? change.start - 1 : high;
    if (newLow > newHigh) return null;
    set(first, a <= b ? newLow : newHigh);
    set(last, a <= b ? newHigh : newLow);
  }
  return parts.length === 1 ? formatEndpoint(first) : `${formatEndpoint(first)}:${formatEndpoint(last)}`;
}
