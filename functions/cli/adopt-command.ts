import type { Firestore } from '@google-cloud/firestore';
import { readFile } from 'node:fs/promises';
import { DEFAULT_STANDARDS_ID } from '../../shared/service/bundled-standards.js';
import { MISSING_MODES, type MissingMode } from '../../shared/sheets/ledger-binding.js';
import type { ColumnMapping } from '../../shared/sheets/ledger-detect.js';
import { synonymTable, SynonymError } from '../../shared/sheets/ledger-synonyms.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { loadScheme, loadStandards } from '../scheme-source.js';
import { DEFAULT_BACKOFF } from '../sheets/backoff.js';
import { adoptSpreadsheet } from '../sheets/google-ledger-adoption.js';
import { googleSheetsGateway } from '../sheets/google-sheets-gateway.js';
import { describePreview, mappingOf, type AdoptionOutcome, type AdoptOptions, type ArchiveReport } from '../sheets/ledger-adoption.js';
import { createSheetsClient } from '../sheets/sheets-client.js';
import { adoptWorkbook, AdoptionError } from '../sheets/xlsx-ledger-adoption.js';
import { WorkbookIdentityError } from '../sheets/xlsx-workbook-identity.js';
import { todayInShanghai } from './watch-command.js';

/**
 * `ladder adopt FILE.xlsx --branch ID [--tab NAME] [--header-row N] [--map 'THEIRS=LAYOUT' …]
 * [--missing list|append] [--synonyms FILE] [--dry-run] [--json]`: adopt the ledger a branch
 * already keeps (docs/adopting-a-sheet.md). `--dry-run` prints the preview and writes nothing;
 * without it the binding is recorded, the workbook registered as the branch's and the archive
 * sent through the sheet-edit path, and the same report is printed. `--json`: one JSON object on
 * standard output. Exit 0 when a binding was found, 2 when it could not be (the reasons are
 * printed) or on a usage or configuration error.
 *
 * `ladder adopt --spreadsheet ID --branch ID …` does the same with a Google spreadsheet, through
 * the Sheets client the environment names (SHEETS_API_ROOT, else application default
 * credentials; functions/sheets/google-ledger-adoption.ts): the same options, report and exit
 * codes; the spreadsheet is registered as the branch's `spreadsheetId`, and one registered to
 * another branch is refused.
 */

export const ADOPT_OPTIONS = {
  branch: { type: 'string' },
  tab: { type: 'string' },
  'header-row': { type: 'string' },
  map: { type: 'string', multiple: true },
  missing: { type: 'string' },
  synonyms: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  editor: { type: 'string' },
  scheme: { type: 'string' },
  standards: { type: 'string' },
  spreadsheet: { type: 'string' },
} as const;

export interface AdoptValues {
  branch?: string;
  tab?: string;
  'header-row'?: string;
  map?: string[];
  missing?: string;
  synonyms?: string;
  'dry-run'?: boolean;
  json?: boolean;
  editor?: string;
  scheme?: string;
  standards?: string;
  spreadsheet?: string;
}

export class AdoptUsageError extends Error {
  override readonly name = 'AdoptUsageError';
}

/** The binding options as the operator gave them (validated; a usage error names the flag). */
export async function adoptOptionsOf(values: AdoptValues): Promise<AdoptOptions> {
  const options: AdoptOptions = { synonyms: synonymTable() };
  if (values.synonyms !== undefined) {
    let bank: unknown;
    try {
      bank = JSON.parse(await readFile(values.synonyms, 'utf8'));
    } catch (error) {
      throw new AdoptUsageError(`--synonyms ${values.synonyms}: ${(error as Error).message}`);
    }
    try {
      options.synonyms = synonymTable(bank);
    } catch (error) {
      if (error instanceof SynonymError) throw new AdoptUsageError(`--synonyms ${values.synonyms}: ${error.message}`);
      throw error;
    }
  }
  if (values.tab !== undefined) options.tab = values.tab;
  if (values['header-row'] !== undefined) {
    // digits only: Number() would also take ' 4 ', '0x4' and '4e0'
    const n = /^\d{1,7}$/.test(values['header-row']) ? Number(values['header-row']) : NaN;
    if (!Number.isInteger(n) || n < 1) throw new AdoptUsageError(`--header-row must be a row number (1 or more), got "${values['header-row']}"`);
    options.headerRow = n;
  }
  if (values.missing !== undefined) {
    if (!(MISSING_MODES as readonly string[]).includes(values.missing)) throw new AdoptUsageError(`--missing must be ${MISSING_MODES.join(' or ')}, got "${values.missing}"`);
    options.missing = values.missing as MissingMode;
  }
  if (values.map !== undefined) options.map = values.map.map(parseMapping);
  return options;
}

