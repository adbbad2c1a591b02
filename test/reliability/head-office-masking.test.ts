import fc from 'fast-check';
import { google, type sheets_v4 } from 'googleapis';
import JSZip from 'jszip';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xlsxHeadOfficeWriter } from '../../functions/head-office/xlsx-head-office.js';
import { runNightlyLocally } from '../../functions/nightly/run-nightly-locally.js';
import { googleSheetsGateway } from '../../functions/sheets/google-sheets-gateway.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { maskName, maskPhone } from '../../shared/head-office/masking.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { testFirestore } from '../support/firestore-test-db.js';
import { NIGHTLY_DATE, seedNightlyBank } from '../support/nightly-bank.js';
import { startSheetsApiServer, type SheetsApiServer } from '../support/sheets-api-server/index.js';

/**
 * Head-office outputs are masked (security): a nightly run of a small bank whose
 * branches have managers with full names and whose customers have names and mobile numbers
 * (all in Firestore), consolidated and written as the local head-office workbook. No manager's
 * full name, no customer's name and no mobile number appears in the consolidated content, in
 * the stored summaries and month totals, or anywhere in the .xlsx (every XML part read as
 * text); the masked forms (张**, 欧***) do. Then maskName / maskPhone on generated input.
 */

const scheme = bundledScheme('boc')!;
const standards = bundledStandards('d2')!;
const { db, clear } = testFirestore('reliability-head-office-masking');
let server: SheetsApiServer;
let sheets: sheets_v4.Sheets;
const MANAGERS = [
  ['B01', '张三丰', '张**'],
  ['B02', '欧阳娜娜', '欧***'],
] as const;
const secretTexts: string[] = [];

beforeAll(async () => {
  server = await startSheetsApiServer();
  sheets = google.sheets({ version: 'v4', auth: 'test-api-key', rootUrl: server.url });
  await clear();
  await seedNightlyBank(db, sheets, { branches: 2, customers: 20 });
  const batch = db.batch();
  for (const [branchId, name] of MANAGERS) batch.update(db.collection('branches').doc(branchId), { managers: [{ managerId: `${branchId}-RM1`, name }] });
  for (const [branchId] of MANAGERS) {
    for (let k = 1; k <= 20; k++) {
      const customerId = `${branchId}-C${String(k).padStart(2, '0')}`;
      const name = `客户${branchId}${k}号`;
      const mobile = `139${branchId.slice(1)}${String(k).padStart(6, '0')}`;
      secretTexts.push(name, mobile);
      batch.update(db.collection('customers').doc(customerId), { 'profile.name': name, 'profile.archive.mobile': mobile });
    }
  }
  await batch.commit();
}, 60_000);
afterAll(async () => {
  await server.close();
  await db.terminate();
});

describe('head-office outputs', () => {
  it('carry no manager name, customer name or mobile number in the clear: content, stored summaries and the .xlsx', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'head-office-masking-'));
    const report = await runNightlyLocally(
      { db, scheme, standards, sheets: googleSheetsGateway(sheets), now: () => new Date(), headOffice: xlsxHeadOfficeWriter(dir) },
      NIGHTLY_DATE,
      { resume: false, concurrency: 2, clock: Date.now },
    );
    if ('error' in report.consolidation) throw new Error(report.consolidation.error);
    const content = JSON.stringify(report.consolidation.content);
    const managerTab = report.consolidation.content.tabs.find((t) => t.title === '客户经理')!;
    // the masked names are there, one manager row a branch
    expect(managerTab.rows.slice(1).map((r) => r[3])).toEqual(MANAGERS.map(([, , masked]) => masked));

    const stored = JSON.stringify([
      ...(await db.collection('branchSummaries').get()).docs.map((d) => d.data()),
      ...(await db.collection('headOfficeMonths').get()).docs.map((d) => d.data()),
      ...(await db.collection('nightlyDates').get()).docs.map((d) => d.data()),
    ]);
    const zip = await JSZip.loadAsync(readFileSync(report.consolidation.location!));
    const parts = await Promise.all(Object.values(zip.files).filter((f) => !f.dir).map((f) => f.async('string')));
    const workbook = parts.join('\n');
    expect(workbook).toContain('张**');
    expect(workbook).toContain('欧***');
    for (const [where, text] of [
      ['content', content],
      ['stored', stored],
      ['workbook', workbook],
    ] as const) {
      for (const [, name] of MANAGERS) expect(text.includes(name), `${name} in ${where}`).toBe(false);
      for (const secret of secretTexts) expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
    }
    // and the check would see one: the customers do hold these names and numbers
    expect(JSON.stringify((await db.collection('customers').doc('B01-C01').get()).data())).toContain('客户B011号');
  });

  it('maskName keeps only the first character of any name; maskPhone only the first 3 and last 4 digits', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), (name) => {
        const chars = [...name.trim()];
        const masked = maskName(name);
        if (chars.length === 0) return expect(masked).toBe('');
        expect([...masked][0]).toBe(chars[0]);
        expect([...masked].slice(1).every((c) => c === '*')).toBe(true);
        expect([...masked].length).toBe(Math.max(2, chars.length));
      }),
      { numRuns: 300, seed: 20261129 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (mobile) => {
        expect(maskPhone(mobile)).toBe(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
      }),
      { numRuns: 100, seed: 20261130 },
    );
  });
});
