import { columnRole, CUSTOMER_TAB, KEY_HEADER, LIST_TABS, MISSING_TAB, type ColumnRole } from './branch-layout.js';
import { columnHeader, headerBottomFrom, isGroupRow, mergeAt, textAt, widthOf, type Grid } from './ledger-header.js';
import { LEDGER_BINDING_VERSION, type LedgerBinding, type MissingMode } from './ledger-binding.js';
import { isHeaderWord, normalizeLedgerHeader, type SynonymTable } from './ledger-synonyms.js';
import { ledgerTable, type LedgerTable } from './ledger-table.js';
import type { SpreadsheetSnapshot, TabSnapshot } from './sheet-snapshot.js';

/**
 * Proposes how to adopt a branch's own ledger: which tab holds the customers, which rows are the
 * header (title rows above it told apart from a group row of a two-row header), which column is
 * the key, which of the branch's columns are layout columns (by the synonym table, or the
 * operator's explicit mapping), and where the table ends. Nothing ambiguous is guessed: two tabs
 * or two header rows with a key, two key columns, a missing key stop the proposal with what was
 * found, and the operator's `tab`, `headerRow` or `map` settles it; two columns for one editable
 * field leave that field unbound and say so. What is not a choice is not asked: a key word alone on
 * its row (a 说明 tab listing the columns) is no table's header, and a header printed again further
 * down repeats the first one cell for cell. Pure: it reads a snapshot and writes nothing.
 */

export type LedgerColumnRole = ColumnRole | 'own';

export interface ProposedColumn {
  column: number;
  /** A, B, …, AA */
  letter: string;
  /** the branch's header text for the column ('' for a column without one) */
  header: string;
  /** the group cell above it in a two-row header, if any */
  group: string | null;
  role: LedgerColumnRole;
  /** the layout column it is bound to, null for the branch's own */
  field: string | null;
  /** how: by a synonym, by the operator's mapping */
  by: 'synonym' | 'map' | null;
}

export interface BindingNote {
  code: BindingNoteCode;
  zh: string;
  en: string;
}

export type BindingNoteCode =
  | 'NO_KEY_COLUMN'
  | 'AMBIGUOUS_TAB'
  | 'AMBIGUOUS_HEADER_ROW'
  | 'AMBIGUOUS_KEY'
  | 'AMBIGUOUS_FIELD'
  | 'TAB_NOT_FOUND'
  | 'HEADER_ROW_WITHOUT_KEY'
  | 'MAP_COLUMN_NOT_FOUND'
  | 'MAP_FIELD_UNKNOWN'
  | 'MAP_FIELD_TWICE'
  | 'SAME_NAME_AS_COMPUTED'
  | 'NOTHING_ELSE_BOUND'
  | 'ALREADY_BOUND';

export interface LedgerProposal {
  sheetId: number;
  tab: string;
  /** the header's last row; data starts below it */
  headerRow: number;
  headerRows: number;
  /** rows above the header: titles, who made the sheet */
  titleRows: number[];
  keyColumn: number;
  columns: ProposedColumn[];
  /** column → the layout column it is to be tagged as */
  tags: Map<number, string>;
  binding: LedgerBinding;
  table: LedgerTable;
  /** things worth knowing that did not stop the proposal */
  notes: BindingNote[];
}

export type ProposalResult = { ok: true; proposal: LedgerProposal } | { ok: false; problems: BindingNote[] };

export interface ColumnMapping {
  /** the branch's header text, or a column letter */
  theirs: string;
  /** a layout column (客户号, 手机号码, 当前等级, …), or null: the branch's own */
  layout: string | null;
}

export interface ProposeOptions {
  synonyms: SynonymTable;
  tab?: string;
  headerRow?: number;
  map?: readonly ColumnMapping[];
  missing?: MissingMode;
}

/** how far down a header is looked for */
export const HEADER_SEARCH_ROWS = 30;

const SYSTEM_TABS = new Set<string>([...LIST_TABS.map((t) => t.name), MISSING_TAB]);

