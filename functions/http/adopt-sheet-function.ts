import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import type { CivilDay } from '../../shared/calendar/civil-date.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import type { ServiceStandards } from '../../shared/service/standards.schema.js';
import { MISSING_MODES } from '../../shared/sheets/ledger-binding.js';
import { synonymTable } from '../../shared/sheets/ledger-synonyms.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { adoptSpreadsheet } from '../sheets/google-ledger-adoption.js';
import type { SheetsGateway } from '../sheets/google-sheets-gateway.js';
import { mappingOf, type AdoptOptions } from '../sheets/ledger-adoption.js';
import { acceptAuthenticatedPost, replyWith, type JsonRequestLike, type JsonResponseLike } from './authenticated-post.js';
import type { CallerAuth } from './caller-auth.js';

/**
 * The `adoptSheet` HTTP function: the branch spreadsheet's menu 财富阶梯 → 连接现有表格… asks
 * for the preview of adopting the ledger it holds (`dryRun: true`), shows it, and asks again to
 * bind it (`dryRun: false`); functions/sheets/google-ledger-adoption.ts does the work. The caller
 * is authenticated exactly as for sheetEdit (the same SHEET_EDIT_* secret or OIDC policy: the
 * same Apps Script calls both), before the body is looked at.
 *
 * Contract (docs/functions.md, the Apps Script builds against it):
 * POST `{branchId, spreadsheetId, editor, dryRun, tab?, headerRow?, map?: ['THEIRS=LAYOUT'], missing?: 'list'|'append'}`
 * → 200 `{ok: true, preview, applied: null | {spreadsheetId, registration, replaced, structureChanges, archive}}`
 * | 200 `{ok: false, problems: [{code, zh, en}]}` (no binding found, another branch's spreadsheet,
 * one the system cannot open, a branch not in the register); 400 a bad body, 401, 405, 500.
 */

export interface AdoptSheetDeps {
  db: Firestore;
  sheets: SheetsGateway;
  scheme: Scheme;
  standards: ServiceStandards;
  auth: CallerAuth;
  now: () => Date;
  today: () => CivilDay;
  log?: (entry: { severity: 'INFO' | 'ERROR'; message: string; [field: string]: unknown }) => void;
}

const MAX_MAPPINGS = 100;

const mapping = z.string().transform((text, ctx) => {
  const parsed = mappingOf(text);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: `must be THEIRS=LAYOUT (e.g. "联系电话=手机号码", or "备注=-" for a column of the branch's own), got "${text}"` });
    return z.NEVER;
  }
  return parsed;
});

export const adoptSheetBodySchema = z.strictObject({
  branchId: z.string().trim().min(1, { error: 'must name the branch' }).max(100).regex(/^[^/]+$/, { error: 'must not contain "/"' }),
  spreadsheetId: z.string().trim().min(1, { error: 'must name the spreadsheet' }).max(200),
  editor: z.string().trim().min(3, { error: 'must say who is adopting the sheet (their e-mail)' }).max(320),
  dryRun: z.boolean({ error: 'must be true (the preview) or false (adopt)' }),
  tab: z.string().trim().min(1).max(100).optional(),
  headerRow: z.number().int().min(1).max(1_000).optional(),
  map: z.array(mapping).max(MAX_MAPPINGS).optional(),
  missing: z.enum(MISSING_MODES).optional(),
});

export type AdoptSheetBody = z.infer<typeof adoptSheetBodySchema>;

export function createAdoptSheetHandler(deps: AdoptSheetDeps): (req: JsonRequestLike & { executionId?: string }, res: JsonResponseLike) => Promise<void> {
  const engine = createTierEngine(deps.scheme);
  const synonyms = synonymTable();
  return async (req, res) => {
    const body = await acceptAuthenticatedPost(req, res, { auth: deps.auth, now: deps.now, schema: adoptSheetBodySchema, usage: 'POST the spreadsheet to adopt', what: 'a valid adoption request' });
    if (body === null) return;
    const options: AdoptOptions = { synonyms };
    if (body.tab !== undefined) options.tab = body.tab;
    if (body.headerRow !== undefined) options.headerRow = body.headerRow;
    if (body.map !== undefined) options.map = body.map;
    if (body.missing !== undefined) options.missing = body.missing;
    const reply = replyWith(res);
    try {
      const { outcome, applied } = await adoptSpreadsheet({ ...deps, engine }, body.spreadsheetId, body.branchId, { ...options, dryRun: body.dryRun, editor: body.editor });
      if (!outcome.ok) return reply(200, { ok: false, problems: outcome.problems });
      if (applied !== null) deps.log?.({ severity: 'INFO', message: `adoptSheet: ${body.spreadsheetId} adopted as branch ${body.branchId}'s ledger by ${body.editor}: ${applied.archive.accepted} archive cells accepted, ${applied.archive.refused.length} refused`, branchId: body.branchId });
      reply(200, { ok: true, preview: outcome.plan.preview, applied });
    } catch (error) {
      // The cause goes to the log only; the caller may try again (every step is safe to repeat).
      deps.log?.({ severity: 'ERROR', message: `adoptSheet failed: ${(error as Error)?.message ?? String(error)}`, stack: (error as Error)?.stack, executionId: req.executionId });
      reply(500, { code: 'INTERNAL', message: `the adoption failed unexpectedly and may be retried; the cause is in the function log${req.executionId ? ` (execution ${req.executionId})` : ''}` });
    }
  };
}
