import { watch as watchFolder } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Watches a folder of branch workbooks and hands each saved workbook to `process`, one at a
 * time. Editors save in several steps (a temporary file, renames, a lock file), so a workbook
 * is processed only after `debounceMs` without further notices of it. Notices come from
 * fs.watch and from polling (`pollMs`, comparing modification time and size), because fs.watch
 * misses some saves by rename/replace and does not work on every file system. A workbook that
 * could not be processed is tried again after `retryMs`, doubling up to `maxRetryMs`, until it
 * works or is saved again. Lock files (LibreOffice `.~lock.*#`, Excel `~$*`), temporary files and
 * hidden files are not workbooks. Timers and folder events are injected, so the loop is tested
 * without waiting for a clock.
 */

export interface WatchTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FolderEvents {
  /** reports names that may have changed (null: something changed, name unknown); returns a stop function */
  subscribe(onChange: (name: string | null) => void, onError: (error: unknown) => void): () => void;
  /** the folder's file names, each with a stamp that changes when the file is written */
  list(): Promise<{ name: string; stamp: string }[]>;
}

/** `retry`: not done, try again later (unreadable, locked, answers not written yet). */
export type ProcessResult = 'done' | 'retry';

export interface WatcherOptions {
  folder: FolderEvents;
  timers: WatchTimers;
  process: (name: string) => Promise<ProcessResult>;
  debounceMs: number;
  pollMs: number;
  retryMs: number;
  maxRetryMs: number;
  /** an exception out of `process` (treated as `retry`) or out of the folder */
  onError: (name: string | null, error: unknown) => void;
}

/** A workbook of the folder: `*.xlsx`, but not an editor's lock or owner file, nor a hidden or temporary file. */
export function isWorkbookName(name: string): boolean {
  return /\.xlsx$/i.test(name) && !name.startsWith('~$') && !name.startsWith('.');
}

export class WorkbookWatcher {
  private readonly debounce = new Map<string, unknown>();
  private readonly retryTimers = new Map<string, unknown>();
  private readonly backoff = new Map<string, number>();
  private readonly stamps = new Map<string, string>();
  private readonly queue: string[] = [];
  private readonly again = new Set<string>();
  private running: Promise<void> | null = null;
  private runningName: string | null = null;
  private pollTimer: unknown = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly options: WatcherOptions) {}

  /** Starts listening and polls at once: workbooks saved while nobody watched are caught up. */
  start(): void {
    this.unsubscribe = this.options.folder.subscribe(
      (name) => (name === null ? this.pollSoon() : this.notice(name)),
      (error) => this.options.onError(null, error),
    );
    void this.poll();
  }

  /** Something happened to `name`: process it once the saving has been quiet for debounceMs. */
  notice(name: string): void {
    if (this.stopped || !isWorkbookName(name)) return;
    const pending = this.debounce.get(name);
    if (pending !== undefined) this.options.timers.clearTimeout(pending);
    // A new save supersedes a pending retry (and restarts the backoff).
    this.cancelRetry(name);
    this.backoff.delete(name);
    this.debounce.set(
      name,
      this.options.timers.setTimeout(() => {
        this.debounce.delete(name);
        this.enqueue(name);
      }, this.options.debounceMs),
    );
  }

  /** Stops listening and timers, and waits for the workbook being processed, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const handle of [...this.debounce.values(), ...this.retryTimers.values()]) this.options.timers.clearTimeout(handle);
    if (this.pollTimer !== null) this.options.timers.clearTimeout(this.pollTimer);
    this.debounce.clear();
    this.retryTimers.clear();
    this.queue.length = 0;
    await this.settled();
  }

  /** Resolves when no workbook is being processed or waiting in the queue. */
  async settled(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private enqueue(name: string): void {
    if (this.stopped) return;
    if (this.runningName === name) {
      this.again.add(name);
      return;
    }
    if (!this.queue.includes(name)) this.queue.push(name);
    this.drain();
  }

  private drain(): void {
    if (this.running !== null || this.stopped) return;
    const name = this.queue.shift();
    if (name === undefined) return;
    this.runningName = name;
    this.running = this.run(name);
  }

  private async run(name: string): Promise<void> {
    let result: ProcessResult;
    try {
      result = await this.options.process(name);
    } catch (error) {
      this.options.onError(name, error);
      result = 'retry';
    }
    this.running = null;
    this.runningName = null;
    if (result === 'done') this.backoff.delete(name);
    else if (!this.again.has(name)) this.scheduleRetry(name);
    if (this.again.delete(name)) this.notice(name);
    this.drain();
  }

  private scheduleRetry(name: string): void {
    if (this.stopped) return;
    const previous = this.backoff.get(name);
    const delay = previous === undefined ? this.options.retryMs : Math.min(previous * 2, this.options.maxRetryMs);
    this.backoff.set(name, delay);
    this.cancelRetry(name);
    this.retryTimers.set(
      name,
      this.options.timers.setTimeout(() => {
        this.retryTimers.delete(name);
        this.enqueue(name);
      }, delay),
    );
  }

  private cancelRetry(name: string): void {
    const handle = this.retryTimers.get(name);
    if (handle !== undefined) this.options.timers.clearTimeout(handle);
    this.retryTimers.delete(name);
  }

  private pollSoon(): void {
    if (this.stopped) return;
    if (this.pollTimer !== null) this.options.timers.clearTimeout(this.pollTimer);
    this.pollTimer = this.options.timers.setTimeout(() => void this.poll(), 0);
  }

  private async poll(): Promise<void> {
    this.pollTimer = null;
    try {
      const files = await this.options.folder.list();
      const present = new Set<string>();
      for (const { name, stamp } of files) {
        if (!isWorkbookName(name)) continue;
        present.add(name);
        if (this.stamps.get(name) === stamp) continue;
        this.stamps.set(name, stamp);
        this.notice(name);
      }
      for (const name of [...this.stamps.keys()]) if (!present.has(name)) this.stamps.delete(name);
    } catch (error) {
      this.options.onError(null, error);
    }
    if (!this.stopped && this.pollTimer === null) this.pollTimer = this.options.timers.setTimeout(() => void this.poll(), this.options.pollMs);
  }
}

/** The real folder: fs.watch for notices, readdir + stat (modification time and size) for polling. */
export function nodeFolder(dir: string): FolderEvents {
  return {
    subscribe(onChange, onError) {
      const watcher = watchFolder(dir, { persistent: true }, (_event, name) => onChange(name === null ? null : String(name)));
      // e.g. the folder removed, or too many watches: polling carries on alone.
      watcher.on('error', onError);
      return () => watcher.close();
    },
    async list() {
      const out: { name: string; stamp: string }[] = [];
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (!entry.isFile() || !isWorkbookName(entry.name)) continue;
        try {
          const s = await stat(join(dir, entry.name));
          out.push({ name: entry.name, stamp: `${s.mtimeMs}:${s.size}` });
        } catch {
          // removed between readdir and stat (a save by rename): the next poll sees the new file
        }
      }
      return out;
    },
  };
}

export const nodeTimers: WatchTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
