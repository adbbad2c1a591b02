import type { Firestore } from '@google-cloud/firestore';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFirestore } from '../../functions/config.js';
import { startFirestoreEmulator, type RunningEmulator } from '../../functions/emulator/gcloud-emulator.js';
import { appendTierEvents, type TierEvent } from '../../functions/store/firestore-service-log.js';
import { applySheetEdits } from '../../functions/store/firestore-sheet-edits.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';

/**
 * The edit log and the tier events are append-only (security), on an emulator of this
 * file's own (security rules are loaded into it):
 * - in code: every write to editLog and tierEvents in functions/ is a create(); a create over an
 *   existing id fails (ALREADY_EXISTS) and leaves the entry as it was; applying the same edit
 *   twice adds a second entry and changes none; appending the same tier event twice keeps one;
 * - in Firestore: firestore.rules (referenced from firebase.json) refuses every client read and
 *   write, and update/delete of editLog and tierEvents explicitly. Loaded into the emulator
 *   (PUT /emulator/v1/projects/P:securityRules), a non-admin caller — REST with an unsigned
 *   Firebase ID token, as the emulator accepts, or with no token — is refused reading,
 *   creating, updating and deleting an entry (403), while the functions' path (the Admin SDK,
 *   which rules do not bind) still works. With an allow-everything ruleset the same caller's
 *   update goes through, so the refusals are the rules' doing.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROJECT = 'reliability-rules';
let emulator: RunningEmulator;
let db: Firestore;

beforeAll(async () => {
  emulator = await startFirestoreEmulator({ readyTimeoutMs: 60_000 });
  db = createFirestore({ projectId: PROJECT, emulatorHost: emulator.host });
}, 90_000);
afterAll(async () => {
  await db?.terminate();
  await emulator?.stop();
});

async function loadRules(content: string): Promise<void> {
  const response = await fetch(`http://${emulator.host}/emulator/v1/projects/${PROJECT}:securityRules`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules: { files: [{ name: 'firestore.rules', content }] } }),
  });
  const answer = (await response.json()) as { issues?: { severity: string; description: string }[] };
  expect(response.status, JSON.stringify(answer)).toBe(200);
  expect((answer.issues ?? []).filter((i) => i.severity === 'ERROR')).toEqual([]);
}

/** An ID token as a Firebase client would send it, unsigned (alg none): the emulator takes it as that user. */
function clientToken(uid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: `https://securetoken.google.com/${PROJECT}`, aud: PROJECT, iat: now, exp: now + 3600, auth_time: now, sub: uid, user_id: uid, firebase: { sign_in_provider: 'custom', identities: {} } })}.`;
}

/** A REST call as a client: with a user's token, or with none. */
function asClient(method: string, path: string, body?: unknown, token: string | null = clientToken('branch-manager-1')): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  return fetch(`http://${emulator.host}/v1/projects/${PROJECT}/databases/(default)/documents/${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

const RULES = readFileSync(join(ROOT, 'firestore.rules'), 'utf8');
const ALLOW_ALL = "rules_version = '2';\nservice cloud.firestore { match /databases/{database}/documents { match /{document=**} { allow read, write: if true; } } }\n";

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => (statSync(join(ROOT, dir, name)).isDirectory() ? filesUnder(join(dir, name)) : name.endsWith('.ts') ? [join(dir, name)] : []));
}

