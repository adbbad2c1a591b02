import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Serves one function of the built entry module (dist/functions/index.js, so `npm run build`
 * first) with the real functions-framework, as a child process on a free loopback port, with
 * the environment a deployment would give it.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'dist/functions/index.js');
const FRAMEWORK_MAIN = join(dirname(createRequire(import.meta.url).resolve('@google-cloud/functions-framework')), 'main.js');

export interface FunctionsServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function serveFunction(target: string, env: Record<string, string>): Promise<FunctionsServer> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` before the integration tests`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const { NODE_ENV: _testEnv, ...base } = process.env; // as deployed: the entry module picks its own
  let output = '';
  const child = spawn(process.execPath, [FRAMEWORK_MAIN, `--target=${target}`, `--source=${ENTRY}`, `--port=${port}`], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitUntilServing(child, url, () => output, 20_000);
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Any HTTP answer means the server is up (a GET is answered 405). */
async function waitUntilServing(child: ChildProcess, url: string, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the functions framework exited with ${child.exitCode}:\n${output()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`the functions framework did not answer within ${timeoutMs} ms:\n${output()}`);
}
