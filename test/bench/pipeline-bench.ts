import { Readable, Writable } from 'node:stream';
import { assessLineProcessor } from '../../functions/cli/fact-commands.js';
import { runJsonLines } from '../../functions/cli/jsonl-run.js';
import type { BenchConfig } from './bench-config.js';
import { schemeFor } from './engine-bench.js';
import { factsLineChunks } from './facts-json-lines.js';
import { averageThresholdsOf, createCustomerGenerator } from './generate-customers.js';
import { MemoryProbe, rssMiB, type MemoryPeak } from './memory-probe.js';

/**
 * Phase 3 (informational): the whole `ladder assess` path — readline, JSON.parse, zod,
 * assess, toAssessLine, JSON.stringify, back-pressured writes — over generated lines
 * streamed from a generator into a sink that discards them. RSS is sampled as the run goes
 * to show it stays flat instead of growing with the number of customers.
 */

export interface PipelineBenchResult {
  lines: number;
  written: number;
  rejected: number;
  seconds: number;
  generateSeconds: number;
  linesPerSecond: number;
  linesPerSecondExcludingGeneration: number;
  inputMiB: number;
  outputMiB: number;
  rssAtTenthMiB: number;
  rssAtEndMiB: number;
  memory: MemoryPeak;
}

const LINES_PER_CHUNK = 200;

class CountingSink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    done();
  }
}

export async function runPipelineBench(config: BenchConfig): Promise<PipelineBenchResult> {
  const scheme = schemeFor(config);
  const next = createCustomerGenerator({ ...config, averageThresholds: averageThresholdsOf(scheme) });
  const probe = new MemoryProbe();
  let generateNs = 0n;
  let inputChars = 0;
  let rssAtTenth = 0;
  const tenth = Math.ceil(config.pipelineLines / 10);
  const chunks = factsLineChunks(next, config.pipelineLines, LINES_PER_CHUNK, (ns, linesSoFar) => {
    generateNs += ns;
    probe.sample();
    if (rssAtTenth === 0 && linesSoFar >= tenth) rssAtTenth = rssMiB();
  });
  const counted = (function* () {
    for (const chunk of chunks) {
      inputChars += chunk.length;
      yield chunk;
    }
  })();
  const output = new CountingSink();
  const rejects = new CountingSink();

  const start = process.hrtime.bigint();
  const counts = await runJsonLines(Readable.from(counted), output, rejects, assessLineProcessor(scheme));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rssAtEnd = rssMiB();

  if (counts.rejected > 0 || counts.written !== config.pipelineLines) {
    throw new Error(`pipeline: ${counts.written} of ${config.pipelineLines} generated lines written, ${counts.rejected} rejected: the generator or the CLI is wrong`);
  }
  const generateSeconds = Number(generateNs) / 1e9;
  return {
    lines: counts.read,
    written: counts.written,
    rejected: counts.rejected,
    seconds,
    generateSeconds,
    linesPerSecond: counts.read / seconds,
    linesPerSecondExcludingGeneration: counts.read / (seconds - generateSeconds),
    inputMiB: inputChars / (1024 * 1024),
    outputMiB: output.bytes / (1024 * 1024),
    rssAtTenthMiB: rssAtTenth,
    rssAtEndMiB: rssAtEnd,
    memory: probe.peak(),
  };
}