describe('append-only in code', () => {
  it('every write to editLog and tierEvents in functions/ is a create', () => {
    const writes: string[] = [];
    for (const path of filesUnder('functions')) {
      for (const line of readFileSync(join(ROOT, path), 'utf8').split('\n')) {
        if (!/COLLECTIONS\.(editLog|tierEvents)|collection\('(editLog|tierEvents)'\)/.test(line)) continue;
        if (/\.(set|update|delete|create)\(|recursiveDelete/.test(line)) writes.push(`${path}: ${line.trim().match(/\.(set|update|delete|create)\(|recursiveDelete/)![0]}`);
      }
    }
    expect(writes.sort()).toEqual(['functions/store/firestore-service-log.ts: .create(', 'functions/store/firestore-sheet-edits.ts: .create(']);
  });

  it('a second create under the same id fails with ALREADY_EXISTS and leaves the entry as it was', async () => {
    const ref = db.collection('editLog').doc('entry-1');
    await ref.create({ customerId: 'C1', column: '工作单位', value: '原值', accepted: true });
    const error = (await ref.create({ customerId: 'C1', column: '工作单位', value: '篡改', accepted: true }).catch((e: unknown) => e)) as { code?: number };
    expect(error.code).toBe(6); // ALREADY_EXISTS
    expect((await ref.get()).get('value')).toBe('原值');
  });

  it('a second edit of the same cell adds a second entry and rewrites none; the same tier event appended twice stays one', async () => {
    await db.collection('branches').doc('B01').set({ branchId: 'B01', spreadsheetId: 'SHEET-B01' });
    await db.collection('customers').doc('C1').set({ customerId: 'C1', branchId: 'B01', profile: { archive: {} } });
    const request = { branchId: 'B01', spreadsheetId: 'SHEET-B01', editor: 'li@bank', rows: [{ row: 2, customerId: 'C1', cells: { 工作单位: '第一医院' } }] };
    const today = parseCivilDay('2026-11-10')!;
    await applySheetEdits(db, bundledScheme('boc')!, request, today, () => new Date('2026-11-10T02:00:00Z'));
    const first = (await db.collection('editLog').where('editor', '==', 'li@bank').get()).docs.map((d) => [d.id, d.get('at').toMillis()]);
    // Another value: the same value again is no edit, and is not logged (test/integration/sheet-edit-unchanged-cells.test.ts).
    const again = { ...request, rows: [{ row: 2, customerId: 'C1', cells: { 工作单位: '第二医院' } }] };
    await applySheetEdits(db, bundledScheme('boc')!, again, today, () => new Date('2026-11-10T03:00:00Z'));
    const both = (await db.collection('editLog').where('editor', '==', 'li@bank').get()).docs.map((d) => [d.id, d.get('at').toMillis()]);
    expect(both).toHaveLength(2);
    expect(both).toEqual(expect.arrayContaining(first)); // the first entry is still there, as it was

    const event: TierEvent = { customerId: 'C1', branchId: 'B01', from: 'base', to: 'licai', effectiveMonth: '2026-11', reason: 'upgrade', schemeId: 'boc', schemeVersion: '2024-01' };
    expect(await appendTierEvents(db, [event], () => new Date('2026-11-10T02:00:00Z'))).toBe(1);
    expect(await appendTierEvents(db, [{ ...event, to: 'wealth' }], () => new Date('2026-11-11T02:00:00Z'))).toBe(0);
    const stored = await db.collection('tierEvents').doc('C1_2026-11').get();
    expect([stored.get('to'), stored.get('createdAt').toDate().toISOString()]).toEqual(['licai', '2026-11-10T02:00:00.000Z']);
  });
});

describe('firestore.rules on the emulator', () => {
  it('is what firebase.json deploys', () => {
    const config = JSON.parse(readFileSync(join(ROOT, 'firebase.json'), 'utf8')) as { firestore: { rules: string } };
    expect(config.firestore.rules).toBe('firestore.rules');
    expect(RULES).toMatch(/match \/editLog\/\{entry\} \{\s*allow update, delete: if false;/);
    expect(RULES).toMatch(/match \/tierEvents\/\{event\} \{\s*allow update, delete: if false;/);
  });

  it('refuses a client reading, creating, updating or deleting edit-log entries and tier events; the Admin path still works', async () => {
    await loadRules(RULES);
    await db.collection('editLog').doc('entry-2').create({ customerId: 'C1', value: '原值', accepted: true });
    await db.collection('tierEvents').doc('C9_2026-11').create({ customerId: 'C9', to: 'licai' });
    const update = { fields: { value: { stringValue: '篡改' } } };
    for (const token of [clientToken('branch-manager-1'), null]) {
      const who = token === null ? 'no token' : 'a signed-in user';
      for (const [what, response] of [
        ['read an entry', await asClient('GET', 'editLog/entry-2', undefined, token)],
        ['list the log', await asClient('GET', 'editLog', undefined, token)],
        ['create an entry', await asClient('POST', 'editLog?documentId=forged', update, token)],
        ['update an entry', await asClient('PATCH', 'editLog/entry-2', update, token)],
        ['delete an entry', await asClient('DELETE', 'editLog/entry-2', undefined, token)],
        ['update a tier event', await asClient('PATCH', 'tierEvents/C9_2026-11', { fields: { to: { stringValue: 'private' } } }, token)],
        ['delete a tier event', await asClient('DELETE', 'tierEvents/C9_2026-11', undefined, token)],
        ['read a customer', await asClient('GET', 'customers/C1', undefined, token)],
        ['write a customer', await asClient('PATCH', 'customers/C1', { fields: { branchId: { stringValue: 'B02' } } }, token)],
      ] as const) {
        expect(response.status, `${who}: ${what}`).toBe(403);
        expect(((await response.json()) as { error: { status: string } }).error.status, `${who}: ${what}`).toBe('PERMISSION_DENIED');
      }
    }
    // the Admin SDK (the functions' service account): reads and appends as before, and everything is as it was
    expect((await db.collection('editLog').doc('entry-2').get()).get('value')).toBe('原值');
    expect((await db.collection('tierEvents').doc('C9_2026-11').get()).get('to')).toBe('licai');
    expect((await db.collection('customers').doc('C1').get()).get('branchId')).toBe('B01');
    await db.collection('editLog').doc().create({ customerId: 'C1', value: '新条目', accepted: true });
    expect((await db.collection('editLog').doc('forged').get()).exists).toBe(false);
  });

  it('with an allow-everything ruleset the same client update goes through: the refusals above are the rules', async () => {
    await loadRules(ALLOW_ALL);
    try {
      const response = await asClient('PATCH', 'editLog/entry-2?updateMask.fieldPaths=value', { fields: { value: { stringValue: '被改了' } } });
      expect(response.status).toBe(200);
      expect((await db.collection('editLog').doc('entry-2').get()).get('value')).toBe('被改了');
    } finally {
      await loadRules(RULES);
    }
    expect((await asClient('GET', 'editLog/entry-2')).status).toBe(403);
  });
});
