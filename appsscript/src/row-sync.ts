/**
 * Sends rows of 客户名单 to the sheetEdit function and writes its answer back: the computed
 * cells into the row that holds the answered 客户号 now (rows may have been sorted or moved
 * while the request was out), a note with the Chinese reason on each refused cell, the
 * system's note removed from each accepted cell. Used by the edit trigger (the edited cells)
 * and by 重新发送所选行 (every editable cell of the selected rows).
 */

interface SyncOutcome {
  rowsSent: number;
  /** cells the function stored / refused */
  accepted: number;
  refused: number;
  /** cells not sent because their row has no 客户号, or its 客户号 is on an earlier row */
  noKeyRows: number;
  duplicateRows: number;
  /** cells not sent or not answered because a request failed */
  unsent: number;
  failure: { zh: string; en: string } | null;
  /** answered rows whose 客户号 is no longer in the sheet: nothing written for them */
  lostRows: number;
  /** the sheet cannot be read as 客户名单 (no 客户号 column), or a write failed */
  problems: string[];
  /** the key column's name on this sheet, for the messages (客户号, or an adopted ledger's 客户编号) */
  keyLabel: string;
}

/** Which editable columns to send, given where the columns are. */
type ColumnChoice = (columns: SheetColumns) => number[];

interface SentCell {
  header: string;
  text: string;
}

interface PendingRow {
  row: number;
  customerId: string;
  cells: SentCell[];
}

/** A note to set (reason) or the system's note to remove (null), if the cell still holds what was sent. */
interface NoteChange {
  header: string;
  sent: string;
  reason: string | null;
}

/**
 * `table` is 客户名单 as read just before (customer-table.ts); only its customers' rows among
 * `rowNumbers` are sent (never a header, title, totals or note row of an adopted ledger).
 */
function syncRows(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, sheet: GoogleAppsScript.Spreadsheet.Sheet, settings: LadderSettings, table: CustomerTable, rowNumbers: readonly number[], choose: ColumnChoice, editor: string): SyncOutcome {
  const outcome: SyncOutcome = { rowsSent: 0, accepted: 0, refused: 0, noKeyRows: 0, duplicateRows: 0, unsent: 0, failure: null, lostRows: 0, problems: [], keyLabel: table.keyLabel };
  if (table.problem !== null) {
    outcome.problems.push(table.problem);
    return outcome;
  }
  const sendColumns = choose(table.columns);
  const rows = uniqueSorted(rowNumbers).filter((r) => table.keys.has(r));
  if (sendColumns.length === 0 || rows.length === 0) return outcome;

  const timeZone = ss.getSpreadsheetTimeZone();
  const notes: CellTarget<NoteChange>[] = [];
  const pending = collectRows(sheet, table, sendColumns, rows, timeZone, notes, outcome);

  const answered: { sent: PendingRow; answer: AnsweredRow }[] = [];
  let failedFrom = pending.length;
  for (let i = 0; i < pending.length; i += ROWS_PER_REQUEST) {
    const chunk = pending.slice(i, i + ROWS_PER_REQUEST);
    const result = postEditedRows(settings, { branchId: settings.branchId, spreadsheetId: ss.getId(), editor, rows: chunk.map(bodyOf) });
    if (!result.ok) {
      outcome.failure = { zh: result.zh, en: result.en };
      console.error(`wealth-ladder: sheetEdit request of ${chunk.length} rows failed: ${result.en}`);
      failedFrom = i;
      break;
    }
    outcome.rowsSent += chunk.length;
    const byRow = new Map(result.rows.map((a): [string, AnsweredRow] => [`${a.row}|${a.customerId}`, a]));
    for (const sent of chunk) {
      const answer = byRow.get(`${sent.row}|${sent.customerId}`);
      if (answer !== undefined) answered.push({ sent, answer });
      else outcome.unsent += sent.cells.length;
    }
  }

  // Where things are now: the request took time, and a manager may have sorted or moved rows (or inserted some above a ledger's header) meanwhile.
  const current = readCustomerTable(sheet);
  const now = current.columns;
  const rowOf = current.problem === null ? current.firstRowOf : new Map<string, number>();
  const computed: CellTarget<string>[] = [];
  for (const { sent, answer } of answered) {
    const row = rowOf.get(answer.customerId);
    if (row === undefined) {
      outcome.lostRows++;
      continue;
    }
    if (answer.computed !== null) {
      for (const header of COMPUTED_HEADERS) {
        const column = now.byHeader.get(header);
        const value = answer.computed[header];
        if (column !== undefined && typeof value === 'string') computed.push({ row, column, value });
      }
    }
    const refusedWhy = new Map(answer.refused.map((r): [string, string] => [r.column, r.zh]));
    for (const cell of sent.cells) {
      const column = now.byHeader.get(cell.header);
      const why = refusedWhy.get(cell.header);
      if (why !== undefined) outcome.refused++;
      else if (answer.accepted.indexOf(cell.header) >= 0) outcome.accepted++;
      else continue;
      if (column !== undefined) notes.push({ row, column, value: { header: cell.header, sent: cell.text, reason: why ?? null } });
    }
  }
  if (outcome.failure !== null) {
    const reason = `未发送：${outcome.failure.zh}。恢复后请选中此行，点菜单「财富阶梯 → 重新发送所选行」`;
    for (const sent of pending.slice(failedFrom)) {
      outcome.unsent += sent.cells.length;
      const row = rowOf.get(sent.customerId);
      if (row === undefined) continue;
      for (const cell of sent.cells) {
        const column = now.byHeader.get(cell.header);
        if (column !== undefined) notes.push({ row, column, value: { header: cell.header, sent: cell.text, reason } });
      }
    }
  }
  writeComputedCells(sheet, computed, outcome);
  writeSystemNotes(sheet, notes, timeZone, outcome);
  return outcome;
}

