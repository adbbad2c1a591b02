import type { BenchConfig } from './bench-config.js';
import { isPhaseName, PHASES } from './bench-phases.js';

/**
 * Child entry: `node bench-phase.js <phase> <config JSON>`, forked by run-bench.js. Runs
 * one phase and sends its result to the parent; any failure exits non-zero.
 */
async function main(): Promise<void> {
  const [name, configJson] = process.argv.slice(2);
  if (!isPhaseName(name) || configJson === undefined) throw new Error(`usage: bench-phase.js <${Object.keys(PHASES).join('|')}> <config JSON>`);
  const config = JSON.parse(configJson) as BenchConfig;
  const result = await PHASES[name](config);
  if (!process.send) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  await new Promise<void>((resolve, reject) => process.send!({ phase: name, result }, undefined, {}, (error) => (error ? reject(error) : resolve())));
  process.disconnect();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench phase failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 2;
});
