import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../functions/http/request-signature.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { formatCivilDay, parseCivilDay } from '../../shared/calendar/civil-date.js';
import { ARCHIVE_FIELDS, ARCHIVE_FIELD_ZH } from '../../shared/customer-profile.js';
import { COMPUTED_HEADERS, EDITABLE_HEADERS } from '../../shared/sheets/branch-layout.js';
import { validateRowEdit } from '../../shared/sheets/sheet-edit-validation.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { serveFunction, type FunctionsServer } from '../support/functions-server.js';

/**
 * The sheet-edit path fuzzed (bad input): validateRowEdit on its own, then the real
 * sheetEdit function (functions-framework, built entry module, emulator) with generated rows —
 * cells of every editable and computed column and of made-up ones, values of every JSON type,
 * formulas, mojibake, 50,000-character text, customers of this branch, of another branch, that
 * do not exist or cannot exist ("a/b", "__x__"), and pastes of 5,000 rows (the limit) and 5,001.
 * Properties: the function never answers 500; a body of the wrong shape is refused with 400 and
 * located errors and stores nothing; a 200 answers every row and cell; what is stored is exactly
 * the cells the validation passed (read back from Firestore), and the edit log has one entry per
 * cell sent with the verdict. Seeds fixed and printed; runs few.
 */

const PROJECT = 'reliability-sheet-edit-fuzz';
const SECRET = 'reliability-fuzz-secret-0123456789';
const scheme = bundledScheme('boc')!;
const { db, host, clear } = testFirestore(PROJECT);
let server: FunctionsServer;
const SEED = 20261110;
const OWN = Array.from({ length: 12 }, (_, i) => `F1-C${i + 1}`);
const OTHER = ['F2-C1', 'F2-C2'];
/** the business date as the served function computes it (Asia/Shanghai) */
const today = () => parseCivilDay(DateTime.now().setZone('Asia/Shanghai').toISODate()!)!;

beforeAll(async () => {
  await clear();
  const batch = db.batch();
  batch.set(db.collection('branches').doc('F1'), { branchId: 'F1', spreadsheetId: 'SHEET-F1' });
  batch.set(db.collection('branches').doc('F2'), { branchId: 'F2', spreadsheetId: 'SHEET-F2' });
  for (const id of OWN) batch.set(db.collection('customers').doc(id), { customerId: id, branchId: 'F1', profile: { archive: { employer: '原单位' } } });
  for (const id of OTHER) batch.set(db.collection('customers').doc(id), { customerId: id, branchId: 'F2', profile: { archive: { employer: '他行单位', mobile: '13800000000' } } });
  await batch.commit();
  server = await serveFunction('sheetEdit', { FIRESTORE_EMULATOR_HOST: host, GOOGLE_CLOUD_PROJECT: PROJECT, SHEET_EDIT_SECRET: SECRET });
});
afterAll(async () => {
  await server?.stop();
  await db.terminate();
});

async function post(body: unknown): Promise<{ status: number; json: any }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ladder-signature': signRequest(SECRET, raw, Math.floor(Date.now() / 1000)) }, body: raw });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch {
    return { status: response.status, json: text }; // the framework's own pages (e.g. malformed JSON) are not JSON
  }
}

// ---- generators ------------------------------------------------------------------------------

const formula = fc.constantFrom('=1+1', '=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0", '+8613800000000', '-1', '@SUM(A1)', '=IMPORTXML(A1,"//a")');
const mojibake = fc.constantFrom('锟斤拷', '烫烫烫', 'å·¥ä½\u009cå\u008d\u0095ä½\u008d', '\ufffd\ufffd', '瀹㈡埛鍙');
const plausible = fc.oneof(
  fc.integer({ min: 0, max: 99_999_999 }).map((n) => `139${String(n).padStart(8, '0')}`),
  fc.constantFrom('C1', 'c3', 'C5', 'C9', '电话', '微信', '面谈', '信鸽', '2026-01-05', '2026/02/30', '2999-01-01', '中银理财客户', 'wealth', '总行批准', '2099-12', '2020-01', '010-1234 5678'),
);
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constant('长'.repeat(201)), fc.constant('x'.repeat(2_001)), fc.constant('y'.repeat(50_000)));
/** a cell value as a sheet (or anything else) might send it: text of every kind, numbers, booleans, null */
const cellValue: fc.Arbitrary<string | number | boolean | null> = fc.oneof(plausible, text, formula, mojibake, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const column = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...EDITABLE_HEADERS) }, { weight: 1, arbitrary: fc.constantFrom(...COMPUTED_HEADERS) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) });
const cells = fc.dictionary(column, cellValue, { minKeys: 1, maxKeys: 6 });
const customer = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...OWN) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER, 'F1-NOPE', 'a/b', '__x__', '.', 'z'.repeat(2_000)) });
const rows = fc.uniqueArray(fc.record({ row: fc.integer({ min: 2, max: 10_000 }), customerId: customer, cells }), { minLength: 1, maxLength: 8, selector: (r) => r.customerId });

