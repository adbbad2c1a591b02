import { describe, expect, it } from 'vitest';
import { isWorkbookName, WorkbookWatcher, type FolderEvents, type ProcessResult, type WatchTimers } from '../../functions/sheets/workbook-watcher.js';

/**
 * The watch loop with its clock and folder replaced by fakes (labelled: this is a unit test;
 * the real fs.watch, files and Firestore are in test/cli/watch-cli.test.ts and
 * test/integration/xlsx-watch-edits.test.ts). Time is virtual: `advance(ms)` runs the timers
 * that fall due, so nothing here waits for or measures a real clock.
 */

/** Fake timers: a list of callbacks due at virtual times. */
class VirtualTimers implements WatchTimers {
  now = 0;
  private seq = 0;
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  setTimeout(callback: () => void, ms: number): unknown {
    this.seq++;
    this.due.set(this.seq, { at: this.now + ms, callback });
    return this.seq;
  }
  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }
  get pending(): number {
    return this.due.size;
  }
  /** Moves virtual time forward by `ms`, running each timer as it falls due (and what it sets off). */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    while (true) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.due) if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.due.delete(next[0]);
      this.now = next[1].at;
      next[1].callback();
      await settle();
    }
    this.now = end;
    await settle();
  }
}

/** Lets pending promise callbacks run (no timer involved). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Fake folder: names are announced by hand; list() gives the files with their stamps. */
class FakeFolder implements FolderEvents {
  readonly files = new Map<string, string>();
  private listener: ((name: string | null) => void) | null = null;
  subscribe(onChange: (name: string | null) => void): () => void {
    this.listener = onChange;
    return () => {
      this.listener = null;
    };
  }
  async list() {
    return [...this.files].map(([name, stamp]) => ({ name, stamp }));
  }
  emit(name: string | null): void {
    this.listener?.(name);
  }
}

const TIMINGS = { debounceMs: 500, pollMs: 2_000, retryMs: 1_000, maxRetryMs: 4_000 };

function setUp(results: (name: string, call: number) => ProcessResult | Promise<ProcessResult> = () => 'done') {
  const timers = new VirtualTimers();
  const folder = new FakeFolder();
  const calls: { name: string; at: number }[] = [];
  const errors: unknown[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const watcher = new WorkbookWatcher({
    folder,
    timers,
    ...TIMINGS,
    process: async (name) => {
      calls.push({ name, at: timers.now });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await results(name, calls.length);
      } finally {
        inFlight--;
      }
    },
    onError: (_name, error) => errors.push(error),
  });
  return { timers, folder, calls, errors, watcher, maxInFlight: () => maxInFlight };
}

describe('which files are workbooks', () => {
  it.each([
    ['B01.xlsx', true],
    ['支行B01.XLSX', true],
    ['.~lock.B01.xlsx#', false], // LibreOffice's lock file
    ['~$B01.xlsx', false], // Excel's owner file
    ['B01.xlsx.4242.tmp', false], // the system's own temporary file
    ['lu2931x2k.tmp', false], // LibreOffice's temporary save
    ['.ladder', false], // the snapshot folder
    ['.B01.xlsx', false],
    ['B01.xls', false],
    ['notes.txt', false],
  ])('%s → %s', (name, expected) => {
    expect(isWorkbookName(name)).toBe(expected);
  });
});

