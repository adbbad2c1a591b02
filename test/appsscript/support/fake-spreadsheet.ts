import { DateTime } from 'luxon';

/**
 * FAKES, for unit tests only: an in-memory stand-in for the parts of SpreadsheetApp that the
 * Apps Script code calls (Spreadsheet, Sheet, Range, RangeList, Ui). They behave as Google
 * documents them where it matters to the code under test: 1-based rows and columns, '' for
 * an empty cell, getLastRow/getLastColumn as the last row/column with content, and
 * setValues/setNotes throwing when the data's size is not the range's. Every write is logged
 * so tests can count calls. Developer metadata (the nightly run's tags on tabs and columns, an
 * adopted ledger's binding on its tab) is found with the same finder calls Apps Script has, and
 * stays with its column when rows are inserted.
 *
 * Merged cells: merging keeps the top-left cell's value only and empties the others (as Sheets
 * does), so getValues/getDisplayValues give '' there; Range.getMergedRanges returns every merge
 * that lies in the range or overlaps it (https://developers.google.com/apps-script/reference/spreadsheet/range#getmergedranges);
 * a merge may not overlap another. Inserting rows moves the merges below and stretches a merge
 * the new rows fall inside, as Sheets does. STRICTER than Sheets: writing a value into a merged
 * block's hidden cell throws (Sheets keeps it invisibly; the code never means to write there),
 * and sorting or deleting rows of a sheet with merges is refused (not modelled).
 */

export type CellValue = string | number | boolean | Date;

interface Cell {
  value: CellValue;
  note: string;
  format: string;
}

/** a merged block, 1-based */
interface Merge {
  row: number;
  column: number;
  numRows: number;
  numColumns: number;
}

interface Metadata {
  key: string;
  value: string;
  sheet: FakeSheet;
  /** absent: on the sheet itself */
  column?: number;
}

/** A DeveloperMetadata as Apps Script hands it out. */
function metadataObject(md: Metadata) {
  const type = md.column === undefined ? 'SHEET' : 'COLUMN';
  return {
    getKey: () => md.key,
    getValue: () => md.value,
    getLocation: () => ({
      getLocationType: () => type,
      getSheet: () => (type === 'SHEET' ? md.sheet : null),
      getColumn: () => (md.column === undefined ? null : md.sheet.getRange(1, md.column)),
    }),
  };
}

/** DeveloperMetadataFinder over a set of metadata. */
function finder(all: () => Metadata[]) {
  const filters: ((md: Metadata) => boolean)[] = [];
  const self = {
    withKey: (key: string) => (filters.push((md) => md.key === key), self),
    withValue: (value: string) => (filters.push((md) => md.value === value), self),
    withLocationType: (type: string) => (filters.push((md) => (md.column === undefined ? 'SHEET' : 'COLUMN') === type), self),
    find: () => all().filter((md) => filters.every((f) => f(md))).map(metadataObject),
  };
  return self;
}

export class FakeSheet {
  private readonly cells = new Map<string, Cell>();
  readonly writes: string[] = [];
  readonly metadata: Metadata[] = [];
  readonly merges: Merge[] = [];

  constructor(
    private name: string,
    readonly parent: FakeSpreadsheet,
    private readonly sheetId: number,
  ) {}

  getName(): string {
    return this.name;
  }
  getSheetId(): number {
    return this.sheetId;
  }
  getIndex(): number {
    return this.parent.indexOf(this);
  }
  getDeveloperMetadata() {
    return this.metadata.filter((md) => md.column === undefined).map(metadataObject);
  }
  createDeveloperMetadataFinder() {
    return finder(() => this.metadata);
  }
  getParent(): FakeSpreadsheet {
    return this.parent;
  }
  getLastRow(): number {
    let last = 0;
    for (const [at, cell] of this.cells) if (cell.value !== '') last = Math.max(last, rowOf(at));
    return last;
  }
  getLastColumn(): number {
    let last = 0;
    for (const [at, cell] of this.cells) if (cell.value !== '') last = Math.max(last, columnOf(at));
    return last;
  }
  getRange(row: number, column: number, numRows = 1, numColumns = 1): FakeRange {
    if (!(row >= 1 && column >= 1 && numRows >= 1 && numColumns >= 1)) throw new Error(`The coordinates of the range are outside the dimensions of the sheet (${row}, ${column}, ${numRows}, ${numColumns}).`);
    return new FakeRange(this, row, column, numRows, numColumns);
  }