export function proposeBinding(snapshot: SpreadsheetSnapshot, options: ProposeOptions): ProposalResult {
  const tabs = snapshot.tabs.filter((t) => !SYSTEM_TABS.has(t.tabTag ?? '') && !(t.tabTag === null && SYSTEM_TABS.has(t.title)));
  if (options.tab !== undefined) {
    const wanted = tabs.find((t) => t.title === options.tab) ?? tabs.find((t) => t.title.trim().toLocaleLowerCase() === options.tab?.trim().toLocaleLowerCase());
    if (wanted === undefined) return fail('TAB_NOT_FOUND', `找不到名为“${options.tab}”的工作表（现有：${snapshot.tabs.map((t) => t.title).join('、')}）`, `no tab named "${options.tab}" (tabs: ${snapshot.tabs.map((t) => t.title).join(', ')})`);
    return proposeOnTab(wanted, options);
  }
  const found = tabs.map((tab) => ({ tab, rows: keyRows(tab, options) })).filter((t) => t.rows.length > 0);
  if (found.length === 0) {
    if (mappedKeyOf(options).length > 0) return mapKeyNotFound(options);
    return fail('NO_KEY_COLUMN', `在各工作表的前 ${HEADER_SEARCH_ROWS} 行都找不到客户号列（如 客户号、客户编号、客户代码、核心客户号、客户ID）；请指定哪一列是客户号（命令行用 --map '表头=客户号'，表格中按提示填写）`, `no key column (客户号, 客户编号, 客户代码, 核心客户号, 客户ID …) in the first ${HEADER_SEARCH_ROWS} rows of any tab; name it with --map 'HEADER=客户号'`);
  }
  const tagged = found.filter((t) => t.tab.tabTag === CUSTOMER_TAB);
  // a key word alone on its row (a 说明 tab listing the columns one per row) is not a table's header
  const headed = found.filter((t) => t.rows.some((r) => headerWordsIn(t.tab.values, r.row, options.synonyms) >= 2));
  if (found.length > 1 && tagged.length !== 1 && headed.length === 1) return proposeOnTab(headed[0]!.tab, options);
  if (found.length > 1 && tagged.length !== 1) {
    const list = found.map((t) => `“${t.tab.title}”第 ${t.rows[0]!.row} 行`).join('、');
    return fail('AMBIGUOUS_TAB', `多个工作表都像客户台账（${list}）；请指定是哪一个工作表（命令行用 --tab，表格中按提示填写）`, `several tabs look like the ledger (${found.map((t) => `${t.tab.title} row ${t.rows[0]!.row}`).join(', ')}); choose one with --tab`);
  }
  return proposeOnTab((tagged[0] ?? found[0])!.tab, options);
}

interface KeyCell {
  row: number;
  column: number;
}

function mappedKeyOf(options: ProposeOptions): string[] {
  return (options.map ?? []).filter((m) => m.layout === KEY_HEADER).map((m) => m.theirs);
}

function mapKeyNotFound(options: ProposeOptions, tab?: string): ProposalResult {
  const named = mappedKeyOf(options).join('、');
  const where = tab === undefined ? '任何工作表' : `工作表“${tab}”`;
  return fail('MAP_COLUMN_NOT_FOUND', `--map 指定为客户号的“${named}”在${where}前 ${HEADER_SEARCH_ROWS} 行都不是表头，也不是有内容的列号；请检查拼写`, `--map names "${named}" as the key, but it is neither a header nor a column letter with text in the first ${HEADER_SEARCH_ROWS} rows of ${tab === undefined ? 'any tab' : `tab "${tab}"`}`);
}

const isLetter = (theirs: string) => /^[A-Za-z]{1,3}$/.test(theirs.trim());

/**
 * The cells in the first rows that name the key: a synonym, or the operator's mapping to 客户号. A
 * key named by its column letter has text on every data row too: its header is the topmost cell
 * of that column with text that is neither part of a merged title nor who made the sheet (制表：…).
 */
