import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * shared/ must not read the clock, draw random numbers or do I/O (README, "Layout": the pure domain).
 * The lint rules that enforce it are only worth something if they fire: each snippet
 * below must be refused under shared/ and accepted under functions/.
 */

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: projectRoot });

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the purity check on shared/', () => {
  it.each([
    ['export const now = Date.now();', 'no-restricted-syntax'],
    ['export const today = new Date();', 'no-restricted-syntax'],
    ['export const stamp = Date();', 'no-restricted-syntax'],
    ['export const dice = Math.random();', 'no-restricted-syntax'],
    ["import { DateTime } from 'luxon';\nexport const t = DateTime.now();", 'no-restricted-syntax'],
    ["import { DateTime } from 'luxon';\nexport const t = DateTime.local();", 'no-restricted-syntax'],
    ["import { readFileSync } from 'node:fs';\nexport const f = readFileSync;", 'no-restricted-imports'],
    ["import { request } from 'https';\nexport const r = request;", 'no-restricted-imports'],
    ["import { google } from 'googleapis';\nexport const g = google;", 'no-restricted-imports'],
    ["import { Firestore } from '@google-cloud/firestore';\nexport const f = Firestore;", 'no-restricted-imports'],
    ['export const env = process.env.HOME;', 'no-restricted-globals'],
    ["export const f = fetch('http://127.0.0.1');", 'no-restricted-globals'],
    ['export const t = performance.now();', 'no-restricted-globals'],
    ['export const id = crypto.randomUUID();', 'no-restricted-globals'],
    ["export const m = import('node:fs');", 'no-restricted-syntax'],
  ])('refuses %j in shared/', async (code, rule) => {
    expect(await ruleIdsFor(code, 'shared/probe.ts')).toContain(rule);
    expect(await ruleIdsFor(code, 'functions/probe.ts')).not.toContain(rule);
  });

  it('accepts pure code: dates built from values passed in', async () => {
    const code = "import { DateTime } from 'luxon';\nexport const d = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Shanghai' });";
    expect(await ruleIdsFor(code, 'shared/probe.ts')).toEqual([]);
  });
});
