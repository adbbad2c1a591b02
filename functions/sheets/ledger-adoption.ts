import type { Firestore } from '@google-cloud/firestore';
import { columnRole, CUSTOMER_TAB } from '../../shared/sheets/branch-layout.js';
import type { MissingMode } from '../../shared/sheets/ledger-binding.js';
import { proposeBinding, type BindingNoteCode, type ColumnMapping, type LedgerProposal } from '../../shared/sheets/ledger-detect.js';
import { ledgerKeys, planAdoption, type AdoptionPlan } from '../../shared/sheets/ledger-preview.js';
import type { SynonymTable } from '../../shared/sheets/ledger-synonyms.js';
import type { SpreadsheetSnapshot } from '../../shared/sheets/sheet-snapshot.js';
import type { TierEngine } from '../../shared/tier-engine.js';
import { processSheetEdit, type EditPathDeps } from '../http/sheet-edit-function.js';
import { branchArchives, ownersOf } from '../store/firestore-ledger-lookup.js';
import { COLLECTIONS } from '../store/collections.js';

/**
 * Adopting a branch's own ledger, whatever holds it (a Google spreadsheet, a local workbook):
 * read, then pure (shared/sheets/ledger-detect.ts proposes, ledger-preview.ts plans), then the
 * gateway's structure call records the binding, and the archive the branch typed goes through the
 * sheet-edit path (processSheetEdit: validated cell by cell, logged, refusals answered with why).
 */

/** What an adoption works with, whatever holds the ledger: the sheet-edit path's. */
export type AdoptDeps = EditPathDeps;

export interface AdoptOptions {
  synonyms: SynonymTable;
  tab?: string;
  headerRow?: number;
  map?: readonly ColumnMapping[];
  missing?: MissingMode;
}

/** Why an adoption cannot go ahead: the ledger's own problems (no key column, …) or the spreadsheet's (another branch's, not shared with the system). */
export interface AdoptionProblem {
  code: BindingNoteCode | 'BRANCH_NOT_REGISTERED' | 'SPREADSHEET_OF_ANOTHER_BRANCH' | 'SPREADSHEET_NOT_READABLE';
  zh: string;
  en: string;
}

/** `联系电话=手机号码`, `客户等级=当前等级`, `D=客户号`, `备注=-` (the branch's own); null when the text is not THEIRS=LAYOUT */
export function mappingOf(text: string): ColumnMapping | null {
  const at = text.lastIndexOf('=');
  if (at <= 0) return null;
  const layout = text.slice(at + 1).trim();
  return { theirs: text.slice(0, at).trim(), layout: layout === '' || layout === '-' ? null : layout };
}

export type AdoptionOutcome = { ok: false; problems: AdoptionProblem[] } | { ok: true; proposal: LedgerProposal; plan: AdoptionPlan };

/** The preview: nothing is written. */
export async function previewAdoption(db: Firestore, snapshot: SpreadsheetSnapshot, branchId: string, options: AdoptOptions): Promise<AdoptionOutcome> {
  const result = proposeBinding(snapshot, options);
  if (!result.ok) return result;
  const { proposal } = result;
  const other = snapshot.tabs.find((t) => t.tabTag === CUSTOMER_TAB && t.sheetId !== proposal.sheetId);
  if (other !== undefined) {
    return {
      ok: false,
      problems: [
        {
          code: 'AMBIGUOUS_TAB',
          zh: `工作表“${other.title}”是系统以前建立的客户名单页；连接“${proposal.tab}”之前请先删除“${other.title}”（其中的计算列每晚都会重写，不会丢失数据）`,
          en: `tab "${other.title}" is the system's own 客户名单 from before; delete it before adopting "${proposal.tab}"`,
        },
      ],
    };
  }
  const tab = snapshot.tabs.find((t) => t.sheetId === proposal.sheetId);
  if (tab !== undefined && (tab.binding ?? null) !== null && !sameBoundColumns(tab.columnTags, proposal.tags)) {
    return {
      ok: false,
      problems: [
        {
          code: 'ALREADY_BOUND',
          zh: `工作表“${tab.title}”已经连接，各列的对应关系与这次不同；如要改变，请先解除连接（ladder unbind）再重新连接`,
          en: `tab "${tab.title}" is adopted already with other column bindings; unbind it first to change them`,
        },
      ],
    };
  }
  const [{ archives }, owners] = await Promise.all([branchArchives(db, branchId), ownersOf(db, ledgerKeys(snapshot, proposal))]);
  return { ok: true, proposal, plan: planAdoption(snapshot, proposal, { branchId, archives, owners }) };
}