function keyRows(tab: TabSnapshot, options: ProposeOptions): { row: number; keys: KeyCell[] }[] {
  const merges = tab.merges ?? [];
  const mappedKey = mappedKeyOf(options);
  const unmapped = new Set((options.map ?? []).filter((m) => m.layout !== KEY_HEADER).map((m) => normalizeLedgerHeader(m.theirs)));
  const out: { row: number; keys: KeyCell[] }[] = [];
  const last = Math.min(tab.values.length, HEADER_SEARCH_ROWS);
  const byLetter = new Map<number, number>();
  for (const theirs of mappedKey.filter(isLetter)) {
    const column = columnOfLetter(theirs.trim());
    if (options.headerRow !== undefined) {
      // the operator named the header row too: the key's name is on it, or merged down to it
      const row = mergeAt(merges, options.headerRow, column)?.fromRow ?? options.headerRow;
      if (textAt(tab.values, row, column) !== '') byLetter.set(column, row);
      continue;
    }
    for (let row = 1; row <= last; row++) {
      const text = textAt(tab.values, row, column);
      const merge = mergeAt(merges, row, column);
      if (text === '' || /[:：]/.test(text) || (merge !== null && (merge.toColumn ?? column) > (merge.fromColumn ?? column))) continue;
      byLetter.set(column, row);
      break;
    }
  }
  for (let row = 1; row <= last; row++) {
    const keys: KeyCell[] = [];
    (tab.values[row - 1] ?? []).forEach((text, i) => {
      const n = normalizeLedgerHeader(text);
      if (n === '') return;
      const byMap = mappedKey.some((m) => normalizeLedgerHeader(m) === n) || byLetter.get(i + 1) === row;
      const bySynonym = options.synonyms.get(n) === KEY_HEADER && !unmapped.has(n);
      if (byMap || (mappedKey.length === 0 && bySynonym)) keys.push({ row, column: i + 1 });
    });
    if (keys.length > 0) out.push({ row, keys });
  }
  return out;
}

