import type { BranchOutcome, PoolProgress } from '../nightly/branch-pool.js';

/**
 * The nightly run's progress for a terminal: one line redrawn in place (a bar advancing branch
 * by branch, failures, what is running, the ETA), or, when standard error is not a terminal
 * (CI, a log file), one plain line per finished branch.
 */

const WIDTH = 24;

export function progressBar(p: PoolProgress): string {
  const filled = p.total === 0 ? WIDTH : Math.round((p.finished / p.total) * WIDTH);
  const running = p.running.length > 0 ? ` · running ${p.running.slice(0, 3).join(', ')}${p.running.length > 3 ? ` +${p.running.length - 3}` : ''}` : '';
  return `[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${p.finished}/${p.total} branches${p.failed > 0 ? ` · ${p.failed} failed` : ''}${running} · ETA ${duration(p.etaMs)}`;
}

export function outcomeLine(o: BranchOutcome): string {
  return `  ${o.branchId.padEnd(10)} ${o.status === 'done' ? 'done  ' : o.status === 'failed' ? 'FAILED' : 'skipped'} ${duration(o.durationMs).padStart(7)}${o.error ? `  ${o.error}` : ''}`;
}

/** 83000 → "1m23s"; null → "--". */
export function duration(ms: number | null): string {
  if (ms === null) return '--';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** Where progress goes: redrawn in place on a terminal, line by line elsewhere. */
export function progressWriter(write: (text: string) => void, isTty: boolean): (p: PoolProgress) => void {
  return (p) => {
    if (isTty) {
      write(`\r\u001b[2K${progressBar(p)}`);
      if (p.last && p.last.status === 'failed') write(`\r\u001b[2K${outcomeLine(p.last)}\n`);
      if (p.finished === p.total && p.running.length === 0) write('\n');
    } else if (p.last) {
      write(`${outcomeLine(p.last)}   (${p.finished}/${p.total}, ETA ${duration(p.etaMs)})\n`);
    }
  };
}
