import type ExcelJS from 'exceljs';
import { COMPUTED_HEADERS, CONTACT_STATUS_HEADER, EDITABLE_HEADERS } from '../../shared/sheets/branch-layout.js';
import { cellAt, mapColumns } from '../../shared/sheets/column-map.js';
import type { WorkbookSnapshot } from './workbook-snapshot.js';
import { readGrid, setSystemNote } from './xlsx-cells.js';
import { clearLegacyStatusFill } from './xlsx-conditional-rules.js';
import { mergesOf } from './xlsx-spreadsheet-snapshot.js';
import type { LedgerBinding } from '../../shared/sheets/ledger-binding.js';

/**
 * Puts the sheet-edit path's answers into 客户名单 of a local workbook: the computed cells
 * answered for edited customers (only those whose text differs), and a note on every refused
 * cell still holding the refused text (cleared once the cell is accepted or changed). Columns
 * are found by their tag, else their header, and rows by 客户号; editable cells and the
 * branch's own columns are never written, and no row or column is added or moved. 联系状态 is
 * coloured by the sheet's conditional-format rules, not here.
 */

export interface WriteBackCounts {
  cellsWritten: number;
  notesSet: number;
  notesCleared: number;
}

export function applyWriteBack(sheet: ExcelJS.Worksheet, snapshot: Pick<WorkbookSnapshot, 'answered' | 'refused'>, tags?: ReadonlyMap<number, string>, binding?: LedgerBinding | null): WriteBackCounts {
  const counts: WriteBackCounts = { cellsWritten: 0, notesSet: 0, notesCleared: 0 };
  const grid = readGrid(sheet, tags, binding, mergesOf(sheet));
  const map = mapColumns(grid);
  if (map.key === null) return counts;
  const seen = new Set<string>();
  for (const row of grid.rows) {
    const customerId = cellAt(row, map.key).trim();
    // A customer on several rows: only the first row is the customer's (as for the nightly writer).
    if (customerId === '' || seen.has(customerId)) continue;
    seen.add(customerId);
    const answered = snapshot.answered[customerId];
    if (answered !== undefined) {
      for (const header of COMPUTED_HEADERS) {
        const column = map.columns.get(header);
        const value = answered[header];
        if (column === undefined || value === undefined || cellAt(row, column) === value) continue;
        const cell = sheet.getCell(row.row, column);
        cell.value = value;
        // a colour painted into the cell by an older writer would outlast the text
        if (header === CONTACT_STATUS_HEADER) clearLegacyStatusFill(cell);
        counts.cellsWritten++;
      }
    }
    const refused = snapshot.refused[customerId] ?? {};
    for (const header of EDITABLE_HEADERS) {
      const column = map.columns.get(header);
      if (column === undefined) continue;
      const entry = refused[header];
      const reason = entry !== undefined && entry.value === cellAt(row, column).trim() ? entry.zh : null;
      if (setSystemNote(sheet.getCell(row.row, column), reason)) {
        if (reason === null) counts.notesCleared++;
        else counts.notesSet++;
      }
    }
  }
  return counts;
}

export function wroteAnything(counts: WriteBackCounts): boolean {
  return counts.cellsWritten + counts.notesSet + counts.notesCleared > 0;
}