  /** Inserts `howMany` empty rows above `beforePosition`: cells and merges below move down, a merge across that line grows; column metadata stays with its column. */
  insertRowsBefore(beforePosition: number, howMany: number): FakeSheet {
    if (!(beforePosition >= 1 && howMany >= 1)) throw new Error(`Those rows are out of bounds (${beforePosition}, ${howMany}).`);
    const moved = new Map<string, Cell>();
    for (const [at, cell] of this.cells) {
      const row = rowOf(at);
      moved.set(row >= beforePosition ? `${row + howMany},${columnOf(at)}` : at, cell);
    }
    this.cells.clear();
    for (const [at, cell] of moved) this.cells.set(at, cell);
    for (const m of this.merges) {
      if (m.row >= beforePosition) m.row += howMany;
      else if (m.row + m.numRows - 1 >= beforePosition) m.numRows += howMany;
    }
    return this;
  }

  // ---- for tests ----
  /** Merges a block as a person does in Sheets: the top-left value stays, the others are emptied. */
  merge(row: number, column: number, numRows: number, numColumns: number): void {
    if (numRows * numColumns < 2) throw new Error('a merge needs two cells or more');
    const m: Merge = { row, column, numRows, numColumns };
    if (this.merges.some((o) => overlaps(o, m))) throw new Error('You must select all cells in a merged range to merge or unmerge them.');
    for (let r = row; r < row + numRows; r++) for (let c = column; c < column + numColumns; c++) if (r !== row || c !== column) this.put(r, c, { value: '' });
    this.merges.push(m);
  }
  /** whether (row, column) is a merged block's cell other than its top-left one */
  hiddenByMerge(row: number, column: number): boolean {
    return this.merges.some((m) => overlaps(m, { row, column, numRows: 1, numColumns: 1 }) && (m.row !== row || m.column !== column));
  }
  rename(name: string): void {
    this.name = name;
  }
  /** a developer-metadata tag on the sheet, or on one of its columns */
  tag(key: string, value: string, column?: number): void {
    this.metadata.push(column === undefined ? { key, value, sheet: this } : { key, value, sheet: this, column });
  }
  cell(row: number, column: number): Cell {
    return this.cells.get(`${row},${column}`) ?? { value: '', note: '', format: '' };
  }
  put(row: number, column: number, patch: Partial<Cell>): void {
    this.cells.set(`${row},${column}`, { ...this.cell(row, column), ...patch });
  }
  /** The sheet's values as rows of cells, as a person would read them. */
  rows(): CellValue[][] {
    const out: CellValue[][] = [];
    for (let r = 1; r <= this.getLastRow(); r++) {
      const line: CellValue[] = [];
      for (let c = 1; c <= this.getLastColumn(); c++) line.push(this.cell(r, c).value);
      out.push(line);
    }
    return out;
  }
  /** Swaps two rows whole (values, notes, formats), as a sort does. */
  swapRows(a: number, b: number): void {
    if (this.merges.length > 0) throw new Error('the fake does not sort a sheet with merged cells');
    const width = Math.max(this.getLastColumn(), 1);
    for (let c = 1; c <= width; c++) {
      const ca = this.cell(a, c);
      const cb = this.cell(b, c);
      this.cells.set(`${a},${c}`, cb);
      this.cells.set(`${b},${c}`, ca);
    }
  }
  /**
   * Sorts rows first…last whole (values, notes, formats) by the text of `column`, as Data →
   * Sort range does; rows with equal keys keep their order.
   */
  sortRows(first: number, last: number, column: number, descending = false): void {
    if (this.merges.length > 0) throw new Error('the fake does not sort a sheet with merged cells');
    const width = Math.max(this.getLastColumn(), 1);
    const lines: Cell[][] = [];
    for (let r = first; r <= last; r++) lines.push(Array.from({ length: width }, (_, c) => this.cell(r, c + 1)));
    const key = (line: Cell[]) => String(line[column - 1]?.value ?? '');
    lines.sort((a, b) => (descending ? -1 : 1) * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    lines.forEach((line, i) => line.forEach((cell, c) => this.cells.set(`${first + i},${c + 1}`, cell)));
  }
  /** Cut and paste of a whole row's cells into row `to` (overwritten): row `from` is left empty. */
  moveRow(from: number, to: number): void {
    const width = Math.max(this.getLastColumn(), 1);
    for (let c = 1; c <= width; c++) {
      this.cells.set(`${to},${c}`, this.cell(from, c));
      this.cells.delete(`${from},${c}`);
    }
  }
  /** Deletes a row: the rows below move up. */
  deleteRow(row: number): void {
    if (this.merges.length > 0) throw new Error('the fake does not delete rows of a sheet with merged cells');
    const last = this.getLastRow();
    const width = Math.max(this.getLastColumn(), 1);
    for (let r = row; r <= last; r++) for (let c = 1; c <= width; c++) this.cells.set(`${r},${c}`, this.cell(r + 1, c));
  }
}

function overlaps(a: Merge, b: Merge): boolean {
  return a.row < b.row + b.numRows && b.row < a.row + a.numRows && a.column < b.column + b.numColumns && b.column < a.column + a.numColumns;
}

function rowOf(at: string): number {
  return Number(at.split(',')[0]);
}
function columnOf(at: string): number {
  return Number(at.split(',')[1]);
}

export class FakeRange {
  constructor(
    private readonly sheet: FakeSheet,
    private readonly row: number,
    private readonly column: number,
    private readonly numRows: number,
    private readonly numColumns: number,
  ) {}

