import { COMPUTED_HEADERS, KEY_HEADER } from '../../../shared/sheets/branch-layout.js';
import { isEditable, letterOf, rowIn, TAB_RANGE, type BranchSheet } from './branch-sheet.js';
import { okJson } from './ladder-stack.js';

/**
 * The Apps Script's part in the flow, played by the test with the real googleapis client (a
 * stand-in for appsscript/, which another change is writing; labelled as such, and it fakes
 * nothing of the system under test: the function, Firestore and the Sheets API are real).
 * What it does, as docs/apps-script.md describes the installable onEdit trigger:
 * 1. read the edited rows from the sheet and keep only the layout's editable columns; when one
 *    of 指定等级 / 指定原因 / 指定截止月 was edited, send all three (they are judged together);
 * 2. post them to sheetEdit, signed, naming the editor;
 * 3. write the answered computed cells back into the row with the same 客户号 (found again, by
 *    header and key, at the time of writing), in one values.batchUpdate, RAW;
 * 4. put the Chinese reason as a note on each refused cell (one spreadsheets.batchUpdate).
 */

export interface EditedRow {
  customerId: string;
  /** the headers of the cells the manager changed */
  headers: readonly string[];
}

export interface RowAnswer {
  row: number;
  customerId: string;
  accepted: string[];
  refused: { column: string; zh: string }[];
  computed: Record<string, string> | null;
}

const OVERRIDE_HEADERS = ['指定等级', '指定原因', '指定截止月'];

export class AppsScriptPart {
  constructor(
    private readonly sheet: BranchSheet,
    private readonly postEdit: (body: unknown) => Promise<Response>,
    private readonly branchId: string,
  ) {}

  /** The request the script would send for these edited rows (steps 1 and 2's body). */
  async requestFor(editor: string, edited: readonly EditedRow[]): Promise<{ branchId: string; spreadsheetId: string; editor: string; rows: { row: number; customerId: string; cells: Record<string, string> }[] }> {
    const table = await this.sheet.table();
    const rows = edited.map(({ customerId, headers }) => {
      const row = rowIn(table, customerId);
      const sent = new Set(headers.filter(isEditable));
      if (headers.some((h) => OVERRIDE_HEADERS.includes(h))) for (const h of OVERRIDE_HEADERS) if (table.header.includes(h)) sent.add(h);
      return { row: row.row, customerId, cells: Object.fromEntries([...sent].map((h) => [h, row.cells[h] ?? ''])) };
    });
    return { branchId: this.branchId, spreadsheetId: this.sheet.spreadsheetId, editor, rows };
  }

  /** The whole trigger: read, post, write back, annotate. Returns the function's answer. */
  async onEdit(editor: string, edited: readonly EditedRow[]): Promise<RowAnswer[]> {
    const answer = await okJson<{ rows: RowAnswer[] }>(this.postEdit(await this.requestFor(editor, edited)));
    await this.writeBack(answer.rows);
    return answer.rows;
  }

  /** Steps 3 and 4 for an answer already received. */
  async writeBack(rows: readonly RowAnswer[]): Promise<void> {
    const table = await this.sheet.table();
    const data: { range: string; values: string[][] }[] = [];
    const notes: { row: number; column: number; note: string }[] = [];
    for (const answer of rows) {
      const row = table.rows.find((r) => r.cells[KEY_HEADER] === answer.customerId);
      if (row === undefined) continue; // the row was deleted meanwhile: nothing to write
      for (const header of COMPUTED_HEADERS) {
        const value = answer.computed?.[header];
        if (value === undefined || !table.header.includes(header)) continue;
        data.push({ range: `${TAB_RANGE}!${letterOf(table, header)}${row.row}`, values: [[value]] });
      }
      for (const refused of answer.refused) {
        const column = table.header.indexOf(refused.column);
        if (column >= 0) notes.push({ row: row.row, column, note: refused.zh });
      }
    }
    const { sheets, spreadsheetId } = this.sheet;
    if (data.length > 0) await sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data } });
    if (notes.length > 0) {
      const sheetId = await this.sheet.sheetId();
      await sheets.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: { requests: notes.map((n) => ({ updateCells: { start: { sheetId, rowIndex: n.row - 1, columnIndex: n.column }, rows: [{ values: [{ note: n.note }] }], fields: 'note' } })) },
      });
    }
  }
}

/** the notes the script put, as the test server recorded the updateCells requests: `row:column` (1-based row, 0-based column) → note */
export function notesOf(formats: readonly { kind: string; request: Record<string, unknown> }[]): Map<string, string> {
  const notes = new Map<string, string>();
  for (const f of formats) {
    if (f.kind !== 'updateCells') continue;
    const start = f.request['start'] as { rowIndex: number; columnIndex: number };
    const note = ((f.request['rows'] as { values: { note: string }[] }[])[0]?.values[0]?.note ?? '') as string;
    notes.set(`${start.rowIndex + 1}:${start.columnIndex}`, note);
  }
  return notes;
}
