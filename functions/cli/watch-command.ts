import type { Firestore } from '@google-cloud/firestore';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { parseCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import { DEFAULT_STANDARDS_ID } from '../../shared/service/bundled-standards.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { loadScheme, loadStandards } from '../scheme-source.js';
import { checkRegistrations, describeRegistration } from '../sheets/workbook-registration.js';
import { isWorkbookName, nodeFolder, nodeTimers, WorkbookWatcher } from '../sheets/workbook-watcher.js';
import { processWorkbookEdits, type LocalEditDeps, type WorkbookOutcome } from '../sheets/xlsx-workbook-edits.js';

/**
 * `ladder watch DIR [--once] [--register]`: a manager's saved edits of a local branch workbook go
 * through the sheet-edit path (validation, Firestore transaction, edit log, re-evaluation) and
 * the answers are written back into the workbook (docs/local-workbooks.md). Logs in English on
 * standard error, one line per workbook processed. `--once` processes what is there and exits:
 * 0 when every workbook was processed, 1 when one could not be (it is named), 2 usage or
 * configuration error.
 */

export const WATCH_OPTIONS = {
  once: { type: 'boolean' },
  register: { type: 'boolean' },
  scheme: { type: 'string' },
  standards: { type: 'string' },
  editor: { type: 'string' },
} as const;

export interface WatchValues {
  once?: boolean;
  register?: boolean;
  scheme?: string;
  standards?: string;
  editor?: string;
}

type Log = (line: string) => void;
const stderrLog: Log = (line) => process.stderr.write(`${line}\n`);

/** Timings of the watch loop (ms): quiet time after a save, polling, first and longest retry wait. */
export const WATCH_TIMINGS = { debounceMs: 750, pollMs: 2_000, retryMs: 2_000, maxRetryMs: 60_000 };

export async function watchCommand(db: Firestore, dir: string, values: WatchValues, log: Log = stderrLog): Promise<number> {
  if (!(await stat(dir)).isDirectory()) throw new Error(`${dir} is not a folder`);
  const scheme = await loadScheme(values.scheme ?? 'boc');
  const standards = await loadStandards(values.standards ?? DEFAULT_STANDARDS_ID, scheme);
  const deps: LocalEditDeps = { db, scheme, standards, engine: createTierEngine(scheme), now: () => new Date(), today: todayInShanghai, ...(values.editor ? { editor: values.editor } : {}) };
  for (const status of await checkRegistrations(db, dir, values.register ?? false)) log(`ladder watch: ${describeRegistration(status)}`);
  if (values.once) return processFolderOnce(dir, deps, log);
  const watcher = startWatching(dir, deps, log);
  log(`ladder watch: watching ${dir} for saved workbooks (Ctrl-C to stop)`);
  await untilInterrupted();
  await watcher.stop();
  log('ladder watch: stopped');
  return 0;
}

/** Every workbook of the folder once, in name order. */
export async function processFolderOnce(dir: string, deps: LocalEditDeps, log: Log): Promise<number> {
  let failures = 0;
  for (const file of (await readdir(dir)).filter(isWorkbookName).sort()) {
    const outcome = await processWorkbookEdits(join(dir, file), deps);
    logOutcome(outcome, log, true);
    if (outcome.kind === 'failed' || (outcome.kind === 'processed' && outcome.retry)) failures++;
  }
  return failures > 0 ? 1 : 0;
}

/** The watch loop on a real folder, until stop(). */
export function startWatching(dir: string, deps: LocalEditDeps, log: Log): WorkbookWatcher {
  const watcher = new WorkbookWatcher({
    folder: nodeFolder(dir),
    timers: nodeTimers,
    ...WATCH_TIMINGS,
    process: async (name) => {
      const outcome = await processWorkbookEdits(join(dir, name), deps);
      logOutcome(outcome, log, false);
      return outcome.kind === 'failed' ? (outcome.retry ? 'retry' : 'done') : outcome.kind === 'processed' && outcome.retry ? 'retry' : 'done';
    },
    onError: (name, error) => log(`ladder watch: ${name ?? dir}: ${(error as Error).stack ?? String(error)}`),
  });
  watcher.start();
  return watcher;
}

/**
 * One line per workbook: what was sent and what was written back. An unchanged workbook is
 * said only when asked (`--once`): in the loop it is the echo of the system's own write.
 */
export function logOutcome(outcome: WorkbookOutcome, log: Log, sayUnchanged: boolean): void {
  switch (outcome.kind) {
    case 'unchanged':
      if (sayUnchanged) log(`ladder watch: ${outcome.file}: unchanged since it was last processed`);
      return;
    case 'failed':
      log(`ladder watch: ${outcome.file} could not be processed: ${outcome.reason}${outcome.retry ? ' (will try again)' : ''}`);
      return;
    case 'processed': {
      const o = outcome;
      const back =
        typeof o.writeBack === 'object'
          ? `answers not written back yet (${o.writeBack.failed}; will try again)`
          : o.writeBack === 'written'
            ? `written back: ${o.cellsWritten} computed cells, ${o.notesSet} notes set, ${o.notesCleared} notes cleared`
            : o.writeBack === 'saved again meanwhile'
              ? 'not written back: the workbook was saved again meanwhile (that save is processed next)'
              : 'nothing to write back';
      log(`ladder watch: ${o.file} (branch ${o.branchId}): ${o.rowsSent} rows sent, ${o.accepted} cells accepted, ${o.refused} refused, ${o.recomputed} rows recomputed; ${back}`);
      for (const p of o.problems) log(`ladder watch: ${o.file}: ${p}`);
      return;
    }
  }
}

/** The bank's business date: today in Asia/Shanghai. */
export function todayInShanghai(): CivilDay {
  const day = parseCivilDay(DateTime.now().setZone('Asia/Shanghai').toISODate() ?? '');
  if (day === null) throw new Error('cannot read today in Asia/Shanghai');
  return day;
}

/** Resolves on Ctrl-C (SIGINT) or SIGTERM. */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
