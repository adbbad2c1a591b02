import type { Firestore } from '@google-cloud/firestore';
import type { sheets_v4 } from 'googleapis';
import { columnRole, CUSTOMER_TAB, LAYOUT_TAB_NAMES } from '../../shared/sheets/branch-layout.js';
import { BINDING_METADATA_KEY, COLUMN_METADATA_KEY, TAB_METADATA_KEY } from '../../shared/sheets/sheet-contract.js';
import type { SpreadsheetSnapshot, TabSnapshot } from '../../shared/sheets/sheet-snapshot.js';
import { unregisterSpreadsheet } from '../store/firestore-spreadsheet-registration.js';
import { DEFAULT_BACKOFF, withBackoff, type BackoffPolicy } from './backoff.js';
import type { CellWrite, SheetsGateway } from './google-sheets-gateway.js';

/**
 * Undoing the adoption of a branch's own ledger kept in a Google spreadsheet (`ladder unbind
 * --spreadsheet ID`), the counterpart of xlsx-ledger-unbind.ts: the spreadsheet goes back to being
 * only the branch's. What the system added is taken out —
 * - the computed columns' cells emptied (values written as ''; the columns stay, so no formula of
 *   the branch's shifts), found by their tags at write time, and their colour rules deleted;
 * - the tabs the system owns (升级名单, 降级预警, 待办, 考核, 未入台账) deleted;
 * - every developer metadata entry of the system's (`wealth-ladder.tab`, `.column`, `.binding`)
 *   deleted by a lookup on its key (DeleteDeveloperMetadataRequest with a DataFilter);
 * — and the spreadsheet is no longer any branch's registered `spreadsheetId`, so no nightly run
 * writes it again. The branch's own cells and tabs are not written. The archive already read into
 * Firestore stays (it is the bank's record; editLog says where it came from).
 *
 * Two requests: the values first (while the tags still say which columns are computed), then one
 * spreadsheets.batchUpdate with every structural removal (atomic). That batch is built from a
 * fresh read on each attempt, so a retry after an answer that was lost sends only what is still
 * there, never a deleteSheet for a tab already gone (Google refuses that with 400).
 */

export interface GoogleUnbindReport {
  spreadsheetId: string;
  /** the branches whose registered spreadsheet this was (one, unless the store was edited by hand) */
  branchIds: string[];
  computedColumnsCleared: number;
  cellsEmptied: number;
  colourRulesRemoved: number;
  tabsRemoved: string[];
  metadataKeysRemoved: string[];
}

export class GoogleUnbindError extends Error {
  override readonly name = 'GoogleUnbindError';
}

const SYSTEM_METADATA_KEYS = [TAB_METADATA_KEY, COLUMN_METADATA_KEY, BINDING_METADATA_KEY] as const;

export interface GoogleUnbindDeps {
  db: Firestore;
  sheets: SheetsGateway;
  /** the raw client, for the removal batch (the gateway sends the system's own structure kinds only) */
  client: sheets_v4.Sheets;
  policy?: BackoffPolicy;
}

export async function unbindSpreadsheet(deps: GoogleUnbindDeps, spreadsheetId: string): Promise<GoogleUnbindReport> {
  const first = await deps.sheets.read(spreadsheetId);
  const ledger = boundLedgerOf(first);
  if (ledger === null) throw new GoogleUnbindError(`spreadsheet ${spreadsheetId} is not an adopted ledger (no tab carries a ${BINDING_METADATA_KEY} binding); a spreadsheet the system laid out is simply kept or deleted as it is`);
  const computed = computedColumnsOf(ledger);
  const emptied = emptyingWrites(ledger, computed);
  await deps.sheets.writeCells(spreadsheetId, emptied);

  // what the first attempt found to remove is what is reported (a later one after a lost answer finds less)
  let removal: ReturnType<typeof removalRequests> | null = null;
  await withBackoff(
    'spreadsheets.batchUpdate (unbind)',
    async () => {
      const planned = removalRequests(await deps.sheets.read(spreadsheetId));
      removal ??= planned;
      if (planned.requests.length > 0) await deps.client.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: planned.requests } }, { retry: false });
    },
    deps.policy ?? DEFAULT_BACKOFF,
  );
  const branchIds = await unregisterSpreadsheet(deps.db, spreadsheetId);
  const { colourRulesRemoved, tabsRemoved } = removal ?? { colourRulesRemoved: 0, tabsRemoved: [] };
  return { spreadsheetId, branchIds, computedColumnsCleared: computed.size, cellsEmptied: emptied.length, colourRulesRemoved, tabsRemoved, metadataKeysRemoved: [...SYSTEM_METADATA_KEYS] };
}

/** The adopted ledger: the tab tagged 客户名单 that carries a binding (a tab the system laid out carries none). */
function boundLedgerOf(snapshot: SpreadsheetSnapshot): TabSnapshot | null {
  return snapshot.tabs.find((t) => t.tabTag === CUSTOMER_TAB && t.binding !== null && t.binding !== undefined) ?? null;
}

/** column → header of the ledger's computed columns (by their tags) */
function computedColumnsOf(tab: TabSnapshot): Map<number, string> {
  return new Map([...tab.columnTags].filter(([, header]) => columnRole(header) === 'computed'));
}

/** '' into every filled cell of the computed columns, header included, addressed by the column's tag */
function emptyingWrites(tab: TabSnapshot, computed: ReadonlyMap<number, string>): CellWrite[] {
  const writes: CellWrite[] = [];
  tab.values.forEach((cells, r) => {
    for (const [column, header] of computed) if ((cells[column - 1] ?? '') !== '') writes.push({ tab: tab.title, sheetId: tab.sheetId, row: r + 1, column, header, value: '' });
  });
  return writes;
}

function removalRequests(snapshot: SpreadsheetSnapshot): { requests: sheets_v4.Schema$Request[]; colourRulesRemoved: number; tabsRemoved: string[] } {
  const requests: sheets_v4.Schema$Request[] = [];
  const ledger = boundLedgerOf(snapshot);
  let colourRulesRemoved = 0;
  if (ledger !== null) {
    const computed = computedColumnsOf(ledger);
    const onComputedOnly = (spans: TabSnapshot['conditionalRules'][number]['spans']) => spans.length > 0 && spans.every((s) => s.fromColumn !== undefined && s.fromColumn === s.toColumn && computed.has(s.fromColumn));
    // highest index first: deleting a rule moves the ones after it up
    const indexes = ledger.conditionalRules.flatMap((rule, index) => (onComputedOnly(rule.spans) ? [index] : [])).reverse();
    for (const index of indexes) requests.push({ deleteConditionalFormatRule: { sheetId: ledger.sheetId, index } });
    colourRulesRemoved = indexes.length;
  }
  const owned = snapshot.tabs.filter((t) => t.tabTag !== null && t.tabTag !== CUSTOMER_TAB && LAYOUT_TAB_NAMES.includes(t.tabTag));
  for (const tab of owned) requests.push({ deleteSheet: { sheetId: tab.sheetId } });
  const tagged = snapshot.tabs.some((t) => t.tabTag !== null || t.columnTags.size > 0 || (t.binding !== null && t.binding !== undefined));
  if (tagged) for (const key of SYSTEM_METADATA_KEYS) requests.push({ deleteDeveloperMetadata: { dataFilter: { developerMetadataLookup: { metadataKey: key } } } });
  return { requests, colourRulesRemoved, tabsRemoved: owned.map((t) => t.title) };
}
