import type { Row } from './bench-report.js';
import type { EditSeries, SheetEditLatencyBenchResult } from './sheet-edit-latency-bench.js';
import { RUN_LABELS, type RunKind, type SheetsBenchResult, type SheetsRunFigures } from './sheets-bench.js';

/** The spreadsheet sections of the report, and the verdict on the target of at most 3 Sheets requests per branch per run. */

export const SHEETS_TARGET = { requestsPerBranchRun: 3 } as const;

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (s: number) => `${s.toFixed(2)} s`;
const ratio = (r: number) => (r < 10 ? `${r.toFixed(1)}×` : `${count(r)}×`);
const kib = (n: number) => `${n < 10 ? n.toFixed(1) : count(n)} KiB`;
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const OPERATION_SHORT: Record<string, string> = {
  'spreadsheets.get': 'get',
  'spreadsheets.batchUpdate': 'structure batchUpdate',
  'values.batchGet': 'batchGet',
  'values.batchUpdate': 'values.batchUpdate',
};

function operations(run: SheetsRunFigures): string {
  return Object.entries(run.operations)
    .map(([op, n]) => `${OPERATION_SHORT[op] ?? op} ${count(n)}`)
    .join(' + ');
}

export function sheetsRequestRows(result: SheetsBenchResult): Row[] {
  const rows: Row[] = [`Sheets requests per branch per nightly run (runNightlyBranch ${result.today}; googleapis over HTTP → the Sheets API test server), ours vs the naive one-request-per-row writer`];
  for (const branch of result.branches) {
    rows.push([`${count(branch.customers)} customers × ${result.months} months (seeded, not timed)`, `${count(branch.seedDocs)} docs in ${seconds(branch.seedSeconds)}`, '']);
    for (const kind of Object.keys(branch.runs) as RunKind[]) {
      const { ours, naive } = branch.runs[kind]!;
      const failed = ours.failed + naive.failed > 0 ? `; answered ≠ 200: ours ${ours.failed}, naive ${naive.failed}` : '';
      const label = RUN_LABELS[kind];
      const disagree = ours.error === null && ours.selfReported !== ours.requests ? `; the run reports ${ours.selfReported}` : '';
      rows.push([`  ${label}: requests, ours`, `${count(ours.requests)} (${operations(ours)}${failed}${disagree})`, `≤ ${SHEETS_TARGET.requestsPerBranchRun}`]);
      rows.push([`    naive writer${naive.rowRequestsCounted ? ' (row requests counted)' : ''}`, `${count(naive.requests)} (${operations(naive)}) = ${ratio(naive.requests / Math.max(1, ours.requests))} ours`, 'baseline']);
      for (const [who, run] of [['ours', ours], ['naive', naive]] as const) if (run.error !== null) rows.push([`    FAILED (${who})`, run.error, '']);
      const naiveTime = naive.rowRequestsCounted ? 'not timed (row requests counted, not sent)' : `${seconds(naive.seconds)} (${seconds(naive.sheetsSeconds)})`;
      rows.push(['    wall time ours / naive (of which in Sheets calls)', `${seconds(ours.seconds)} (${seconds(ours.sheetsSeconds)}) / ${naiveTime}`, '']);
      rows.push(['    cells written · largest request body, ours / naive', `${count(ours.cellsWritten)} · ${kib(ours.largestBodyKiB)} / ${kib(naive.largestBodyKiB)}`, '']);
    }
    const missing = Object.keys(RUN_LABELS).filter((kind) => branch.runs[kind as RunKind] === undefined);
    if (missing.length > 0) rows.push([`  ${missing.map((k) => RUN_LABELS[k as RunKind]).join(', ')}`, 'not made: a run before failed', '']);
  }
  return rows;
}