/** `联系电话=手机号码`, `客户等级=当前等级`, `D=客户号`, `备注=-` (the branch's own) */
export function parseMapping(text: string): ColumnMapping {
  const mapping = mappingOf(text);
  if (mapping === null) throw new AdoptUsageError(`--map must be THEIRS=LAYOUT (e.g. '联系电话=手机号码', or '备注=-' for a column of the branch's own), got "${text}"`);
  return mapping;
}

type Out = (text: string) => void;

/** `file` is '' with --spreadsheet; `env` names the Sheets endpoint for it (functions/sheets/sheets-client.ts) */
export async function adoptCommand(
  db: Firestore,
  file: string,
  values: AdoptValues,
  env: Readonly<Record<string, string | undefined>>,
  out: Out = (t) => process.stdout.write(t),
  err: Out = (t) => process.stderr.write(t),
): Promise<number> {
  if (!values.branch) throw new AdoptUsageError('--branch is required (the branch whose ledger this is)');
  if (values.spreadsheet !== undefined && (file !== '' || values.spreadsheet.trim() === '')) throw new AdoptUsageError('adopt either FILE.xlsx or --spreadsheet ID (a Google spreadsheet id), not both');
  const options = await adoptOptionsOf(values);
  const scheme = await loadScheme(values.scheme ?? 'boc');
  const standards = await loadStandards(values.standards ?? DEFAULT_STANDARDS_ID, scheme);
  const deps = { db, scheme, standards, engine: createTierEngine(scheme), now: () => new Date(), today: todayInShanghai };
  if (values.spreadsheet !== undefined) {
    const spreadsheetId = values.spreadsheet.trim();
    const sheets = googleSheetsGateway(createSheetsClient(env), DEFAULT_BACKOFF);
    const editor = values.editor ?? `ladder adopt --spreadsheet ${spreadsheetId}`;
    const google = await adoptSpreadsheet({ ...deps, sheets }, spreadsheetId, values.branch, { ...options, dryRun: values['dry-run'] ?? false, editor });
    report(google.outcome, google.applied, values.json ?? false, out);
    if (!google.outcome.ok) return 2;
    const a = google.applied;
    if (a !== null) {
      err(`ladder adopt: spreadsheet ${spreadsheetId} bound and registered as branch ${values.branch}'s spreadsheet (${a.registration}${a.replaced ? `, replacing ${a.replaced}` : ''}); archive: ${a.archive.rowsSent} rows sent, ${a.archive.accepted} cells accepted, ${a.archive.refused.length} refused\n`);
    } else if (values['dry-run']) {
      err('ladder adopt: dry run, nothing was written\n');
    }
    return 0;
  }
  let result;
  try {
    result = await adoptWorkbook(file, deps, values.branch, { ...options, dryRun: values['dry-run'] ?? false, ...(values.editor ? { editor: values.editor } : {}) });
  } catch (error) {
    if (error instanceof AdoptionError || error instanceof WorkbookIdentityError) {
      err(`ladder adopt: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  report(result.outcome, result.applied, values.json ?? false, out);
  if (!result.outcome.ok) return 2;
  if (result.applied !== null) {
    const a = result.applied;
    err(`ladder adopt: ${file} bound and registered as branch ${a.identity.branchId}'s workbook ${a.identity.workbookId} (${a.registration}); archive: ${a.archive.rowsSent} rows sent, ${a.archive.accepted} cells accepted, ${a.archive.refused.length} refused\n`);
  } else if (values['dry-run']) {
    err('ladder adopt: dry run, nothing was written\n');
  }
  return 0;
}

export interface AppliedReport {
  registration: string;
  structureChanges: number;
  archive: ArchiveReport;
  [more: string]: unknown;
}

/** The report: the preview (and what was done) as text, or as one JSON object. */
export function report(outcome: AdoptionOutcome, applied: AppliedReport | null, json: boolean, out: Out): void {
  if (json) {
    out(JSON.stringify(outcome.ok ? { ok: true, ...outcome.plan.preview, applied } : { ok: false, problems: outcome.problems }) + '\n');
    return;
  }
  for (const line of describePreview(outcome)) out(`${line}\n`);
  if (applied !== null) {
    out(`已连接：档案读入 ${applied.archive.accepted} 个单元格，${applied.archive.refused.length} 个未通过校验：\n`);
    for (const r of applied.archive.refused) out(`  第 ${r.row} 行 客户 ${r.customerId} ${r.field}：${r.zh}\n`);
  }
}
