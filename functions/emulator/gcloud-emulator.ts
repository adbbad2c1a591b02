import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts and stops Google's official emulators shipped with the machine image (Firestore:
 * google-cloud-cli-firestore-emulator; Pub/Sub: google-cloud-cli-pubsub-emulator). Their
 * start scripts are bash running java as a child, so each runs in a process group of its
 * own and is stopped as a group: stopping only the script would leave java holding the port.
 */

export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
}

export interface RunningEmulator {
  /** host:port, the value for FIRESTORE_EMULATOR_HOST or PUBSUB_EMULATOR_HOST */
  readonly host: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** 0 (default) picks a free port */
  port?: number;
  /** how long to wait for the emulator to answer, in ms */
  readyTimeoutMs?: number;
  /** override the start script (FIRESTORE_EMULATOR_SCRIPT / PUBSUB_EMULATOR_SCRIPT in the environment of the entry points) */
  script?: string;
}

/** One kind of emulator: where its start script lives, how to start it on a port. */
export interface EmulatorKind {
  name: string;
  /** the Debian package that installs it, named in the error when it is missing */
  debianPackage: string;
  /** the environment variable that may point at another start script */
  scriptVariable: string;
  knownScripts: readonly string[];
  args(port: number): string[];
}

const SDK_ROOTS = ['/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', '/opt/google-cloud-sdk'];

export const FIRESTORE: EmulatorKind = {
  name: 'Firestore',
  debianPackage: 'google-cloud-cli-firestore-emulator',
  scriptVariable: 'FIRESTORE_EMULATOR_SCRIPT',
  knownScripts: SDK_ROOTS.map((root) => `${root}/platform/cloud-firestore-emulator/cloud_firestore_emulator`),
  args: (port) => ['start', '--host=127.0.0.1', `--port=${port}`],
};

export const PUBSUB: EmulatorKind = {
  name: 'Pub/Sub',
  debianPackage: 'google-cloud-cli-pubsub-emulator',
  scriptVariable: 'PUBSUB_EMULATOR_SCRIPT',
  knownScripts: SDK_ROOTS.map((root) => `${root}/platform/pubsub-emulator/bin/cloud-pubsub-emulator`),
  args: (port) => ['--host=127.0.0.1', `--port=${port}`],
};

export function findEmulatorScript(override?: string, kind: EmulatorKind = FIRESTORE): string {
  const candidates = override ? [override] : kind.knownScripts;
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new EmulatorError(
      `the Cloud ${kind.name} emulator is not installed (looked for ${candidates.join(', ')}). ` +
        `Install the Debian package ${kind.debianPackage} (and a Java runtime), or set ${kind.scriptVariable} to its start script.`,
    );
  }
  return found;
}

export function startFirestoreEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator(FIRESTORE, options);
}

/** The Pub/Sub emulator; `host` is the value for PUBSUB_EMULATOR_HOST. */
export function startPubSubEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator(PUBSUB, options);
}

export async function startEmulator(kind: EmulatorKind, options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const script = findEmulatorScript(options.script, kind);
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const host = `127.0.0.1:${port}`;
  const logFile = join(tmpdir(), `${kind.name.replace(/\W/g, '').toLowerCase()}-emulator-${port}.log`);
  const log = openSync(logFile, 'w');
  const child = spawn(script, kind.args(port), { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const stop = () => stopGroup(child);
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new EmulatorError(`the ${kind.name} emulator exited (code ${exited}) before it was ready; its log ${logFile} ends:\n${tail(logFile)}`);
    }
    if (await answers(host)) return { host, logFile, stop };
    await sleep(200);
  }
  await stop();
  throw new EmulatorError(`the ${kind.name} emulator did not answer on ${host} within ${timeoutMs} ms; its log ${logFile} ends:\n${tail(logFile)}`);
}

/** Deletes every document of a project in the emulator (tests start from nothing). */
export async function clearEmulator(host: string, projectId: string): Promise<void> {
  const response = await fetch(`http://${host}/emulator/v1/projects/${projectId}/databases/(default)/documents`, { method: 'DELETE' });
  if (!response.ok) throw new EmulatorError(`clearing the emulator failed: HTTP ${response.status}`);
}

async function answers(host: string): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const stopped = await Promise.race([done.then(() => true), sleep(5_000).then(() => false)]);
  if (!stopped) {
    signalGroup(child.pid, 'SIGKILL');
    await Promise.race([done, sleep(2_000)]);
  }
  // java may outlive the script for a moment: make sure the whole group is gone.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A timer that never keeps the process alive by itself: stop() racing it must not delay exit by its length. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
