import type { Firestore } from '@google-cloud/firestore';
import type { CivilDay } from '../../shared/calendar/civil-date.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import type { ServiceStandards } from '../../shared/service/standards.schema.js';
import { synonymTable } from '../../shared/sheets/ledger-synonyms.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { adoptWorkbook } from '../sheets/xlsx-ledger-adoption.js';
import { readIdentity } from '../sheets/xlsx-workbook-identity.js';
import { readWorkbook } from '../sheets/xlsx-workbook-file.js';
import type { DemoBank } from './demo-bank.js';
import { DEMO_LEDGER_BRANCH, writeDemoLedger } from './demo-ledger.js';

/**
 * `npm start`'s adoption of the demo branch's own ledger, as an operator does it with `ladder
 * adopt`: the ledger is written once (kept with a manager's edits on later runs), adopted
 * through the same code (binding recorded, workbook registered, archive read in through the
 * sheet-edit path), and the nightly run writes it in place.
 */

export const DEMO_LEDGER_FILE = '城东支行管户台账.xlsx';

export interface DemoLedgerAdoption {
  branchId: string;
  path: string;
  /** false when the ledger was adopted on an earlier run */
  adoptedNow: boolean;
  matched: number;
  unmatched: number;
  archiveAccepted: number;
  archiveRefused: number;
  conflicts: number;
  missing: number;
  columnsAdded: number;
}

export async function adoptDemoLedger(deps: { db: Firestore; scheme: Scheme; standards: ServiceStandards; now: () => Date; today: () => CivilDay }, bank: DemoBank, path: string): Promise<DemoLedgerAdoption> {
  await writeDemoLedger(bank, path);
  const base = { branchId: DEMO_LEDGER_BRANCH, path };
  if (readIdentity(await readWorkbook(path)) !== null) return { ...base, adoptedNow: false, matched: 0, unmatched: 0, archiveAccepted: 0, archiveRefused: 0, conflicts: 0, missing: 0, columnsAdded: 0 };
  const { outcome, applied } = await adoptWorkbook(path, { ...deps, engine: createTierEngine(deps.scheme) }, DEMO_LEDGER_BRANCH, { synonyms: synonymTable(), dryRun: false, editor: 'ladder adopt (demo)' });
  if (!outcome.ok) throw new Error(`the demo ledger was not recognised: ${outcome.problems.map((p) => p.en).join('; ')}`);
  const p = outcome.plan.preview;
  const missing = p.adds.flatMap((a) => (a.kind === 'listed' || a.kind === 'rows' ? a.customers : [])).length;
  return {
    ...base,
    adoptedNow: true,
    matched: p.matched,
    unmatched: p.unmatched.filter((u) => u.reason !== 'blank').length,
    archiveAccepted: applied?.archive.accepted ?? 0,
    archiveRefused: applied?.archive.refused.length ?? 0,
    conflicts: p.conflicts.length,
    missing,
    columnsAdded: p.adds.filter((a) => a.kind === 'column').length,
  };
}

export function describeDemoLedger(a: DemoLedgerAdoption): string {
  if (!a.adoptedNow) return `台账连接 Adopted ledger: ${a.branchId} keeps its own ledger ${a.path} (adopted on an earlier run; written in place)`;
  return (
    `台账连接 Adopted ledger: ${a.branchId} keeps its own ledger ${a.path}: ${a.matched} 行本支行客户 rows matched, ${a.unmatched} 行不是 not the branch's (listed with why), ` +
    `档案读入 archive cells accepted ${a.archiveAccepted}, refused ${a.archiveRefused}, 冲突 conflicts ${a.conflicts} (kept, listed); ` +
    `${a.missing} 位未入台账 customers not in it listed on 未入台账; ${a.columnsAdded} computed columns appended after its last column`
  );
}
