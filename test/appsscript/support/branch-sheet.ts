import { verifySignature } from '../../../functions/http/request-signature.js';
import { COMPUTED_HEADERS, CUSTOMER_HEADERS } from '../../../shared/sheets/branch-layout.js';
import { loadAppsScript, type AppsScript, type AppsScriptOptions } from './apps-script-vm.js';
import type { CellValue, FakeSheet } from './fake-spreadsheet.js';
import type { FetchAnswer, FetchHandler, FetchRequest } from './fake-services.js';

/** Test data for the Apps Script tests: a configured branch spreadsheet, and a FAKE sheetEdit function (unit tests only). */

export const FUNCTION_URL = 'https://asia-east2-bank.cloudfunctions.net/sheetEdit';
export const SECRET = 'apps-script-unit-test-secret-01';
export const MANAGER = 'manager@bank.example';

export type CustomerRow = Record<string, CellValue>;

export interface BranchSheet {
  script: AppsScript;
  sheet: FakeSheet;
  headers: readonly string[];
  /** the column of a header (1-based) */
  col(header: string): number;
  /** the text of a cell (for assertions) */
  at(row: number, header: string): CellValue;
  note(row: number, header: string): string;
}

/** 客户名单 with `headers` (default: the layout's order) and one row per customer, connected and with sync enabled by MANAGER. */
export function branchSheet(rows: readonly CustomerRow[], options: AppsScriptOptions & { headers?: readonly string[]; secret?: boolean } = {}): BranchSheet {
  const headers = options.headers ?? CUSTOMER_HEADERS;
  const script = connectedScript(options);
  const sheet = script.ss.addSheet('客户名单', [headers, ...rows.map((r) => headers.map((h) => r[h] ?? ''))]);
  script.ss.addSheet('升级名单', [['排名', '客户号'], [1, 'C1']]);
  script.as(MANAGER, () => script.call('enableEditSync'));
  const col = (header: string) => {
    const at = headers.indexOf(header);
    if (at < 0) throw new Error(`no column ${header}`);
    return at + 1;
  };
  return { script, sheet, headers, col, at: (row, header) => sheet.cell(row, col(header)).value, note: (row, header) => sheet.cell(row, col(header)).note };
}

/** The compiled script with the connection set (function URL, branch B01, the signing key unless `secret: false`), no sheet yet. */
export function connectedScript(options: AppsScriptOptions & { secret?: boolean } = {}): AppsScript {
  const script = loadAppsScript(options);
  script.documentProperties.setProperties({ 'ladder.functionUrl': FUNCTION_URL, 'ladder.branchId': 'B01' });
  if (options.secret !== false) script.scriptProperties.setProperty('ladder.signingSecret', SECRET);
  return script;
}

/** The computed cells the fake function answers for a customer: recognisable per customer, and text that Sheets would turn into numbers and dates. */
export function computedFor(customerId: string): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const header of COMPUTED_HEADERS) cells[header] = `${header}:${customerId}`;
  cells['月日均资产'] = '300000.00';
  cells['下次联系截止'] = '2026-12-01';
  return cells;
}

export interface FakeFunction extends FetchHandler {
  requests: FetchRequest[];
}

/**
 * A FAKE sheetEdit function: checks the signature with the server's own verifySignature (at
 * the request's own timestamp: no clock in the check), refuses the cells `refuse` names
 * (header → value → Chinese reason), accepts the rest, answers computedFor(customer).
 * `before` runs first (a sort in the sheet while the request is out, a failure to answer).
 */
export function fakeFunction(options: { refuse?: (header: string, value: string) => string | null; computed?: (customerId: string) => Record<string, string> | null; before?: (request: FetchRequest) => FetchAnswer | void } = {}): FakeFunction {
  const requests: FetchRequest[] = [];
  const handler = ((request: FetchRequest): FetchAnswer => {
    requests.push(request);
    const early = options.before?.(request);
    if (early) return early;
    const signature = request.headers['x-ladder-signature'];
    if (signature !== undefined) {
      const t = Number(/^t=(\d+),/.exec(signature)?.[1]);
      if (verifySignature(SECRET, signature, request.payload, t) !== 'ok') return { status: 401, body: JSON.stringify({ code: 'UNAUTHENTICATED', message: 'the request signature is invalid' }) };
    } else if (!request.headers['authorization']?.startsWith('Bearer ')) {
      return { status: 401, body: JSON.stringify({ code: 'UNAUTHENTICATED', message: 'no signature and no bearer token' }) };
    }
    const rows = (request.json.rows as { row: number; customerId: string; cells: Record<string, string> }[]).map((r) => {
      const accepted: string[] = [];
      const refused: { column: string; zh: string }[] = [];
      for (const [column, value] of Object.entries(r.cells)) {
        const zh = options.refuse?.(column, value) ?? null;
        if (zh === null) accepted.push(column);
        else refused.push({ column, zh });
      }
      return { row: r.row, customerId: r.customerId, accepted, refused, computed: options.computed ? options.computed(r.customerId) : computedFor(r.customerId) };
    });
    return { status: 200, body: JSON.stringify({ rows }) };
  }) as FakeFunction;
  handler.requests = requests;
  return handler;
}
