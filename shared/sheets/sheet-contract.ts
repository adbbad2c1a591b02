import { STATUS_ZH } from '../service/obligations.js';

/**
 * What the system leaves in a branch's Google Sheet besides values, so that it can find its
 * own things again on the next run (docs/branch-sheet.md):
 * - developer metadata on each layout column of 客户名单 and on each of its tabs (visibility
 *   DOCUMENT, so the sheet's own Apps Script can read it too);
 * - protected ranges, recognised by the tag that opens their description;
 * - conditional-format rules colouring 联系状态.
 */

/** column metadata key; the value is the layout header (客户号, 手机, 当前等级, …) */
export const COLUMN_METADATA_KEY = 'wealth-ladder.column';
/** sheet metadata key; the value is the layout tab name (客户名单, 升级名单, …) */
export const TAB_METADATA_KEY = 'wealth-ladder.tab';

/**
 * Protection warns, it does not forbid. A hard protection (editors = the service account)
 * would also stop a manager from sorting 客户名单 or moving its columns, which the layout
 * promises they may do. A computed cell typed over is put back by the next run, a list tab is
 * rewritten, and edits to the branch's columns go through the sheet-edit function, which
 * validates every cell; the warning is there to stop the accident.
 */
export const PROTECTION_WARNING_ONLY = true;

export type ProtectedThing = { kind: 'column'; name: string } | { kind: 'tab'; name: string };

const TAG = /^\[wealth-ladder:(列|表) ([^\]]+)\]/;

/** `[wealth-ladder:列 当前等级] 系统计算列……`: the tag finds the range again, the words explain it to the manager */
export function protectionDescription(thing: ProtectedThing): string {
  if (thing.kind === 'tab') return `[wealth-ladder:表 ${thing.name}] 系统生成的名单，每晚重写；请勿手工修改`;
  if (thing.name === '客户号') return `[wealth-ladder:列 ${thing.name}] 客户号标识每一行属于哪位客户，请勿修改`;
  return `[wealth-ladder:列 ${thing.name}] 系统计算列，每晚自动更新；手工修改会在下次更新时被覆盖`;
}

/** The thing a protected range's description says it protects, or null for a range that is not the system's. */
export function protectedThingOf(description: string | null | undefined): ProtectedThing | null {
  const m = TAG.exec(description ?? '');
  if (m === null) return null;
  return { kind: m[1] === '表' ? 'tab' : 'column', name: m[2] as string };
}

/**
 * 联系状态 backgrounds (RRGGBB), the local workbook's fills: 逾期 light red, 今日 and 本周
 * amber. Each is one conditional-format rule "text is exactly …" on the column.
 */
export const STATUS_BACKGROUNDS: readonly { text: string; background: string }[] = [
  { text: STATUS_ZH.overdue, background: 'FFC7CE' },
  { text: STATUS_ZH.today, background: 'FFEB9C' },
  { text: STATUS_ZH['this-week'], background: 'FFEB9C' },
];

/** tab metadata key of an adopted ledger; the value is the binding as JSON (ledger-binding.ts) */
export const BINDING_METADATA_KEY = 'wealth-ladder.binding';