/** PASS or MISS per run kind: the most requests any branch size took; a failed run misses. */
export function sheetsVerdicts(result: SheetsBenchResult): string[] {
  const kinds = [...new Set(result.branches.flatMap((b) => Object.keys(b.runs) as RunKind[]))];
  return kinds.map((kind) => {
    const measured = result.branches.filter((b) => b.runs[kind] !== undefined);
    const worst = Math.max(...measured.map((b) => b.runs[kind]!.ours.requests));
    const failures = measured.filter((b) => b.runs[kind]!.ours.error !== null).length;
    const sizes = measured.map((b) => `${count(b.customers)}: ${b.runs[kind]!.ours.requests}${b.runs[kind]!.ours.error !== null ? ' FAILED' : ''}`).join(', ');
    const notMade = result.branches.filter((b) => b.runs[kind] === undefined).map((b) => count(b.customers));
    const pass = worst <= SHEETS_TARGET.requestsPerBranchRun && failures === 0 && notMade.length === 0;
    const gaps = notMade.length > 0 ? `; not made for ${notMade.join(', ')}` : '';
    return `${pass ? 'PASS' : 'MISS'}  Sheets requests per branch, ${RUN_LABELS[kind]}: at most ${worst} (by branch size ${sizes}${gaps}) (target ≤ ${SHEETS_TARGET.requestsPerBranchRun} whatever the branch size, every run succeeding)`;
  });
}

function latencyRow(label: string, s: EditSeries['http']): [string, string, string] {
  return [label, `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)} / ${ms(s.max)} ms (mean ${ms(s.mean)})`, ''];
}

/** Targets on an idle machine, over HTTP: one row's p95, and a 500-row paste's p50 (ms). */
export const SHEET_EDIT_TARGETS = { oneRowP95Ms: 100, pasteRows: 500, pasteP50Ms: 3_000 } as const;

export function sheetEditVerdicts(result: SheetEditLatencyBenchResult): string[] {
  const verdicts: string[] = [];
  const one = result.series.find((s) => s.rowsPerRequest === 1);
  if (one) verdicts.push(`${one.http.p95 <= SHEET_EDIT_TARGETS.oneRowP95Ms ? 'PASS' : 'MISS'}  sheet edit, 1 row over HTTP: p95 ${one.http.p95.toFixed(0)} ms (target ≤ ${SHEET_EDIT_TARGETS.oneRowP95Ms} ms)`);
  const paste = result.series.find((s) => s.rowsPerRequest === SHEET_EDIT_TARGETS.pasteRows);
  if (paste) verdicts.push(`${paste.http.p50 <= SHEET_EDIT_TARGETS.pasteP50Ms ? 'PASS' : 'MISS'}  sheet edit, a paste of ${SHEET_EDIT_TARGETS.pasteRows} rows over HTTP: p50 ${paste.http.p50.toFixed(0)} ms (target ≤ ${SHEET_EDIT_TARGETS.pasteP50Ms} ms)`);
  return verdicts;
}

export function sheetEditRows(result: SheetEditLatencyBenchResult): Row[] {
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const rows: Row[] = [
    `Sheet edit latency: sheetEdit served by functions-framework (child process) on the emulator, requests sent one at a time; baseline processSheetEdit in process`,
    ['branch seeded (not timed)', `${count(result.branchCustomers)} customers in ${seconds(result.seedSeconds)}`, ''],
    ['load average 1 / 5 / 15 min, at start · at end', `${load(result.loadAverage.start)} · ${load(result.loadAverage.end)}`, ''],
  ];
  for (const s of result.series) {
    const few = s.http.count < 20 ? ` (p95, p99 of ${s.http.count} samples = max)` : '';
    rows.push([`${count(s.rowsPerRequest)} row${s.rowsPerRequest === 1 ? '' : 's'} × ${count(s.http.count)} requests (after ${s.warmUp} warm-up on each path), body`, `${count(s.bodyBytes)} bytes`, '']);
    rows.push(latencyRow(`  over HTTP: p50 / p95 / p99 / max${few}`, s.http));
    rows.push(latencyRow('  baseline, processSheetEdit in process', s.inProcess));
    const overhead = s.http.p50 - s.inProcess.p50;
    rows.push(['  p50 over HTTP − p50 in process', `${overhead < 0 ? '−' : ''}${ms(Math.abs(overhead))} ms (${((100 * overhead) / s.http.p50).toFixed(0)}% of p50${overhead < 0 ? ', within the noise' : ''})`, '']);
    rows.push(['  per row at p50, over HTTP', `${ms(s.http.p50 / s.rowsPerRequest)} ms`, '']);
  }
  return rows;
}