const OVERRIDE_FIELD = new Map<string, string>([['指定等级', 'override.tier'], ['指定原因', 'override.reason'], ['指定截止月', 'override.until']]);
const field = (data: FirebaseFirestore.DocumentData, path: string) => path.split('.').reduce<any>((o, k) => (o === undefined || o === null ? undefined : o[k]), data);

/** the cell as the function reads it: null → '', numbers and booleans → their text */
const asText = (v: string | number | boolean | null) => (v === null ? '' : String(v));

const STORE_FIELD = new Map<string, string>([...ARCHIVE_FIELDS.map((f) => [ARCHIVE_FIELD_ZH[f] as string, `profile.archive.${f}`] as [string, string]), ['最近联系日期', 'lastContact.date'], ['最近联系方式', 'lastContact.channel'], ['联系备注', 'lastContact.note']]);

describe('validateRowEdit fuzzed', () => {
  it(`never throws; one verdict per cell; a refusal says why in Chinese and English; what passes keeps to the rules (seed ${SEED})`, () => {
    const day = today();
    fc.assert(
      fc.property(cells, (sent) => {
        const edit = { customerId: 'C1', cells: Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, asText(v)])) };
        const verdict = validateRowEdit(edit, scheme, day);
        expect(verdict.cells.map((c) => c.column).sort()).toEqual(Object.keys(edit.cells).sort());
        for (const v of verdict.cells) {
          if (!v.ok) {
            expect(v.zh.length).toBeGreaterThan(0);
            expect(v.en.length).toBeGreaterThan(0);
            continue;
          }
          expect(EDITABLE_HEADERS as readonly string[]).toContain(v.column);
          if (v.value === null) continue; // an emptied cell clears the field
          expect(v.value.length).toBeLessThanOrEqual(v.column === '联系备注' ? 2_000 : 200);
          if (v.column === '手机号码') expect(v.value).toMatch(/^1[3-9]\d{9}$/);
          if (v.column === '风险特征') expect(['C1', 'C2', 'C3', 'C4', 'C5']).toContain(v.value);
          if (v.column === '最近联系日期') expect(v.value <= formatCivilDay(day)).toBe(true);
        }
      }),
      { numRuns: 500, seed: SEED },
    );
  });
});