/** The rows to send; rows that cannot be sent get their notes here. */
function collectRows(sheet: GoogleAppsScript.Spreadsheet.Sheet, table: CustomerTable, sendColumns: readonly number[], rows: readonly number[], timeZone: string, notes: CellTarget<NoteChange>[], outcome: SyncOutcome): PendingRow[] {
  const columns = table.columns;
  const top = rows[0] as number;
  const bottom = rows[rows.length - 1] as number;
  const width = Math.max(columns.width, ...sendColumns);
  const values = sheet.getRange(top, 1, bottom - top + 1, width).getValues();
  const label = table.keyLabel;
  const pending: PendingRow[] = [];
  for (const row of rows) {
    const line = values[row - top] ?? [];
    const cells = sendColumns.map((column): SentCell => {
      const header = headerOfColumn(columns, column) as string;
      return { header, text: cellText(line[column - 1], header, timeZone) };
    });
    const customerId = table.keys.get(row) ?? '';
    const first = table.firstRowOf.get(customerId);
    let reason: string | null = null;
    if (customerId === '') {
      // Cells cleared (or left empty) on a row with no customer: nothing was really edited.
      if (cells.every((c) => c.text.trim() === '')) continue;
      outcome.noKeyRows++;
      reason = `此行没有${label}，修改未发送`;
    } else if (first !== undefined && first !== row) {
      outcome.duplicateRows++;
      reason = `${label}${customerId}已在第${first}行，系统只认第一行，此行的修改未发送`;
    }
    if (reason === null) {
      pending.push({ row, customerId, cells });
      continue;
    }
    for (const cell of cells) notes.push({ row, column: columns.byHeader.get(cell.header) as number, value: { header: cell.header, sent: cell.text, reason } });
  }
  return pending;
}

function bodyOf(row: PendingRow): EditedRowBody {
  const cells: { [header: string]: string } = {};
  for (const c of row.cells) cells[c.header] = c.text;
  return { row: row.row, customerId: row.customerId, cells };
}

/** Computed cells as plain text (format @), as the nightly run writes them RAW: "300000.00" must not become a number, nor "2026-12-01" a date. */
function writeComputedCells(sheet: GoogleAppsScript.Spreadsheet.Sheet, targets: readonly CellTarget<string>[], outcome: SyncOutcome): void {
  for (const block of blocksOf(targets)) {
    try {
      const range = sheet.getRange(block.row, block.column, block.values.length, (block.values[0] as string[]).length);
      range.setNumberFormat('@');
      range.setValues(block.values);
    } catch (error) {
      console.error(`wealth-ladder: writing computed cells at row ${block.row} failed: ${messageOf(error)}`);
      outcome.problems.push(`计算结果未能写回第${block.row}行起的单元格（${messageOf(error)}）`);
    }
  }
}

/**
 * The system's notes: one read and at most one write per block. A cell whose text changed
 * since it was sent keeps its note as it is: a later edit has its own trigger run, which
 * decides that cell's note.
 */
function writeSystemNotes(sheet: GoogleAppsScript.Spreadsheet.Sheet, targets: readonly CellTarget<NoteChange>[], timeZone: string, outcome: SyncOutcome): void {
  for (const block of blocksOf(targets)) {
    try {
      const range = sheet.getRange(block.row, block.column, block.values.length, (block.values[0] as NoteChange[]).length);
      const notes = range.getNotes();
      const values = range.getValues();
      let changed = false;
      const next = block.values.map((line, i) =>
        line.map((change, j) => {
          const note = notes[i]?.[j] ?? '';
          if (cellText(values[i]?.[j], change.header, timeZone) !== change.sent) return note;
          const merged = mergeSystemNote(note, change.reason);
          if (merged !== note) changed = true;
          return merged;
        }),
      );
      if (changed) range.setNotes(next);
    } catch (error) {
      console.error(`wealth-ladder: writing notes at row ${block.row} failed: ${messageOf(error)}`);
      outcome.problems.push(`批注未能写入第${block.row}行起的单元格（${messageOf(error)}）`);
    }
  }
}

function uniqueSorted(numbers: readonly number[]): number[] {
  return Array.from(new Set(numbers)).sort((a, b) => a - b);
}

/** What the person should know after a sync, in Chinese; null when everything went through. */
function outcomeMessage(outcome: SyncOutcome): string | null {
  const parts: string[] = outcome.problems.slice();
  if (outcome.failure !== null) parts.push(`修改未保存：${outcome.failure.zh}。已在未保存的单元格加批注；恢复后请选中这些行，点菜单「财富阶梯 → 重新发送所选行」。`);
  if (outcome.refused > 0) parts.push(`${outcome.refused}个单元格未通过检查，未保存，原因见单元格批注。`);
  if (outcome.noKeyRows > 0) parts.push(`${outcome.noKeyRows}行没有${outcome.keyLabel}，这些行的修改未发送。`);
  if (outcome.duplicateRows > 0) parts.push(`${outcome.duplicateRows}行的${outcome.keyLabel}已在上方出现，这些行的修改未发送。`);
  if (outcome.lostRows > 0) parts.push(`${outcome.lostRows}行在保存期间被删除或改了${outcome.keyLabel}，计算结果未写回。`);
  return parts.length > 0 ? parts.join('\n') : null;
}
