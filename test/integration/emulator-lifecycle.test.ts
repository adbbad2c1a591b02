import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmulatorError, findEmulatorScript, PUBSUB, startFirestoreEmulator, startPubSubEmulator } from '../../functions/emulator/gcloud-emulator.js';

/**
 * How the project starts the emulator when things go wrong. Stand-in start scripts (real
 * shell scripts, real processes) play an emulator that is missing, one that dies at once and
 * one that never answers.
 */

function script(body: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fake-emulator-')), 'cloud_firestore_emulator');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Running, as opposed to gone or a zombie waiting for its new parent to reap it. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** A killed process may take a moment to be gone: look for a few seconds before saying it lives on. */
async function stillRunningAfterAWhile(pid: number): Promise<boolean> {
  for (let i = 0; i < 30 && running(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return running(pid);
}

describe('starting the Firestore emulator', () => {
  it('names the package to install when the emulator is missing', () => {
    expect(() => findEmulatorScript('/nowhere/cloud_firestore_emulator')).toThrow(EmulatorError);
    expect(() => findEmulatorScript('/nowhere/cloud_firestore_emulator')).toThrow(/google-cloud-cli-firestore-emulator/);
  });

  it('reports an emulator that exits before it is ready, with the end of its log', async () => {
    await expect(startFirestoreEmulator({ script: script('echo "java.net.BindException: Address already in use" >&2; exit 3'), readyTimeoutMs: 10_000 })).rejects.toThrow(/exited \(code 3\)[\s\S]*BindException/);
  });

  it('gives up after the bounded wait and stops the whole process group, children included', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'fake-emulator-pid-')), 'child.pid');
    // like the real start script: a shell that starts a long-running child (java) and waits
    const hanging = script(`sleep 60 & echo $! > ${pidFile}; wait`);
    const started = Date.now();
    await expect(startFirestoreEmulator({ script: hanging, readyTimeoutMs: 1_500 })).rejects.toThrow(/did not answer .* within 1500 ms/);
    expect(Date.now() - started).toBeLessThan(20_000); // bounded, not the child's 60 s (a bound on behaviour, not a speed target)
    const child = Number(readFileSync(pidFile, 'utf8').trim());
    expect(await stillRunningAfterAWhile(child)).toBe(false);
  });
});

describe('the Pub/Sub emulator (the real one from the machine image)', () => {
  it('names its own package when missing', () => {
    expect(() => findEmulatorScript('/nowhere/cloud-pubsub-emulator', PUBSUB)).toThrow(/google-cloud-cli-pubsub-emulator[\s\S]*PUBSUB_EMULATOR_SCRIPT/);
  });

  it('starts, answers the Pub/Sub REST API, and is gone with its port after stop', async () => {
    const emulator = await startPubSubEmulator();
    try {
      const created = await fetch(`http://${emulator.host}/v1/projects/lifecycle-test/topics/nightly-branches`, { method: 'PUT' });
      expect(created.status).toBe(200);
      expect(((await created.json()) as { name: string }).name).toBe('projects/lifecycle-test/topics/nightly-branches');
    } finally {
      await emulator.stop();
    }
    await expect(fetch(`http://${emulator.host}/`, { signal: AbortSignal.timeout(1_000) })).rejects.toThrow();
  });
});