describe('the workbook watch loop', () => {
  it('processes a burst of notices for one save once, after the save has been quiet for the debounce time', async () => {
    const { timers, folder, calls, watcher } = setUp();
    watcher.start();
    await settle();
    for (let i = 0; i < 5; i++) {
      folder.emit('B01.xlsx');
      await timers.advance(100);
    }
    // last notice at 400 (virtual ms): due at 900
    await timers.advance(399);
    expect(calls).toEqual([]);
    await timers.advance(1);
    expect(calls).toEqual([{ name: 'B01.xlsx', at: 900 }]);
    await watcher.stop();
  });

  it('never processes lock files, owner files, temporary or hidden files', async () => {
    const { timers, folder, calls, watcher } = setUp();
    watcher.start();
    for (const name of ['.~lock.B01.xlsx#', '~$B01.xlsx', 'B01.xlsx.4242.tmp', 'lu2931x2k.tmp', '.ladder', 'notes.txt']) folder.emit(name);
    await timers.advance(10_000);
    expect(calls).toEqual([]);
    await watcher.stop();
  });

  it('polls: catches up on workbooks saved while nobody watched, and finds a save fs.watch missed only when its stamp changed', async () => {
    const { timers, folder, calls, watcher } = setUp();
    folder.files.set('B01.xlsx', 'mtime-1:100');
    folder.files.set('.~lock.B01.xlsx#', 'x');
    watcher.start(); // polls at 0 (virtual ms), then every 2,000
    await settle();
    await timers.advance(500);
    expect(calls.map((c) => c.name)).toEqual(['B01.xlsx']);
    // the polls at 2,000 and 4,000 find the same stamp: nothing
    await timers.advance(4_000);
    expect(calls).toHaveLength(1);
    // saved at 4,500 with no fs.watch notice: the poll at 6,000 sees it, processed after the debounce at 6,500
    folder.files.set('B01.xlsx', 'mtime-2:120');
    await timers.advance(2_000);
    expect(calls).toEqual([
      { name: 'B01.xlsx', at: 500 },
      { name: 'B01.xlsx', at: 6_500 },
    ]);
    await watcher.stop();
  });

  it('an unnamed change makes the folder be polled at once', async () => {
    const { timers, folder, calls, watcher } = setUp();
    watcher.start();
    await settle();
    folder.files.set('B02.xlsx', 'mtime-1:1');
    folder.emit(null);
    await timers.advance(500);
    expect(calls).toEqual([{ name: 'B02.xlsx', at: 500 }]);
    await watcher.stop();
  });

  it('tries a workbook that could not be processed again, waiting twice as long each time up to the longest wait, until it works', async () => {
    const { timers, folder, calls, watcher } = setUp((_name, call) => (call <= 4 ? 'retry' : 'done'));
    watcher.start();
    folder.emit('B01.xlsx');
    await timers.advance(60_000);
    // 500 (debounce), then waits of 1,000, 2,000, 4,000 and 4,000 (the longest)
    expect(calls.map((c) => c.at)).toEqual([500, 1_500, 3_500, 7_500, 11_500]);
    await watcher.stop();
  });

  it('treats an exception from processing as a failure to try again, and reports it', async () => {
    const { timers, folder, calls, errors, watcher } = setUp((_name, call) => {
      if (call === 1) throw new Error('emulator unavailable');
      return 'done';
    });
    watcher.start();
    folder.emit('B01.xlsx');
    await timers.advance(10_000);
    expect(calls.map((c) => c.at)).toEqual([500, 1_500]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['emulator unavailable']);
    await watcher.stop();
  });

  it('processes one workbook at a time, and a save noticed during processing again afterwards', async () => {
    let release: () => void = () => undefined;
    const { timers, folder, calls, watcher, maxInFlight } = setUp(
      (_name, call) =>
        call === 1
          ? new Promise<ProcessResult>((resolve) => {
              release = () => resolve('done');
            })
          : 'done',
    );
    watcher.start();
    folder.emit('B01.xlsx');
    folder.emit('B02.xlsx');
    await timers.advance(500);
    expect(calls.map((c) => c.name)).toEqual(['B01.xlsx']);
    // saved again while the first save is being processed
    folder.emit('B01.xlsx');
    await timers.advance(1_000);
    expect(calls.map((c) => c.name)).toEqual(['B01.xlsx']);
    release();
    await settle();
    // B02 was waiting; B01's second save follows after its debounce
    await timers.advance(500);
    expect(calls.map((c) => c.name)).toEqual(['B01.xlsx', 'B02.xlsx', 'B01.xlsx']);
    expect(maxInFlight()).toBe(1);
    await watcher.stop();
  });

  it('stops listening, polling and retrying when stopped', async () => {
    const { timers, folder, calls, watcher } = setUp(() => 'retry');
    watcher.start();
    folder.emit('B01.xlsx');
    await timers.advance(500);
    expect(calls).toHaveLength(1);
    await watcher.stop();
    expect(timers.pending).toBe(0);
    folder.emit('B01.xlsx');
    folder.files.set('B03.xlsx', 'new');
    await timers.advance(60_000);
    expect(calls).toHaveLength(1);
  });
});
