/**
 * A1 notation as the Sheets API reads it: `Tab!A1:B2`, `'客户名单'!A1:Z`, `'It''s'!B2`, `Tab!A:C`,
 * `Tab!2:5`, `Tab` (the whole tab) and `A1:B2` (the first tab). Bounds are 0-based with an
 * exclusive end, like a GridRange; an undefined bound is open (to the edge of the grid).
 */

export interface GridBounds {
  startRowIndex?: number;
  endRowIndex?: number;
  startColumnIndex?: number;
  endColumnIndex?: number;
}

export type ParsedA1 =
  /** a tab only: `'Tab'`, or unquoted text that is not a cell reference (`客户名单`, `Sheet1`) */
  | { kind: 'sheet'; sheetTitle: string }
  /** `Tab!A1:B2`, or `A1:B2` with no tab (sheetTitle undefined: the first tab) */
  | { kind: 'grid'; sheetTitle: string | undefined; bounds: GridBounds }
  /** unquoted `AB12` with no `!`: a tab of that name if one exists, else a cell of the first tab */
  | { kind: 'sheetOrGrid'; sheetTitle: string; bounds: GridBounds };

export type A1ParseResult = { ok: true; range: ParsedA1 } | { ok: false; message: string };

/** the largest column Sheets accepts (ZZZ) and the largest row (10 million cells, 1 column) */
const MAX_COLUMNS = 18_278;
const MAX_ROWS = 10_000_000;

interface Endpoint {
  column?: number;
  row?: number;
}

/** Parses one A1 range; a parse failure is a value with the API's own message. */
export function parseA1Range(text: string): A1ParseResult {
  const fail = (): A1ParseResult => ({ ok: false, message: `Unable to parse range: ${text}` });
  if (text.trim() === '') return fail();

  let sheetTitle: string | undefined;
  let cells: string | undefined;
  if (text.startsWith("'")) {
    const closed = readQuoted(text);
    if (closed === undefined) return fail();
    sheetTitle = closed.title;
    const rest = text.slice(closed.end);
    if (rest === '') return sheetTitle === '' ? fail() : { ok: true, range: { kind: 'sheet', sheetTitle } };
    if (!rest.startsWith('!')) return fail();
    cells = rest.slice(1);
  } else {
    const bang = text.lastIndexOf('!');
    if (bang >= 0) {
      sheetTitle = text.slice(0, bang);
      cells = text.slice(bang + 1);
      if (sheetTitle.includes("'")) return fail();
    } else {
      const bounds = parseCells(text);
      if (bounds === undefined) return { ok: true, range: { kind: 'sheet', sheetTitle: text } };
      return { ok: true, range: { kind: 'sheetOrGrid', sheetTitle: text, bounds } };
    }
  }
  if (sheetTitle === '') return fail();
  const bounds = parseCells(cells);
  if (bounds === undefined) return fail();
  return { ok: true, range: { kind: 'grid', sheetTitle, bounds } };
}

/** `'It''s'!B2` → title `It's`, end = index after the closing quote */
function readQuoted(text: string): { title: string; end: number } | undefined {
  let title = '';
  let i = 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "'") {
      if (text[i + 1] === "'") {
        title += "'";
        i += 2;
        continue;
      }
      return { title, end: i + 1 };
    }
    title += ch;
    i += 1;
  }
  return undefined;
}

function parseCells(cells: string): GridBounds | undefined {
  const parts = cells.split(':');
  if (parts.length > 2) return undefined;
  const start = parseEndpoint(parts[0] as string);
  if (start === undefined) return undefined;
  if (parts.length === 1) {
    // a single reference must name one cell: `B2`, not `B` or `2`
    if (start.column === undefined || start.row === undefined) return undefined;
    return { startRowIndex: start.row, endRowIndex: start.row + 1, startColumnIndex: start.column, endColumnIndex: start.column + 1 };
  }
  const end = parseEndpoint(parts[1] as string);
  if (end === undefined) return undefined;
  // `A:5` and `1:B` mix a column with a row and name nothing
  const columnOnly = (e: Endpoint) => e.column !== undefined && e.row === undefined;
  const rowOnly = (e: Endpoint) => e.row !== undefined && e.column === undefined;
  if ((columnOnly(start) && rowOnly(end)) || (rowOnly(start) && columnOnly(end))) return undefined;

  const bounds: GridBounds = {};
  const [c0, c1] = ordered(start.column, end.column);
  const [r0, r1] = ordered(start.row, end.row);
  if (c0 !== undefined) bounds.startColumnIndex = c0;
  if (c1 !== undefined) bounds.endColumnIndex = c1 + 1;
  if (r0 !== undefined) bounds.startRowIndex = r0;
  if (r1 !== undefined) bounds.endRowIndex = r1 + 1;
  return bounds;
}

/** `B2:A1` means `A1:B2`, as in the Sheets UI */
function ordered(a: number | undefined, b: number | undefined): [number | undefined, number | undefined] {
  if (a !== undefined && b !== undefined && a > b) return [b, a];
  return [a, b];
}

function parseEndpoint(text: string): Endpoint | undefined {
  const match = /^([A-Za-z]{0,3})([0-9]*)$/.exec(text);
  if (match === null) return undefined;
  const letters = match[1] as string;
  const digits = match[2] as string;
  if (letters === '' && digits === '') return undefined;
  const endpoint: Endpoint = {};
  if (letters !== '') {
    const column = columnIndex(letters);
    if (column >= MAX_COLUMNS) return undefined;
    endpoint.column = column;
  }
  if (digits !== '') {
    const row = Number(digits);
    if (row < 1 || row > MAX_ROWS) return undefined;
    endpoint.row = row - 1;
  }
  return endpoint;
}

/** `A` → 0, `Z` → 25, `AA` → 26 (case-insensitive) */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/**
 * 0 → `A`, 25 → `Z`, 26 → `AA`. Deliberately not shared with functions/sheets: this server
 * stands in for Google, and a bug common to the client code and its test double would hide.
 */
export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * A tab title as the API writes it back in a range: bare when it is plain ASCII letters and
 * digits that cannot be read as a cell (`Sheet1`), else quoted with quotes doubled.
 */
export function formatSheetTitle(title: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && parseCells(title) === undefined) return title;
  return `'${title.replace(/'/g, "''")}'`;
}

/** A concrete range back in A1: `'客户名单'!A1:C3`; a one-cell range is written `Tab!B2`. */
export function formatA1Range(title: string, bounds: Required<GridBounds>): string {
  const start = `${columnLetters(bounds.startColumnIndex)}${bounds.startRowIndex + 1}`;
  const end = `${columnLetters(bounds.endColumnIndex - 1)}${bounds.endRowIndex}`;
  const cells = bounds.endRowIndex - bounds.startRowIndex === 1 && bounds.endColumnIndex - bounds.startColumnIndex === 1 ? start : `${start}:${end}`;
  return `${formatSheetTitle(title)}!${cells}`;
}