describe('the sheetEdit function fuzzed', () => {
  it(`never answers 500; stores exactly the cells that passed, logs every cell but an unchanged one, touches no other branch's customer (seed ${SEED + 1})`, async () => {
    let request = 0;
    await fc.assert(
      fc.asyncProperty(rows, async (sent) => {
        const editor = `fuzz${++request}@bank.example`;
        const before = new Map((await db.collection('customers').get()).docs.map((d) => [d.id, d.data()]));
        const response = await post({ branchId: 'F1', spreadsheetId: 'SHEET-F1', editor, rows: sent });
        expect(response.status, JSON.stringify(response.json).slice(0, 500)).toBe(200);
        const answers = response.json.rows as { row: number; customerId: string; accepted: string[]; refused: { column: string; zh: string }[] }[];
        expect(answers.map((a) => [a.row, a.customerId])).toEqual(sent.map((r) => [r.row, r.customerId]));
        const after = new Map((await db.collection('customers').get()).docs.map((d) => [d.id, d.data()]));
        const log = (await db.collection('editLog').where('editor', '==', editor).get()).docs.map((d) => d.data());
        // one entry per cell sent, accepted or not, except a passing cell that holds what was
        // already stored: a re-sent unchanged cell is no edit (neither written nor logged)
        const unchanged = (r: (typeof sent)[number]): Set<string> => {
          const old = before.get(r.customerId);
          if (!OWN.includes(r.customerId) || old === undefined) return new Set();
          const text = Object.fromEntries(Object.entries(r.cells).map(([k, v]) => [k, asText(v)]));
          const verdict = validateRowEdit({ customerId: r.customerId, cells: text }, scheme, today());
          return new Set(
            verdict.cells
              .filter((v) => {
                const path = STORE_FIELD.get(v.column) ?? OVERRIDE_FIELD.get(v.column);
                if (!v.ok || path === undefined) return false;
                const stored = field(old, path);
                return stored === undefined || stored === null ? v.value === null : stored === v.value;
              })
              .map((v) => v.column),
          );
        };
        expect(log.length).toBe(sent.reduce((n, r) => n + Object.keys(r.cells).length - unchanged(r).size, 0));
        expect([...after.keys()].sort()).toEqual([...before.keys()].sort()); // nothing created

        sent.forEach((r, i) => {
          const answer = answers[i]!;
          const text = Object.fromEntries(Object.entries(r.cells).map(([k, v]) => [k, asText(v)]));
          expect([...answer.accepted, ...answer.refused.map((x) => x.column)].sort()).toEqual(Object.keys(text).sort());
          const notLogged = unchanged(r);
          for (const entry of log.filter((e) => e.customerId === r.customerId)) {
            expect(notLogged.has(entry.column), `${r.customerId} ${entry.column} unchanged yet logged`).toBe(false);
            const value = text[entry.column]!;
            // a refused cell over 2,000 characters is logged by its first 2,000 and its length
            const cut = !entry.accepted && value.length > 2_000;
            expect(entry.value).toBe(cut ? `${value.slice(0, 2_000)}…` : value);
            expect(entry.valueLength).toBe(cut ? value.length : undefined);
            expect(entry.accepted).toBe(answer.accepted.includes(entry.column));
          }
          if (!OWN.includes(r.customerId)) {
            // another branch's, unknown or impossible: every cell refused, the customer untouched
            expect(answer.accepted).toEqual([]);
            expect(new Set(answer.refused.map((x) => x.zh))).toEqual(new Set(['客户不属于本支行，修改未保存']));
            if (before.has(r.customerId)) expect(after.get(r.customerId)).toEqual(before.get(r.customerId));
            return;
          }
          const verdict = validateRowEdit({ customerId: r.customerId, cells: text }, scheme, today());
          expect(answer.accepted.sort()).toEqual(verdict.cells.filter((c) => c.ok).map((c) => c.column).sort());
          const doc = after.get(r.customerId)!;
          const old = before.get(r.customerId)!;
          for (const v of verdict.cells) {
            const path = STORE_FIELD.get(v.column);
            if (path === undefined) continue; // override columns: below
            // passed: stored as normalised (an emptied cell removes the field); refused: as it was
            expect(field(doc, path), `${r.customerId} ${v.column}`).toEqual(v.ok ? (v.value ?? undefined) : field(old, path));
          }
          if (verdict.override === null) expect(doc['override']).toEqual(old['override']);
          else if (verdict.override === 'clear') expect(doc['override']).toBeUndefined();
          else expect(doc['override']).toMatchObject({ tier: verdict.override.tier, reason: verdict.override.reason, by: editor });
        });
      }),
      { numRuns: 30, seed: SEED + 1 },
    );
  }, 180_000);

  it(`a body of the wrong shape is refused with 400 and located errors, and stores nothing (seed ${SEED + 2})`, async () => {
    const wrong = fc.oneof(
      fc.record({ row: fc.constantFrom(1, 0, -3, 2.5, '7'), customerId: fc.constant('F1-C1'), cells: fc.constant({ 工作单位: 'x' }) }),
      fc.record({ row: fc.constant(2), customerId: fc.constantFrom('', '  ', 42, null), cells: fc.constant({ 工作单位: 'x' }) }),
      fc.record({ row: fc.constant(2), customerId: fc.constant('F1-C1'), cells: fc.constantFrom({ 工作单位: { nested: 1 } }, { 工作单位: ['a'] }, 'cells', null) }),
      fc.record({ row: fc.constant(2), customerId: fc.constant('F1-C1'), cells: fc.constant({ 工作单位: 'x' }), extra: fc.constant(1) }),
    );
    let request = 0;
    await fc.assert(
      fc.asyncProperty(wrong, fc.nat({ max: 3 }), async (bad, at) => {
        const editor = `shape${++request}@bank.example`;
        const good = Array.from({ length: 3 }, (_, i) => ({ row: i + 2, customerId: OWN[i]!, cells: { 工作单位: `形状${request}` } }));
        good.splice(at, 0, bad as never);
        const response = await post({ branchId: 'F1', spreadsheetId: 'SHEET-F1', editor, rows: good });
        expect(response.status).toBe(400);
        expect(response.json.code).toBe('INVALID_REQUEST');
        expect(response.json.errors.length).toBeGreaterThan(0);
        for (const e of response.json.errors as { path: string; message: string }[]) {
          expect(e.path.startsWith(`rows[${at}]`), JSON.stringify(e)).toBe(true);
          expect(e.message.length).toBeGreaterThan(0);
        }
        expect((await db.collection('editLog').where('editor', '==', editor).count().get()).data().count).toBe(0);
        expect((await db.collection('customers').doc(OWN[0]!).get()).get('profile.archive.employer')).not.toBe(`形状${request}`);
      }),
      { numRuns: 20, seed: SEED + 2 },
    );
    // not JSON at all, and a number where the body should be
    expect((await post('{"rows": [')).status).toBe(400);
    expect((await post('42')).status).toBe(400);
  }, 120_000);

  it('a paste of 5,000 rows (the limit) is stored whole, with long notes; 5,001 rows are refused with 400 and nothing stored', async () => {
    await clear();
    const batch = db.batch();
    batch.set(db.collection('branches').doc('P1'), { branchId: 'P1', spreadsheetId: 'SHEET-P1' });
    await batch.commit();
    const ids = Array.from({ length: 5_001 }, (_, i) => `P1-${String(i + 1).padStart(5, '0')}`);
    for (let i = 0; i < ids.length; i += 500) {
      const b = db.batch();
      for (const id of ids.slice(i, i + 500)) b.set(db.collection('customers').doc(id), { customerId: id, branchId: 'P1', profile: { archive: {} } });
      await b.commit();
    }
    // every row: 工作单位, a formula in 家庭住址 (text, never evaluated) and a note of 2,000 characters (the most a note may hold)
    const paste = (n: number) => ({ branchId: 'P1', spreadsheetId: 'SHEET-P1', editor: `paste${n}@bank.example`, rows: ids.slice(0, n).map((id, i) => ({ row: i + 2, customerId: id, cells: { 工作单位: `单位${i}`, 家庭住址: '=HYPERLINK("x")', 联系备注: '注'.repeat(2_000) } })) });
    const tooMany = await post(paste(5_001));
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.errors).toEqual([{ path: 'rows', message: 'at most 5000 rows per request' }]);
    expect((await db.collection('editLog').count().get()).data().count).toBe(0);

    const whole = await post(paste(5_000));
    expect(whole.status, JSON.stringify(whole.json).slice(0, 300)).toBe(200);
    expect(whole.json.rows).toHaveLength(5_000);
    expect(whole.json.rows.every((r: { accepted: string[] }) => r.accepted.length === 3)).toBe(true);
    // 5,000 rows × 3 cells = 15,000 entries
    expect((await db.collection('editLog').count().get()).data().count).toBe(15_000);
    const last = await db.collection('customers').doc(ids[4_999]!).get();
    expect(last.get('profile.archive.employer')).toBe('单位4999');
    expect(last.get('profile.archive.homeAddress')).toBe('=HYPERLINK("x")');
    expect(last.get('lastContact.note')).toHaveLength(2_000);
    expect((await db.collection('customers').doc(ids[5_000]!).get()).get('profile.archive.employer')).toBeUndefined();
  }, 180_000);
});
