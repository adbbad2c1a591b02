import type { CellSpan } from './sheet-snapshot.js';

/**
 * Reading a ledger's header block: the text each column is headed with when the header takes
 * one row or several (a group cell merged over its columns above the column names, a column
 * name merged down over both rows), and whether a row above the header is a title or a group
 * row. Pure; merges are the tab's merged blocks (sheet-snapshot.ts).
 */

export type Grid = readonly (readonly string[])[];

export function textAt(values: Grid, row: number, column: number): string {
  return (values[row - 1]?.[column - 1] ?? '').trim();
}

/** The merge that covers a cell, if any. */
export function mergeAt(merges: readonly CellSpan[], row: number, column: number): CellSpan | null {
  return merges.find((m) => (m.fromRow ?? 1) <= row && row <= (m.toRow ?? Infinity) && (m.fromColumn ?? 1) <= column && column <= (m.toColumn ?? Infinity)) ?? null;
}

/**
 * The header text of a column in header rows `top..bottom`: the lowest row that names it, where a
 * name merged down over several rows counts in each of them, and a group cell merged across
 * several columns names none of them (it is the group, kept apart).
 */
export function columnHeader(values: Grid, merges: readonly CellSpan[], top: number, bottom: number, column: number): { header: string; group: string | null } {
  let header = '';
  let group: string | null = null;
  for (let row = bottom; row >= top; row--) {
    const merge = mergeAt(merges, row, column);
    const across = merge !== null && (merge.toColumn ?? column) > (merge.fromColumn ?? column);
    const text = merge !== null ? textAt(values, merge.fromRow ?? row, merge.fromColumn ?? column) : textAt(values, row, column);
    if (text === '') continue;
    if (across && row < bottom) {
      // a group cell over several columns: the group, never a column's own name
      group ??= text;
      continue;
    }
    if (header !== '') continue;
    // one name merged across columns on the header's last row heads the first of them only
    if (across && (merge?.fromColumn ?? column) !== column) continue;
    header = text;
  }
  return { header, group };
}

/** The last column holding anything in rows `from..to` (merges count to their right edge). */
export function widthOf(values: Grid, merges: readonly CellSpan[], from = 1, to = values.length): number {
  let width = 0;
  for (let row = from; row <= to; row++) {
    const cells = values[row - 1] ?? [];
    for (let c = cells.length; c > width; c--) if ((cells[c - 1] ?? '').trim() !== '') width = c;
  }
  for (const m of merges) if ((m.fromRow ?? 1) <= to && (m.toRow ?? Infinity) >= from && m.toColumn !== undefined) width = Math.max(width, m.toColumn);
  return width;
}

/** The merges of one row that span several columns (group cells, a title across the width). */
function acrossOn(merges: readonly CellSpan[], row: number): CellSpan[] {
  return merges.filter((m) => (m.fromRow ?? 1) === row && (m.toRow ?? row) === row && (m.toColumn ?? 0) > (m.fromColumn ?? 1));
}

const spanWidth = (m: CellSpan) => (m.toColumn ?? Infinity) - (m.fromColumn ?? 1) + 1;

/**
 * Whether a row above the header is a group row of the header (its cells head groups of the
 * columns below: at least one merged across several columns, narrower than the table, and no
 * "制表：" kind of text) rather than a title row (one text across the width, or who made it). A
 * title merged a little narrower than the table (its one text, from column A over most of the
 * width) is still a title.
 */
export function isGroupRow(values: Grid, merges: readonly CellSpan[], row: number, tableWidth: number): boolean {
  const cells = (values[row - 1] ?? []).map((c) => c.trim()).filter((c) => c !== '');
  if (cells.length === 0) return false;
  if (cells.some((c) => /[:：]/.test(c))) return false;
  const across = acrossOn(merges, row);
  if (across.length === 0) return false;
  if (!across.every((m) => spanWidth(m) < tableWidth)) return false;
  const only = across[0]!;
  return !(cells.length === 1 && across.length === 1 && (only.fromColumn ?? 1) === 1 && spanWidth(only) * 2 > tableWidth);
}

/**
 * The header's last row, from the row `keyRow` on which the key column's name is written: the
 * bottom of the key's cell when it is merged down over the header's rows (case A); the rows below
 * when `headerRows` > 1 and the header's group cells are merged across on the key's own row with
 * the columns' names under them and the key's cell below left empty (a two-row header whose
 * first-row names are not merged down); otherwise the key's row (case B: the groups are above it).
 */
export function headerBottomFrom(values: Grid, merges: readonly CellSpan[], keyRow: number, keyColumn: number, headerRows = 2): number {
  const merge = mergeAt(merges, keyRow, keyColumn);
  if (merge !== null && (merge.toRow ?? keyRow) > keyRow) return merge.toRow!;
  if (headerRows < 2) return keyRow;
  const groups = acrossOn(merges, keyRow);
  if (groups.length === 0) return keyRow;
  const below = keyRow + headerRows - 1;
  for (let row = keyRow + 1; row <= below; row++) if (textAt(values, row, keyColumn) !== '' || mergeAt(merges, row, keyColumn) !== null) return keyRow;
  // the second row names the groups' columns and nothing else (a customer's row would fill other columns too)
  const underGroup = (column: number) => groups.some((g) => (g.fromColumn ?? 1) <= column && column <= (g.toColumn ?? 0));
  const filled = (values[keyRow] ?? []).flatMap((text, i) => (text.trim() === '' ? [] : [i + 1]));
  return filled.length > 0 && filled.every(underGroup) ? below : keyRow;
}
