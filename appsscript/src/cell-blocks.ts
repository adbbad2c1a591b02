/**
 * Cells to write, grouped into as few rectangles as possible, each made only of cells that
 * are meant to be written: one Range call per rectangle instead of one per cell (a pasted
 * block of 1,200 rows is one rectangle per run of adjacent columns), and never a cell of a
 * column that was not asked for, so a manager's own columns between ours are never touched.
 */

interface CellTarget<T> {
  row: number;
  column: number;
  value: T;
}

interface CellBlock<T> {
  row: number;
  column: number;
  /** values[i][j] is for (row + i, column + j) */
  values: T[][];
}

function blocksOf<T>(targets: readonly CellTarget<T>[]): CellBlock<T>[] {
  const byRow = new Map<number, Map<number, T>>();
  for (const t of targets) {
    const cells = byRow.get(t.row) ?? new Map<number, T>();
    cells.set(t.column, t.value);
    byRow.set(t.row, cells);
  }
  const rows = Array.from(byRow.keys()).sort((a, b) => a - b);
  const blocks: CellBlock<T>[] = [];
  // The rows so far that share one set of columns, adjacent to each other.
  let group: { first: number; last: number; runs: number[][]; signature: string } | null = null;
  const close = () => {
    if (group === null) return;
    for (const run of group.runs) {
      const values: T[][] = [];
      for (let row = group.first; row <= group.last; row++) {
        const cells = byRow.get(row) as Map<number, T>;
        values.push(run.map((column) => cells.get(column) as T));
      }
      blocks.push({ row: group.first, column: run[0] as number, values });
    }
    group = null;
  };
  for (const row of rows) {
    const columns = Array.from((byRow.get(row) as Map<number, T>).keys()).sort((a, b) => a - b);
    const runs = columnRuns(columns);
    const signature = runs.map((r) => `${r[0]}-${r[r.length - 1]}`).join(',');
    if (group !== null && group.last === row - 1 && group.signature === signature) {
      group.last = row;
      continue;
    }
    close();
    group = { first: row, last: row, runs, signature };
  }
  close();
  return blocks;
}

/** [1,2,3,7,8] → [[1,2,3],[7,8]] */
function columnRuns(sorted: readonly number[]): number[][] {
  const runs: number[][] = [];
  for (const column of sorted) {
    const run = runs[runs.length - 1];
    if (run !== undefined && run[run.length - 1] === column - 1) run.push(column);
    else runs.push([column]);
  }
  return runs;
}
