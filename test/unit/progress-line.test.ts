import { describe, expect, it } from 'vitest';
import { duration, outcomeLine, progressBar, progressWriter } from '../../functions/cli/progress-line.js';

describe('nightly progress on a terminal and in a log', () => {
  it('draws a bar of 24 cells advancing by branch, with failures, what runs and the ETA', () => {
    // 6 of 24 finished → 6 cells filled
    expect(progressBar({ total: 24, finished: 6, failed: 1, running: ['B07', 'B08', 'B09', 'B10', 'B11'], etaMs: 83_000, last: null })).toBe(
      `[${'█'.repeat(6)}${'░'.repeat(18)}] 6/24 branches · 1 failed · running B07, B08, B09 +2 · ETA 1m23s`,
    );
    expect(progressBar({ total: 0, finished: 0, failed: 0, running: [], etaMs: null, last: null })).toBe(`[${'█'.repeat(24)}] 0/0 branches · ETA --`);
  });

  it.each([
    [null, '--'],
    [1_234, '1.2s'],
    [12_400, '12s'],
    [83_000, '1m23s'],
    [3_723_000, '1h02m'],
  ])('duration %s → %s', (ms, text) => expect(duration(ms)).toBe(text));

  it('writes one line per finished branch when not on a terminal, and redraws in place on one', () => {
    const log: string[] = [];
    const write = progressWriter((t) => log.push(t), false);
    write({ total: 2, finished: 0, failed: 0, running: ['B01'], etaMs: null, last: null });
    write({ total: 2, finished: 1, failed: 1, running: [], etaMs: 500, last: { branchId: 'B01', status: 'failed', durationMs: 500, error: 'Sheets 403' } });
    expect(log).toEqual([`${outcomeLine({ branchId: 'B01', status: 'failed', durationMs: 500, error: 'Sheets 403' })}   (1/2, ETA 0.5s)\n`]);
    expect(log[0]).toContain('B01        FAILED    0.5s  Sheets 403');

    const tty: string[] = [];
    const draw = progressWriter((t) => tty.push(t), true);
    draw({ total: 1, finished: 1, failed: 0, running: [], etaMs: 0, last: { branchId: 'B01', status: 'done', durationMs: 10 } });
    expect(tty[0]!.startsWith('\r\u001b[2K[')).toBe(true);
    expect(tty.at(-1)).toBe('\n');
  });
});
