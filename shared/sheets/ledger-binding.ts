import { z } from 'zod';

/**
 * How a branch's own ledger (管户台账) was adopted: the part of the binding that is about rows.
 * Which column is which layout column is kept where a column's identity already lives, on the
 * column (developer metadata on Google, a defined name in a workbook: sheet-contract.ts), so a
 * column the manager moves, renames or inserts beside keeps its role. This record is kept on the
 * tab (developer metadata `wealth-ladder.binding` on Google, the identity tab in a workbook) and
 * says where the table's header is and what to do with the branch's customers the ledger lacks.
 *
 * The header row is a number, and rows inserted above it move it: each read checks that the key
 * column still holds `keyHeader` on that row and, when it does not, finds the row again by that
 * text (ledger-grid.ts), so a title row added above the table does not lose the binding.
 */

export const LEDGER_BINDING_VERSION = 1;

/** What to do with the branch's customers that are not in the ledger. */
export const MISSING_MODES = ['list', 'append'] as const;
export type MissingMode = (typeof MISSING_MODES)[number];

export const ledgerBindingSchema = z.strictObject({
  version: z.literal(LEDGER_BINDING_VERSION),
  /** the header's last row (1-based): data starts below it */
  headerRow: z.number().int().min(1).max(1000),
  /** how many rows the header takes (2 for a header with merged group cells above the column names) */
  headerRows: z.number().int().min(1).max(5),
  /** the key column's header text on the branch's sheet (客户编号, 客户号, …): finds the header row again */
  keyHeader: z.string().min(1).max(200),
  /**
   * `list`: the branch's customers missing from the ledger are only listed (tab 未入台账), the
   * ledger gets no new rows; `append`: they get a row after the table's last row, only when
   * nothing of the branch's (a totals row, notes) is below it, otherwise they are listed.
   */
  missing: z.enum(MISSING_MODES),
});
export type LedgerBinding = z.infer<typeof ledgerBindingSchema>;

/** The binding as stored text (metadata values and cells hold text). */
export function bindingToText(binding: LedgerBinding): string {
  return JSON.stringify(ledgerBindingSchema.parse(binding));
}

/** The stored text back, or null when it is not a binding this version reads (an unreadable binding binds nothing). */
export function bindingFromText(text: string | null | undefined): LedgerBinding | null {
  if (text === null || text === undefined || text === '') return null;
  try {
    const parsed = ledgerBindingSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
