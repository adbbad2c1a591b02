import { bindingToText } from '../../shared/sheets/ledger-binding.js';
import type { CellSpan, SpreadsheetSnapshot, StructureChange, TabSnapshot } from '../../shared/sheets/sheet-snapshot.js';

/**
 * After a structure batch failed in a way that leaves open whether Google applied it (no
 * answer within the attempt's time, a 5xx, the connection lost: Google may go on working on a
 * request for up to 180 s after the client gave up), the spreadsheet is read again and only
 * what is still missing is sent, so that a retry never adds a tab twice (a duplicate sheet id
 * is refused with 400), never tags twice, never protects or colours twice.
 *
 * Each change is looked for in the new read, the way the planner (branch-sheet-sync.ts) looks
 * for it: a tab by its chosen id (or its title), a tag by its tab/column and name, a protected
 * range by its description, a rule by its text and column, a binding by its text, a dropped
 * range by its absence. A grown grid leaves no trace of its own, so it is counted as done when
 * the grid is at least `by` larger than it was read before the batch, or when any other change
 * of the batch is found: a spreadsheets.batchUpdate is applied whole or not at all.
 */
export function changesStillMissing(changes: readonly StructureChange[], now: SpreadsheetSnapshot, gridsBefore?: ReadonlyMap<number, { rows: number; columns: number }>): StructureChange[] {
  const found = changes.map((c) => foundIn(c, now));
  const landed = found.some((f) => f === true);
  return changes.filter((c, i) => {
    if (found[i] !== null) return found[i] !== true;
    if (c.kind !== 'growTab') return !landed;
    const before = gridsBefore?.get(c.sheetId);
    const tab = tabById(now, c.sheetId);
    const grown = before !== undefined && tab !== undefined && (c.dimension === 'ROWS' ? tab.rowCount >= before.rows + c.by : tab.columnCount >= before.columns + c.by);
    return !(landed || grown);
  });
}

/** true: the change is there; false: it is not; null: it leaves nothing to look for (grid growth, a format) */
function foundIn(c: StructureChange, now: SpreadsheetSnapshot): boolean | null {
  switch (c.kind) {
    case 'addTab':
      return tabById(now, c.sheetId) !== undefined || now.tabs.some((t) => t.title.toLocaleLowerCase() === c.title.toLocaleLowerCase());
    case 'growTab':
      return null;
    case 'tagTab':
      return tabById(now, c.sheetId)?.tabTag === c.name;
    case 'tagColumn':
      return tabById(now, c.sheetId)?.columnTags.get(c.column) === c.header;
    case 'protect':
      return tabById(now, c.sheetId)?.protections.some((p) => p.description === c.description) ?? false;
    case 'moveProtection':
      return now.tabs.some((t) => t.protections.some((p) => p.id === c.protectionId && sameSpan(p.span, c.span)));
    case 'dropProtection':
      return !now.tabs.some((t) => t.protections.some((p) => p.id === c.protectionId));
    case 'colourWhenText':
      return hasRule(tabById(now, c.sheetId), c.text, c.span.fromColumn ?? 1);
    case 'bindTab': {
      const binding = tabById(now, c.sheetId)?.binding;
      return binding !== undefined && binding !== null && bindingToText(binding) === bindingToText(c.binding);
    }
    default:
      // a change that sets a value (a format) is the same sent twice: resent unless the batch is known to have landed
      return null;
  }
}

function tabById(snapshot: SpreadsheetSnapshot, sheetId: number): TabSnapshot | undefined {
  return snapshot.tabs.find((t) => t.sheetId === sheetId);
}

function hasRule(tab: TabSnapshot | undefined, text: string, column: number): boolean {
  return tab?.conditionalRules.some((r) => r.type === 'TEXT_EQ' && r.values[0] === text && r.spans.some((s) => (s.fromColumn ?? 1) <= column && column <= (s.toColumn ?? Infinity))) ?? false;
}

function sameSpan(a: CellSpan, b: CellSpan): boolean {
  return a.fromRow === b.fromRow && a.toRow === b.toRow && a.fromColumn === b.fromColumn && a.toColumn === b.toColumn;
}
