import type { Row } from './bench-report.js';
import type { SheetEditLoadBenchResult } from './sheet-edit-load-bench.js';

/** The load section of the report (the target: no errors, no lost edit, p99 reported) and its verdict. */

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');

export function sheetEditLoadRows(r: SheetEditLoadBenchResult): Row[] {
  const rows: Row[] = [
    `Sheet edits under load: sheetEdit served by functions-framework on the emulator, ${r.concurrency} editors sending one-row edits back to back for ${r.seconds.toFixed(1)} s (1 edit in 10 to two customers all editors share)`,
    ['edits answered · throughput', `${count(r.edits)} · ${r.throughput.toFixed(1)} edits/s`, ''],
    ['latency p50 / p95 / p99 / max', `${ms(r.latency.p50)} / ${ms(r.latency.p95)} / ${ms(r.latency.p99)} / ${ms(r.latency.max)} ms (mean ${ms(r.latency.mean)})`, ''],
    ['answers other than 200', count(r.non200), '0'],
    ['edit-log entries / expected (2 cells an edit)', `${count(r.editLogEntries)} / ${count(r.expectedEntries)}`, 'equal'],
    ['edits lost, doubled or half stored', count(r.problemCount), '0'],
    ['load average (1 / 5 / 15 min) at start · end', `${load(r.loadAverage.start)} · ${load(r.loadAverage.end)}`, ''],
  ];
  for (const p of r.problems) rows.push(['  problem', p, '']);
  return rows;
}

export function sheetEditLoadVerdict(r: SheetEditLoadBenchResult): string {
  const pass = r.non200 === 0 && r.problemCount === 0 && r.editLogEntries === r.expectedEntries;
  return `${pass ? 'PASS' : 'MISS'}  sheetEdit under ${r.concurrency} concurrent editors for ${r.seconds.toFixed(0)} s: ${count(r.edits)} edits, ${r.non200} not 200, ${r.problemCount} lost/doubled/half (target: none), p99 ${ms(r.latency.p99)} ms`;
}
