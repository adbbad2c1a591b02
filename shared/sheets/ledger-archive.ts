import { ARCHIVE_FIELD_ZH } from '../customer-profile.js';
import type { EditedRow } from './customer-sheet-plan.js';

/**
 * The archive a branch already typed into its ledger (phones, addresses, employers, risk levels),
 * on adoption: which cells go through the sheet-edit path (validated cell by cell and logged
 * there, like any edit), and which disagree with what the store already holds. A disagreement is
 * listed and sent nowhere: neither the ledger's value nor the store's wins silently. A cell equal
 * to the stored value (after trimming, full-width to plain, risk level in capitals) needs nothing.
 * Contact and override cells carry no stored value to disagree with and are sent as they are
 * (a contact already on record is recorded once: the contact log keys entries by their content).
 * Pure.
 */

export interface ArchiveConflict {
  row: number;
  customerId: string;
  field: string;
  /** the ledger's text */
  sheet: string;
  /** what the store holds */
  stored: string;
}

export interface ArchiveToSend {
  row: number;
  customerId: string;
  /** layout header → the ledger's text */
  cells: Record<string, string>;
}

export interface ArchivePlan {
  send: ArchiveToSend[];
  conflicts: ArchiveConflict[];
  /** cells equal to what is stored */
  same: number;
}

const ARCHIVE_HEADERS = new Set<string>(Object.values(ARCHIVE_FIELD_ZH));

/** `stored`: per customer, layout header → the stored archive text. Only `matched` customers' rows are read. */
export function planArchiveAdoption(rows: readonly EditedRow[], matched: ReadonlyMap<string, number>, stored: ReadonlyMap<string, Readonly<Record<string, string>>>): ArchivePlan {
  const send: ArchiveToSend[] = [];
  const conflicts: ArchiveConflict[] = [];
  let same = 0;
  for (const r of rows) {
    if (matched.get(r.customerId) !== r.row) continue;
    const cells: Record<string, string> = {};
    const on = stored.get(r.customerId) ?? {};
    for (const [field, text] of Object.entries(r.fields)) {
      const value = (text ?? '').trim();
      if (value === '') continue;
      const before = (on[field] ?? '').trim();
      if (ARCHIVE_HEADERS.has(field) && before !== '') {
        if (comparable(field, before) === comparable(field, value)) same++;
        else conflicts.push({ row: r.row, customerId: r.customerId, field, sheet: value, stored: before });
        continue;
      }
      cells[field] = value;
    }
    if (Object.keys(cells).length > 0) send.push({ row: r.row, customerId: r.customerId, cells });
  }
  return { send, conflicts, same };
}

function comparable(field: string, text: string): string {
  const t = text.normalize('NFKC').trim();
  return field === ARCHIVE_FIELD_ZH.riskProfile ? t.toUpperCase() : t;
}