function proposeOnTab(tab: TabSnapshot, options: ProposeOptions): ProposalResult {
  const merges = tab.merges ?? [];
  let rows = keyRows(tab, options);
  if (options.headerRow !== undefined) {
    const wanted = options.headerRow;
    // the key may sit on the header's last row or be merged down to it
    rows = rows.filter((r) => r.row === wanted || r.keys.some((k) => (mergeAt(merges, k.row, k.column)?.toRow ?? k.row) === wanted));
    if (rows.length === 0) return fail('HEADER_ROW_WITHOUT_KEY', `工作表“${tab.title}”第 ${wanted} 行没有客户号列（如 客户编号）；请检查表头行，或用 --map 指定客户号列`, `row ${wanted} of tab "${tab.title}" has no key column; check the header row or name the key with --map`);
  }
  if (rows.length === 0 && mappedKeyOf(options).length > 0) return mapKeyNotFound(options, tab.title);
  if (rows.length === 0) return fail('NO_KEY_COLUMN', `工作表“${tab.title}”前 ${HEADER_SEARCH_ROWS} 行找不到客户号列；请指定哪一列是客户号（命令行用 --map '表头=客户号'，表格中按提示填写）`, `tab "${tab.title}" has no key column in its first ${HEADER_SEARCH_ROWS} rows; name it with --map 'HEADER=客户号'`);
  // the header printed again further down (page by page) repeats the first one cell for cell: the first is the header
  const same = (a: number, b: number) => {
    const [x, y] = [tab.values[a - 1] ?? [], tab.values[b - 1] ?? []];
    return Array.from({ length: Math.max(x.length, y.length) }, (_, i) => i).every((i) => normalizeLedgerHeader(x[i] ?? '') === normalizeLedgerHeader(y[i] ?? ''));
  };
  if (rows.length > 1 && rows.every((r) => same(r.row, rows[0]!.row))) rows = [rows[0]!];
  if (rows.length > 1) {
    return fail('AMBIGUOUS_HEADER_ROW', `工作表“${tab.title}”有多行像表头（第 ${rows.map((r) => r.row).join('、')} 行都有客户号列）；请指定表头行（命令行用 --header-row，表格中按提示填写）`, `tab "${tab.title}" has several rows with a key header (rows ${rows.map((r) => r.row).join(', ')}); choose one with --header-row`);
  }
  const keyRow = rows[0]!;
  if (keyRow.keys.length > 1) {
    const names = keyRow.keys.map((k) => `${letterOf(k.column)} 列“${textAt(tab.values, k.row, k.column)}”`).join('、');
    return fail('AMBIGUOUS_KEY', `第 ${keyRow.row} 行有多个像客户号的列（${names}）；请指定哪一列是客户号（命令行用 --map '表头=客户号'，表格中按提示填写）`, `row ${keyRow.row} has several key-like columns (${keyRow.keys.map((k) => `${letterOf(k.column)} "${textAt(tab.values, k.row, k.column)}"`).join(', ')}); name the key with --map 'HEADER=客户号'`);
  }
  const key = keyRow.keys[0]!;
  // a key merged down over two rows, or group cells on the key's row with the names under them: the header takes both rows
  const bottom = options.headerRow ?? headerBottomFrom(tab.values, merges, key.row, key.column);
  const tableWidth = Math.max(widthOf(tab.values, [], key.row, bottom), key.column);
  let top = key.row;
  // a group row right above the column names (cells merged over some of the columns) belongs to the header
  if (top === bottom && top > 1 && isGroupRow(tab.values, merges, top - 1, tableWidth)) top--;
  const titleRows: number[] = [];
  for (let row = 1; row < top; row++) if ((tab.values[row - 1] ?? []).some((c) => c.trim() !== '')) titleRows.push(row);

  const notes: BindingNote[] = [];
  const columns: ProposedColumn[] = [];
  for (let column = 1; column <= tableWidth; column++) {
    const { header, group } = columnHeader(tab.values, merges, top, bottom, column);
    columns.push({ column, letter: letterOf(column), header, group, role: 'own', field: null, by: null });
  }
  const problems: BindingNote[] = [];
  const byField = new Map<string, ProposedColumn[]>();
  const mapped = new Set<number>();
  for (const m of options.map ?? []) {
    const target = columns.filter((c) => matchesTheirs(m.theirs, normalizeLedgerHeader(c.header), c.column));
    if (target.length !== 1) {
      problems.push(note('MAP_COLUMN_NOT_FOUND', target.length === 0 ? `--map 指定的“${m.theirs}”不是第 ${bottom} 行的表头，也不是列号` : `--map 指定的“${m.theirs}”有 ${target.length} 列（${target.map((c) => c.letter).join('、')}）；请改用列号`, target.length === 0 ? `--map names "${m.theirs}", which is neither a header of row ${bottom} nor a column letter` : `--map names "${m.theirs}", which heads ${target.length} columns (${target.map((c) => c.letter).join(', ')}); use a column letter`));
      continue;
    }
    const column = target[0]!;
    mapped.add(column.column);
    if (m.layout === null) continue;
    const role = columnRole(m.layout);
    if (role === null) {
      problems.push(note('MAP_FIELD_UNKNOWN', `--map 的“${m.layout}”不是系统的列名`, `--map: "${m.layout}" is not a layout column`));
      continue;
    }
    column.role = role;
    column.field = m.layout;
    column.by = 'map';
  }
  for (const c of columns) {
    if (c.field !== null) {
      const at = byField.get(c.field) ?? [];
      at.push(c);
      byField.set(c.field, at);
    }
  }
  for (const [field, at] of byField) {
    if (at.length > 1) problems.push(note('MAP_FIELD_TWICE', `--map 把 ${at.map((c) => c.letter).join('、')} 列都指定为“${field}”`, `--map binds columns ${at.map((c) => c.letter).join(', ')} to "${field}"`));
  }
  if (problems.length > 0) return { ok: false, problems };

  const keyColumn = columns.find((c) => c.field === KEY_HEADER) ?? columns[key.column - 1]!;
  if (keyColumn.field === null) Object.assign(keyColumn, { role: 'key', field: KEY_HEADER, by: (options.map ?? []).some((m) => m.layout === KEY_HEADER) ? 'map' : 'synonym' });
  // synonyms for the editable columns the operator did not map
  const candidates = new Map<string, ProposedColumn[]>();
  for (const c of columns) {
    if (c.field !== null || mapped.has(c.column)) continue;
    const n = normalizeLedgerHeader(c.header);
    const field = options.synonyms.get(n);
    if (field !== undefined && field !== KEY_HEADER && !byField.has(field)) candidates.set(field, [...(candidates.get(field) ?? []), c]);
    if (columnRole(c.header) === 'computed') notes.push(note('SAME_NAME_AS_COMPUTED', `${c.letter} 列“${c.header}”与系统计算列同名，但属于支行自己；系统会另加一列“${c.header.trim()}”。如要系统写入这一列，请用 --map '${c.header.trim()}=${c.header.trim()}'`, `column ${c.letter} "${c.header}" has a computed column's name but stays the branch's; the system appends its own (bind it with --map to write there)`));
  }
  for (const [field, at] of candidates) {
    if (at.length > 1) {
      notes.push(note('AMBIGUOUS_FIELD', `${at.map((c) => `${c.letter} 列“${c.header}”`).join('、')} 都像“${field}”，系统不猜，这几列都不绑定；请用 --map 指定一列`, `columns ${at.map((c) => `${c.letter} "${c.header}"`).join(', ')} all look like "${field}": none is bound; choose one with --map`));
      continue;
    }
    Object.assign(at[0]!, { role: 'editable', field, by: 'synonym' });
  }
  if (!columns.some((c) => c.role === 'editable')) notes.push(note('NOTHING_ELSE_BOUND', '台账中没有识别出可读取的档案列（手机号码、家庭住址等）；只按客户号写入计算列', 'no archive column was recognised: only the computed columns will be written'));

  const tags = new Map<number, string>();
  for (const c of columns) if (c.field !== null) tags.set(c.column, c.field);
  const keyHeader = keyColumn.header !== '' ? keyColumn.header : textAt(tab.values, top, keyColumn.column);
  const binding: LedgerBinding = { version: LEDGER_BINDING_VERSION, headerRow: bottom, headerRows: bottom - top + 1, keyHeader, missing: options.missing ?? 'list' };
  return {
    ok: true,
    proposal: { sheetId: tab.sheetId, tab: tab.title, headerRow: bottom, headerRows: bottom - top + 1, titleRows, keyColumn: keyColumn.column, columns, tags, binding, table: ledgerTable(tab.values, bottom, keyColumn.column, keyHeader), notes },
  };
}

/** `theirs` as the operator wrote it: a header (compared normalised) or a column letter. */
function matchesTheirs(theirs: string, normalisedHeader: string, column: number): boolean {
  const n = normalizeLedgerHeader(theirs);
  if (n !== '' && n === normalisedHeader) return true;
  return /^[A-Za-z]{1,3}$/.test(theirs.trim()) && columnOfLetter(theirs.trim()) === column;
}

export function letterOf(column: number): string {
  let out = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

export function columnOfLetter(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function note(code: BindingNoteCode, zh: string, en: string): BindingNote {
  return { code, zh, en };
}

function fail(code: BindingNoteCode, zh: string, en: string): ProposalResult {
  return { ok: false, problems: [note(code, zh, en)] };
}

/** whether a grid row reads as header words rather than data (used to tell headers from titles in tests and previews) */
export function headerWordsIn(values: Grid, row: number, synonyms: SynonymTable): number {
  return (values[row - 1] ?? []).filter((c) => isHeaderWord(c, synonyms)).length;
}
