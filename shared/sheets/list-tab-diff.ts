import type { CellWrite } from './customer-sheet-plan.js';

/**
 * The cells to write so that a system-owned list tab (升级名单, 降级预警, 待办, 考核) shows
 * exactly `header` + `rows`: only cells whose text differs are written, and cells left over
 * from a longer list are blanked (written as ''), never cleared wholesale. Rows and columns
 * are 1-based, as the sheet numbers them.
 */
export function listTabWrites(current: readonly (readonly string[])[], header: readonly string[], rows: readonly (readonly string[])[]): CellWrite[] {
  const wanted = [header, ...rows];
  const writes: CellWrite[] = [];
  const height = Math.max(current.length, wanted.length);
  for (let r = 0; r < height; r++) {
    const have = current[r] ?? [];
    const want = wanted[r] ?? [];
    const width = Math.max(have.length, want.length);
    for (let c = 0; c < width; c++) {
      const next = want[c] ?? '';
      if ((have[c] ?? '') !== next) writes.push({ row: r + 1, column: c + 1, value: next });
    }
  }
  return writes;
}
