/**
 * An adopted ledger's binding and header, read the way the server reads them. Apps Script cannot
 * import shared/, so these are copies of shared/sheets/ledger-binding.ts (bindingFromText),
 * ledger-synonyms.ts (normalizeLedgerHeader), ledger-header.ts (headerBottomFrom) and the header
 * search of ledger-grid.ts (customerGridOf); test/appsscript/ledger-rules-drift.test.ts runs both
 * on the same grids, so they cannot drift. Pure: `values` are the tab's cells as displayed text
 * ('' in a merged block's other cells, as Google gives them), `merges` its merged blocks.
 */

interface LedgerBinding {
  version: number;
  /** the header's last row: data starts below it */
  headerRow: number;
  headerRows: number;
  /** the key column's header text on the branch's sheet (客户编号, …) */
  keyHeader: string;
  missing: string;
}

/** a merged block, 1-based and inclusive */
interface LedgerSpan {
  fromRow: number;
  toRow: number;
  fromColumn: number;
  toColumn: number;
}

/** The stored binding, or null when it is not one this version reads (the server then treats the tab as the system's own layout). */
function ledgerBindingFromText(text: string | null | undefined): LedgerBinding | null {
  if (text === null || text === undefined || text === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const b = value as { [key: string]: unknown };
  // a strict object: every field, and nothing else
  if (Object.keys(b).sort().join(',') !== 'headerRow,headerRows,keyHeader,missing,version') return null;
  const whole = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  if (b['version'] !== LEDGER_BINDING_VERSION || !whole(b['headerRow'], 1, 1000) || !whole(b['headerRows'], 1, 5)) return null;
  const keyHeader = b['keyHeader'];
  if (typeof keyHeader !== 'string' || keyHeader.length < 1 || keyHeader.length > 200) return null;
  if (b['missing'] !== 'list' && b['missing'] !== 'append') return null;
  return { version: LEDGER_BINDING_VERSION, headerRow: b['headerRow'] as number, headerRows: b['headerRows'] as number, keyHeader, missing: b['missing'] as string };
}

/** A header as compared: NFKC, no whitespace, no trailing bracketed note, colon or `*`, no leading `*`, Latin in lower case. */
function normalizeLedgerHeader(text: string): string {
  let t = text.normalize('NFKC').replace(/\s+/g, '').replace(/^[*＊]+/u, '');
  for (let before = ''; before !== t; ) {
    before = t;
    t = t.replace(/[([【][^()[\]【】]*[)\]】]$/u, '').replace(/[:：*＊]+$/u, '');
  }
  return t.toLowerCase();
}

function ledgerText(values: readonly (readonly string[])[], row: number, column: number): string {
  return (values[row - 1]?.[column - 1] ?? '').trim();
}

function ledgerMergeAt(merges: readonly LedgerSpan[], row: number, column: number): LedgerSpan | null {
  for (const m of merges) if (m.fromRow <= row && row <= m.toRow && m.fromColumn <= column && column <= m.toColumn) return m;
  return null;
}

/**
 * The header's last row, from the row on which the key column's name is written: the bottom of
 * the key's cell when it is merged down; with a header of several rows whose group cells are
 * merged across on the key's own row and the columns' names under them (the key's cell below
 * empty), the rows below; otherwise the key's row.
 */
function ledgerHeaderBottom(values: readonly (readonly string[])[], merges: readonly LedgerSpan[], keyRow: number, keyColumn: number, headerRows: number): number {
  const merge = ledgerMergeAt(merges, keyRow, keyColumn);
  if (merge !== null && merge.toRow > keyRow) return merge.toRow;
  if (headerRows < 2) return keyRow;
  const groups = merges.filter((m) => m.fromRow === keyRow && m.toRow === keyRow && m.toColumn > m.fromColumn);
  if (groups.length === 0) return keyRow;
  const below = keyRow + headerRows - 1;
  for (let row = keyRow + 1; row <= below; row++) if (ledgerText(values, row, keyColumn) !== '' || ledgerMergeAt(merges, row, keyColumn) !== null) return keyRow;
  // the second row names the groups' columns and nothing else (a customer's row would fill other columns too)
  const underGroup = (column: number) => groups.some((g) => g.fromColumn <= column && column <= g.toColumn);
  const filled: number[] = [];
  (values[keyRow] ?? []).forEach((text, i) => {
    if (text.trim() !== '') filled.push(i + 1);
  });
  return filled.length > 0 && filled.every(underGroup) ? below : keyRow;
}

/**
 * The bound ledger's header row now: where the binding says, if the key column still names
 * `keyHeader` there; else the first row within HEADER_RESEARCH_ROWS that names it (rows were
 * inserted or deleted above), its header's last row; else the stored row when the key's header
 * was retyped there (with the new text); null when none is (the header was deleted, or moved and
 * renamed at once: nothing is sent, the server writes nothing either).
 */
function findLedgerHeaderRow(values: readonly (readonly string[])[], merges: readonly LedgerSpan[], binding: LedgerBinding, keyColumn: number): { headerRow: number; keyHeader: string } | null {
  const wanted = normalizeLedgerHeader(binding.keyHeader);
  const namedOn = (row: number) => normalizeLedgerHeader(ledgerText(values, row, keyColumn)) === wanted;
  const bottomFrom = (row: number) => ledgerHeaderBottom(values, merges, row, keyColumn, binding.headerRows);
  const top = Math.max(1, binding.headerRow - binding.headerRows + 1);
  for (let row = top; row <= binding.headerRow; row++) {
    if (namedOn(row) && bottomFrom(row) === binding.headerRow) return { headerRow: binding.headerRow, keyHeader: binding.keyHeader };
  }
  for (let row = 1; row <= Math.min(values.length, HEADER_RESEARCH_ROWS); row++) if (namedOn(row)) return { headerRow: bottomFrom(row), keyHeader: binding.keyHeader };
  // the key's header retyped where it was (客户编号 → 客户代码): a short text on the stored header
  // rows that reads as a header — no digit, no totals word or note, no title merged across
  for (let row = top; row <= binding.headerRow; row++) {
    const text = ledgerText(values, row, keyColumn);
    if (text === '') continue;
    const merge = ledgerMergeAt(merges, row, keyColumn);
    const acrossColumns = merge !== null && merge.fromColumn !== merge.toColumn;
    const readsAsHeader = !/\d/u.test(text) && Array.from(text).length <= LEDGER_MAX_HEADER_LENGTH && !isLedgerTotalsRow([text], 1) && !isLedgerNoteRow([text], 1) && !acrossColumns;
    return readsAsHeader && bottomFrom(row) === binding.headerRow ? { headerRow: binding.headerRow, keyHeader: text } : null;
  }
  return null;
}

/** the longest text taken for a retyped key header (shared/sheets/ledger-grid.ts MAX_HEADER_LENGTH) */
const LEDGER_MAX_HEADER_LENGTH = 20;