  getSheet(): FakeSheet {
    return this.sheet;
  }
  getRow(): number {
    return this.row;
  }
  getColumn(): number {
    return this.column;
  }
  getLastRow(): number {
    return this.row + this.numRows - 1;
  }
  getLastColumn(): number {
    return this.column + this.numColumns - 1;
  }
  getNumRows(): number {
    return this.numRows;
  }
  getNumColumns(): number {
    return this.numColumns;
  }
  getA1Notation(): string {
    return `R${this.row}C${this.column}:R${this.getLastRow()}C${this.getLastColumn()}`;
  }
  getValues(): CellValue[][] {
    return this.grid((r, c) => this.sheet.cell(r, c).value);
  }
  /** The cells as Sheets shows them: text for every value (a date as yyyy-MM-dd: the fake's one date format). */
  getDisplayValues(): string[][] {
    return this.grid((r, c) => displayOf(this.sheet.cell(r, c).value));
  }
  getMergedRanges(): FakeRange[] {
    const self: Merge = { row: this.row, column: this.column, numRows: this.numRows, numColumns: this.numColumns };
    return this.sheet.merges.filter((m) => overlaps(m, self)).map((m) => new FakeRange(this.sheet, m.row, m.column, m.numRows, m.numColumns));
  }
  getNotes(): string[][] {
    return this.grid((r, c) => this.sheet.cell(r, c).note);
  }
  setValues(values: unknown[][]): this {
    this.checkSize(values);
    this.each((r, c, i, j) => {
      if (values[i]![j] !== '' && this.sheet.hiddenByMerge(r, c)) throw new Error(`the fake refuses a value for R${r}C${c}, a merged block's hidden cell`);
    });
    // Apps Script parses a string written to a cell in automatic format (a date, a number); only plain-text format (@) keeps it as written.
    this.each((r, c, i, j) => this.sheet.put(r, c, { value: this.sheet.cell(r, c).format === '@' ? (values[i]![j] as CellValue) : parseLikeSheets(values[i]![j] as CellValue) }));
    this.sheet.writes.push(`setValues ${this.getA1Notation()}`);
    return this;
  }
  setNotes(notes: string[][]): this {
    this.checkSize(notes);
    this.each((r, c, i, j) => this.sheet.put(r, c, { note: notes[i]![j] ?? '' }));
    this.sheet.writes.push(`setNotes ${this.getA1Notation()}`);
    return this;
  }
  setNumberFormat(format: string): this {
    this.each((r, c) => this.sheet.put(r, c, { format }));
    this.sheet.writes.push(`setNumberFormat ${this.getA1Notation()} ${format}`);
    return this;
  }

  private grid<T>(read: (row: number, column: number) => T): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < this.numRows; i++) {
      const line: T[] = [];
      for (let j = 0; j < this.numColumns; j++) line.push(read(this.row + i, this.column + j));
      out.push(line);
    }
    return out;
  }
  private each(fn: (row: number, column: number, i: number, j: number) => void): void {
    for (let i = 0; i < this.numRows; i++) for (let j = 0; j < this.numColumns; j++) fn(this.row + i, this.column + j, i, j);
  }
  private checkSize(data: unknown[][]): void {
    if (data.length !== this.numRows) throw new Error(`The number of rows in the data does not match the number of rows in the range. The data has ${data.length} but the range has ${this.numRows}.`);
    for (const line of data) {
      if (line.length !== this.numColumns) throw new Error(`The number of columns in the data does not match the number of columns in the range. The data has ${line.length} but the range has ${this.numColumns}.`);
    }
  }
}

