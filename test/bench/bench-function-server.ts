import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Serves one function of the built entry module with the real functions-framework, in a child
 * process on a free loopback port, for the bench. test/support/functions-server.ts does the
 * same for the tests but finds the entry module from the source tree (`../..` of
 * test/support), which is not where it is when that file runs from dist/; here the entry
 * module is found next to this compiled file (dist/test/bench → dist/functions/index.js).
 */

const ENTRY = fileURLToPath(new URL('../../functions/index.js', import.meta.url));
const FRAMEWORK_MAIN = join(dirname(createRequire(import.meta.url).resolve('@google-cloud/functions-framework')), 'main.js');

export interface BenchFunctionServer {
  url: string;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

export async function serveBenchFunction(target: string, env: Record<string, string>): Promise<BenchFunctionServer> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: the bench runs from dist/ (npm run bench builds it first)`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const { NODE_ENV: _bench, ...base } = process.env; // as deployed: the entry module picks its own
  let output = '';
  const child = spawn(process.execPath, [FRAMEWORK_MAIN, `--target=${target}`, `--source=${ENTRY}`, `--port=${port}`], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the functions framework exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(url); // any answer (a GET is 405) means it serves
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the functions framework did not answer within 20 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, pid: child.pid!, output: () => output, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
