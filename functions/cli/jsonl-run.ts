import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';
import type { LocatedError } from '../../shared/located-error.js';

/**
 * Streams a JSON-lines file through a per-line function: one line in memory at a time,
 * output written with back-pressure, and every line that cannot be used written to the
 * rejects file with its line number, customer and reasons, raw text kept. One bad line
 * never stops the run.
 */

export type LineOutcome = { ok: true; output: unknown } | { ok: false; customerId: string | null; errors: LocatedError[] };

export interface RunCounts {
  read: number;
  written: number;
  rejected: number;
}

export interface RejectRecord {
  /** the input file the line came from ('-' for standard input) */
  file: string;
  line: number;
  customerId: string | null;
  errors: LocatedError[];
  reason: string;
  raw: string;
}

export async function runJsonLines(
  input: Readable,
  output: Writable,
  rejects: Writable,
  processLine: (value: unknown) => LineOutcome | Promise<LineOutcome>,
  file = '-',
): Promise<RunCounts> {
  const counts: RunCounts = { read: 0, written: 0, rejected: 0 };
  const out = new BufferedWriter(output);
  const bad = new BufferedWriter(rejects);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    const text = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    counts.read++;
    let outcome: LineOutcome;
    try {
      const result = processLine(JSON.parse(text));
      // Most processors are synchronous; only wait when one has writes of its own to drain.
      outcome = result instanceof Promise ? await result : result;
    } catch (error) {
      const message = error instanceof SyntaxError ? `not valid JSON: ${error.message}` : `could not be processed: ${(error as Error).message}`;
      outcome = { ok: false, customerId: customerIdIn(text), errors: [{ path: '', message }] };
    }
    if (outcome.ok) {
      counts.written++;
      if (outcome.output !== undefined) await out.write(JSON.stringify(outcome.output));
    } else {
      counts.rejected++;
      const record: RejectRecord = {
        file,
        line: lineNumber,
        customerId: outcome.customerId,
        errors: outcome.errors,
        reason: outcome.errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`)).join('; '),
        raw: text,
      };
      await bad.write(JSON.stringify(record));
    }
  }
  await out.flush();
  await bad.flush();
  return counts;
}

/** Best effort to name the customer of a line that is not valid JSON. */
function customerIdIn(text: string): string | null {
  const match = /"customerId"\s*:\s*"([^"\\]{1,64})"/.exec(text);
  return match ? (match[1] as string) : null;
}

/**
 * Reads a whole JSON-lines file into memory through a parser, sending bad lines to the
 * rejects stream (for side inputs such as the contact log, which every customer line needs).
 */
export async function readJsonLines<T>(input: Readable, rejects: Writable, parse: (value: unknown) => LineOutcome & ({ ok: true; output: T } | { ok: false }), file: string): Promise<{ items: T[]; counts: RunCounts }> {
  const items: T[] = [];
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const counts = await runJsonLines(
    input,
    sink,
    rejects,
    (value) => {
      const outcome = parse(value);
      if (outcome.ok) items.push(outcome.output);
      return outcome;
    },
    file,
  );
  return { items, counts };
}

/** Joins lines into ~64 KB writes and waits for 'drain' when the stream asks for it. */
export class BufferedWriter {
  private pending: string[] = [];
  private size = 0;
  constructor(private readonly stream: Writable) {}

  async write(line: string): Promise<void> {
    this.pending.push(line);
    this.size += line.length + 1;
    if (this.size >= 65_536) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('\n') + '\n';
    this.pending = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

export function openInput(path: string): Readable {
  return path === '-' ? process.stdin : createReadStream(path, { encoding: 'utf8' });
}

/** Opens a file for writing and resolves once it is open, so a bad path fails before any work. */
export async function openOutput(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  await once(stream, 'open');
  return stream;
}

export async function closeOutput(stream: Writable): Promise<void> {
  if (stream === process.stdout) return;
  stream.end();
  await once(stream, 'finish');
}