/** The key and editable columns bound now and proposed are the same ones (the computed columns the system added do not count). */
function sameBoundColumns(now: ReadonlyMap<number, string>, proposed: ReadonlyMap<number, string>): boolean {
  const bound = [...now].filter(([, h]) => columnRole(h) !== 'computed');
  const wanted = [...proposed].filter(([, h]) => columnRole(h) !== 'computed');
  return bound.length === wanted.length && bound.every(([c, h]) => proposed.get(c) === h);
}

export interface ArchiveReport {
  rowsSent: number;
  accepted: number;
  refused: { row: number; customerId: string; field: string; zh: string }[];
}

/** rows per call of the edit path (one Firestore batch of edits each) */
const ROWS_PER_REQUEST = 200;

/** The ledger's archive cells through the sheet-edit path, as edits by `editor` of sheet `sheetId` (which must be registered as the branch's first). */
export async function sendLedgerArchive(
  deps: Omit<AdoptDeps, 'engine'>,
  engine: TierEngine,
  branchId: string,
  sheetId: string,
  editor: string,
  plan: AdoptionPlan,
): Promise<ArchiveReport> {
  const report: ArchiveReport = { rowsSent: 0, accepted: 0, refused: [] };
  const rows = plan.archive.send;
  for (let i = 0; i < rows.length; i += ROWS_PER_REQUEST) {
    const chunk = rows.slice(i, i + ROWS_PER_REQUEST);
    const answers = await processSheetEdit(deps, engine, { branchId, spreadsheetId: sheetId, editor, rows: chunk.map((r) => ({ row: r.row, customerId: r.customerId, cells: r.cells })) });
    report.rowsSent += chunk.length;
    for (const a of answers) {
      report.accepted += a.accepted.length;
      for (const r of a.refused) report.refused.push({ row: a.row, customerId: a.customerId, field: r.column, zh: r.zh });
    }
  }
  return report;
}

/** Whether the branch is in the register (an adoption for a branch the bank has not set up is refused). */
export async function branchExists(db: Firestore, branchId: string): Promise<boolean> {
  return (await db.collection(COLLECTIONS.branches).doc(branchId).get()).exists;
}

/** The preview in the operator's words, one line each. */
export function describePreview(outcome: AdoptionOutcome): string[] {
  if (!outcome.ok) return ['无法连接台账 (no binding):', ...outcome.problems.map((p) => `  ✗ ${p.zh}`)];
  const p = outcome.plan.preview;
  const lines: string[] = [];
  lines.push(`工作表“${p.tab}”：表头在第 ${p.headerRow} 行${p.headerRows > 1 ? `（共 ${p.headerRows} 行表头）` : ''}${p.titleRows.length > 0 ? `，标题行 ${p.titleRows.join('、')}` : ''}；客户号列 ${p.keyColumn}`);
  lines.push(`表格从第 ${p.table.firstRow} 行到第 ${p.table.lastRow} 行${p.table.totalsRow !== null ? `，第 ${p.table.totalsRow} 行为合计行（不写入）` : ''}`);
  lines.push('各列：');
  const ROLE_ZH = { key: '客户号（按此列找到每行的客户）', editable: '档案（读入）', computed: '系统计算（写入）', own: '支行自己的列（不读不写）' } as const;
  for (const c of p.columns) lines.push(`  ${c.column} ${c.group ? `${c.group}/` : ''}${c.header || '（无表头）'} → ${ROLE_ZH[c.role]}${c.field !== null && c.role !== 'key' && c.field !== c.header ? ` ${c.field}` : ''}${c.by === 'map' ? '（指定）' : ''}`);
  lines.push(`本支行客户 ${p.matched} 行；其他 ${p.unmatched.filter((u) => u.reason !== 'blank').length} 行不是本支行客户${p.unmatched.some((u) => u.reason === 'blank') ? `，空行 ${p.unmatched.filter((u) => u.reason === 'blank').length} 行` : ''}：`);
  for (const u of p.unmatched.filter((x) => x.reason !== 'blank')) lines.push(`  ${u.zh}`);
  lines.push(`档案：${p.archive.cells} 个单元格（${p.archive.rows} 行）将读入系统；${p.archive.same} 个与系统一致；${p.conflicts.length} 个与系统不一致（不覆盖，列出）：`);
  for (const c of p.conflicts) lines.push(`  第 ${c.row} 行 客户 ${c.customerId} ${c.field}：台账“${c.sheet}”，系统“${c.stored}”`);
  lines.push('首次夜间运行将：');
  for (const a of p.adds) lines.push(`  + ${a.zh}`);
  for (const n of p.notes) lines.push(`  ! ${n.zh}`);
  return lines;
}
