/**
 * Firestore collection names, in one place (docs/firestore.md describes every field).
 * Documents are keyed so that writing the same thing twice lands on the same document.
 */
export const COLLECTIONS = {
  /** branches/{branchId}: name, parentId, spreadsheetId, managers */
  branches: 'branches',
  /** customers/{customerId}: branchId, profile, override, maturities */
  customers: 'customers',
  /** facts/{customerId}_{YYYY-MM}: one month's accumulator, days keyed by business date */
  facts: 'facts',
  /** contacts/{contactId}: the contact log */
  contacts: 'contacts',
  /** tierEvents/{customerId}_{effectiveMonth}: append-only audit of tier changes */
  tierEvents: 'tierEvents',
  /** editLog/{editId}: every sheet edit, accepted or rejected (append-only) */
  editLog: 'editLog',
  /** runs/{runId}: ingest and nightly runs, with counts; rejected rows in runs/{runId}/rejects */
  runs: 'runs',
  /** branchSummaries/{branchId}_{YYYY-MM}: the branch's latest nightly summary in that month (head office reads these, never customers) */
  branchSummaries: 'branchSummaries',
  /** nightlyDates/{YYYY-MM-DD}: one business date's nightly run: branches planned, each one's outcome, consolidation */
  nightlyDates: 'nightlyDates',
  /** headOfficeMonths/{YYYY-MM}: the bank's totals as of the month's latest consolidation (the 月度趋势 rows) */
  headOfficeMonths: 'headOfficeMonths',
  /** sheetSeen/{sheetId}_{NN} and sheetSeen/{sheetId}_meta: a branch sheet's editable texts as the nightly run last saw them */
  sheetSeen: 'sheetSeen',
  /** sheetsQuota/{account|project}_{read|write}_{window}: Sheets requests taken in one pacing window (firestore-sheets-quota.ts); expiresAt for a TTL policy */
  sheetsQuota: 'sheetsQuota',
} as const;

export function factsDocId(customerId: string, month: string): string {
  return `${encodeURIComponent(customerId)}_${month}`;
}
