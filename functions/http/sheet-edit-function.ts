import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { formatCivilDay, monthOfDay, ymdOf, type CivilDay } from '../../shared/calendar/civil-date.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import type { ContactEntry } from '../../shared/service/contact-log.schema.js';
import { customerServiceView } from '../../shared/service/customer-service-view.js';
import type { ServiceStandards } from '../../shared/service/standards.schema.js';
import { computeCustomerCells, type ComputedCells } from '../../shared/sheets/customer-cells.js';
import { createTierEngine, type TierEngine } from '../../shared/tier-engine.js';
import { customerIdProblem } from '../../shared/customer-id.js';
import { customersByIdsResuming } from '../store/firestore-engine-state.js';
import { readContactsOfCustomers } from '../store/firestore-service-log.js';
import { applySheetEdits, type RowResult, type SheetEditRequest } from '../store/firestore-sheet-edits.js';
import { acceptAuthenticatedPost, replyWith, type JsonRequestLike, type JsonResponseLike } from './authenticated-post.js';
import type { CallerAuth } from './caller-auth.js';

/**
 * The `sheetEdit` HTTP function's handler: a branch sheet posts the rows a manager edited; the
 * caller must be authenticated (a signature or an OIDC token: functions/http/caller-auth.ts);
 * every cell is validated and stored (or refused with a Chinese reason) in one transaction
 * with the edit log; the edited customers are evaluated again and their computed cells are
 * returned for the sheet to write back. Built from its dependencies; reads no environment
 * (functions/index.ts does).
 */

export type SheetEditRequestLike = JsonRequestLike;

export type SheetEditResponseLike = JsonResponseLike;

export interface SheetEditDeps {
  db: Firestore;
  scheme: Scheme;
  standards: ServiceStandards;
  /** who may call: a signing secret and/or OIDC (functions/http/caller-auth.ts) */
  auth: CallerAuth;
  now: () => Date;
  /** the bank's business date (Asia/Shanghai), from the entry module's clock */
  today: () => CivilDay;
}

const MAX_ROWS = 5_000;

const cellValue = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((v) => (v === null ? '' : String(v)));
const bodySchema = z.strictObject({
  branchId: z.string().trim().min(1, { error: 'must name the branch' }),
  spreadsheetId: z.string().trim().min(1, { error: 'must name the spreadsheet' }),
  editor: z.string().trim().min(3, { error: 'must say who edited (their e-mail)' }).max(320),
  rows: z
    .array(
      z.strictObject({
        row: z.number().int().min(2, { error: 'must be a data row (2 or below)' }),
        customerId: z.string().trim().min(1, { error: 'must be the 客户号 of the row' }),
        cells: z.record(z.string(), cellValue),
      }),
    )
    .min(1, { error: 'must hold at least one edited row' })
    .max(MAX_ROWS, { error: `at most ${MAX_ROWS} rows per request` }),
});

export function createSheetEditHandler(deps: SheetEditDeps): (req: SheetEditRequestLike, res: SheetEditResponseLike) => Promise<void> {
  const engine = createTierEngine(deps.scheme);
  return async (req, res) => {
    const body = await acceptAuthenticatedPost(req, res, { auth: deps.auth, now: deps.now, schema: bodySchema, usage: 'POST the edited rows', what: 'a valid sheet edit' });
    if (body === null) return;
    replyWith(res)(200, { rows: await processSheetEdit(deps, engine, body) });
  };
}

/** What the sheet-edit path works with when it is called in process (ladder watch, adopting a ledger): the function's deps less the caller check, and the engine. */
export interface EditPathDeps {
  db: Firestore;
  scheme: Scheme;
  standards: ServiceStandards;
  engine: TierEngine;
  now: () => Date;
  today: () => CivilDay;
}

export type SheetEditRowAnswer = RowResult & { computed: ComputedCells | null };

/**
 * The sheet-edit path itself, shared by the HTTP function (Google Sheets) and `ladder watch`
 * (local workbooks): validate and store the cells with the edit log in one transaction, then
 * evaluate the edited customers again and answer their computed cells.
 */
export async function processSheetEdit(
  deps: Pick<SheetEditDeps, 'db' | 'scheme' | 'standards' | 'now' | 'today'>,
  engine: TierEngine,
  request: SheetEditRequest,
): Promise<SheetEditRowAnswer[]> {
  const today = deps.today();
  const results = await applySheetEdits(deps.db, deps.scheme, request, today, deps.now);
  // A customer number that cannot name a document (shared/customer-id.ts) was refused above and has nothing to evaluate.
  const customerIds = request.rows.map((r) => r.customerId).filter((id) => customerIdProblem(id) === null);
  const computed = await computedCellsOf(deps, engine, customerIds, request.branchId, today);
  return results.map((r) => ({ ...r, computed: computed.get(r.customerId) ?? null }));
}

/** The edited customers evaluated again, as the computed cells of their rows. */
async function computedCellsOf(deps: Pick<SheetEditDeps, 'db' | 'scheme' | 'standards'>, engine: TierEngine, customerIds: readonly string[], branchId: string, today: CivilDay): Promise<Map<string, ComputedCells>> {
  const { year } = ymdOf(today);
  // Contacts of this year are all that yearly obligations look at.
  const yearStart = `${year}-01-01`;
  const cells = new Map<string, ComputedCells>();
  // The edited customers' facts (resumed from their saved engine states where those fit) and this year's contacts, each read in one go for all rows.
  const [customers, contacts] = await Promise.all([customersByIdsResuming(deps.db, customerIds, deps.scheme, monthOfDay(today)), readContactsOfCustomers(deps.db, customerIds, yearStart)]);
  for (const facts of customers) {
    if (facts.branchId !== branchId || engine.problemWith(facts)) continue;
    const log: ContactEntry[] = contacts.get(facts.customerId) ?? [];
    const { view, due, coverage } = customerServiceView(engine, deps.standards, facts, log, today, null);
    cells.set(facts.customerId, computeCustomerCells({ scheme: deps.scheme, view, due: due.band ? due : null, coverage, updatedAt: formatCivilDay(today) }));
  }
  return cells;
}