function displayOf(value: CellValue): string {
  if (Object.prototype.toString.call(value) === '[object Date]') return DateTime.fromJSDate(value as Date, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd');
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/** What Sheets makes of a string typed into an automatic-format cell (enough of it to catch a missing @ format). */
function parseLikeSheets(value: CellValue): CellValue {
  if (typeof value !== 'string') return value;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) return new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), -8)); // midnight in Asia/Shanghai
  return value;
}

export class FakeSpreadsheet {
  private readonly sheets: FakeSheet[] = [];
  readonly toasts: string[] = [];
  activeSheet: FakeSheet | null = null;
  selection: FakeRange[] = [];

  constructor(
    private readonly id: string,
    private readonly timeZone = 'Asia/Shanghai',
  ) {}

  getId(): string {
    return this.id;
  }
  getSpreadsheetTimeZone(): string {
    return this.timeZone;
  }
  getSheetByName(name: string): FakeSheet | null {
    return this.sheets.find((s) => s.getName() === name) ?? null;
  }
  getActiveSheet(): FakeSheet {
    return this.activeSheet ?? this.sheets[0]!;
  }
  getActiveRangeList(): { getRanges: () => FakeRange[] } | null {
    return this.selection.length === 0 ? null : { getRanges: () => this.selection };
  }
  toast(message: string, _title?: string, _seconds?: number): void {
    this.toasts.push(message);
  }
  createDeveloperMetadataFinder() {
    return finder(() => this.sheets.flatMap((s) => s.metadata));
  }
  indexOf(sheet: FakeSheet): number {
    return this.sheets.indexOf(sheet) + 1;
  }

  // ---- for tests ----
  addSheet(name: string, rows: readonly (readonly CellValue[])[] = []): FakeSheet {
    const sheet = new FakeSheet(name, this, 100 + this.sheets.length);
    rows.forEach((line, i) => line.forEach((value, j) => value !== '' && sheet.put(i + 1, j + 1, { value })));
    this.sheets.push(sheet);
    return sheet;
  }
}

export type Button = 'OK' | 'CANCEL' | 'YES' | 'NO' | 'CLOSE';

/**
 * The dialogs a script opens (Ui.alert, Ui.prompt), answered from queues the test fills. As in
 * Apps Script, an alert returns one of its own buttons or CLOSE (the title bar's ×): a queued
 * answer the dialog does not have is refused, and an empty queue answers OK to an OK alert and
 * CLOSE to any other, so a test that forgot to answer never says YES by accident.
 */
export class FakeUi {
  readonly ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' };
  readonly Button = { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' };
  readonly menus: { name: string; items: { caption: string; functionName: string }[] }[] = [];
  /** every alert's text, in order */
  readonly alerts: string[] = [];
  /** every alert whole */
  readonly dialogs: { title: string; text: string; buttons: string }[] = [];
  readonly prompts: string[] = [];
  readonly promptAnswers: { button: Button; text: string }[] = [];
  readonly alertAnswers: Button[] = [];

  createMenu(name: string) {
    const menu = { name, items: [] as { caption: string; functionName: string }[] };
    const builder = {
      addItem: (caption: string, functionName: string) => (menu.items.push({ caption, functionName }), builder),
      addSeparator: () => builder,
      addToUi: () => void this.menus.push(menu),
    };
    return builder;
  }
  /** alert(prompt), alert(prompt, buttons), alert(title, prompt, buttons) */
  alert(...args: string[]): Button {
    const [title, text, buttons] = args.length >= 3 ? [args[0]!, args[1]!, args[2]!] : args.length === 2 ? ['', args[0]!, args[1]!] : ['', args[0]!, 'OK'];
    const allowed = BUTTONS_OF[buttons];
    if (allowed === undefined) throw new Error(`unknown button set ${buttons}`);
    this.alerts.push(text);
    this.dialogs.push({ title, text, buttons });
    const answer = this.alertAnswers.shift() ?? (buttons === 'OK' ? 'OK' : 'CLOSE');
    if (!allowed.includes(answer)) throw new Error(`the test answered ${answer} to an alert with buttons ${buttons}`);
    return answer;
  }
  prompt(title: string, text: string, _buttons?: string) {
    this.prompts.push(`${title}\n${text}`);
    const answer = this.promptAnswers.shift() ?? { button: 'CANCEL' as Button, text: '' };
    return { getSelectedButton: () => answer.button, getResponseText: () => answer.text };
  }
}

const BUTTONS_OF: Record<string, readonly Button[]> = {
  OK: ['OK', 'CLOSE'],
  OK_CANCEL: ['OK', 'CANCEL', 'CLOSE'],
  YES_NO: ['YES', 'NO', 'CLOSE'],
  YES_NO_CANCEL: ['YES', 'NO', 'CANCEL', 'CLOSE'],
};
