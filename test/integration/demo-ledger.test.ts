import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoBank } from '../../functions/demo/demo-bank.js';
import { writeDemoExtracts } from '../../functions/demo/demo-extracts.js';
import { adoptDemoLedger, describeDemoLedger } from '../../functions/demo/demo-ledger-adoption.js';
import { DEMO_LEDGER_TAB, writeDemoLedger } from '../../functions/demo/demo-ledger.js';
import { nightlyIntoWorkbooks } from '../../functions/demo/demo-workbooks.js';
import { runHistoryIngest } from '../../functions/ingest/run-history-ingest.js';
import { runIngest } from '../../functions/ingest/run-ingest.js';
import { readWorkbook } from '../../functions/sheets/xlsx-workbook-file.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { branchCells } from '../support/ledger-workbook.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * What `npm start` does with the demo branch that keeps a ledger of its own: the bank goes in
 * through the real ingest (branch register included), the ledger is generated, adopted, and
 * written by the nightly run beside the other branches' workbooks. The counts are the ledger's
 * own: every tenth of B01's customers is left out of it (listed on 未入台账), and it holds one
 * customer of another branch, one unknown number and one number Excel rounded.
 */

const { db, clear } = testFirestore('demo-ledger-test');
const scheme = bundledScheme('boc')!;
const standards = bundledStandards('d2')!;
const today = '2026-03-04';
const bank = generateDemoBank({ seed: 7, today, scheme, branchCount: 2, customersPerBranch: 30, historyMonths: 6 });
const dir = mkdtempSync(join(tmpdir(), 'demo-ledger-'));
const path = join(dir, '城东支行管户台账.xlsx');
afterAll(() => db.terminate());

beforeAll(async () => {
  await clear();
  const extracts = await writeDemoExtracts(bank, mkdtempSync(join(tmpdir(), 'demo-ledger-extracts-')));
  await runHistoryIngest(db, extracts.historyFile);
  for (const { date, dir: day } of extracts.dailyDirs) await runIngest(db, { date: parseCivilDay(date)!, dir: day, scheme, now: () => new Date('2026-03-04T20:00:00Z') });
});

describe('the demo branch’s own ledger', () => {
  it('is adopted as it is and written in place by the nightly run, the branch’s cells untouched', async () => {
    const written = await writeDemoLedger(bank, join(dir, 'copy-to-count.xlsx'));
    expect(written).not.toBeNull();
    const b01 = bank.customers.filter((c) => c.branchId === 'B01').map((c) => c.customerId);
    expect(written!.inLedger.length + written!.leftOut.length).toBe(b01.length);

    const deps = { db, scheme, standards, now: () => new Date(), today: () => parseCivilDay(today)! };
    const adoption = await adoptDemoLedger(deps, bank, path);
    expect(adoption).toMatchObject({ branchId: 'B01', adoptedNow: true, matched: written!.inLedger.length, unmatched: 3, missing: written!.leftOut.length, columnsAdded: 11 });
    expect(describeDemoLedger(adoption)).toContain(`${written!.inLedger.length} 行本支行客户`);
    const size = { rows: written!.totalsRow + 2, columns: 12 };
    const before = await branchCells(path, { [DEMO_LEDGER_TAB]: size, 说明: { rows: 2, columns: 1 }, 汇总: { rows: 2, columns: 2 } });

    const run = await nightlyIntoWorkbooks({ ...deps, headOffice: null }, today, ['B01', 'B02'], dir, new Map([['B01', path]]));
    expect(run.branches.map((b) => [b.branchId, b.file, b.status])).toEqual([
      ['B01', '城东支行管户台账.xlsx', 'done'],
      ['B02', 'B02.xlsx', 'done'],
    ]);
    expect(await branchCells(path, { [DEMO_LEDGER_TAB]: size, 说明: { rows: 2, columns: 1 }, 汇总: { rows: 2, columns: 2 } })).toEqual(before);
    const workbook = await readWorkbook(path);
    const sheet = workbook.getWorksheet(DEMO_LEDGER_TAB)!;
    expect(sheet.getCell(4, 13).value).toBe('当前等级');
    expect(String(sheet.getCell(5, 2).value)).toBe(written!.inLedger[0]);
    expect(String(sheet.getCell(5, 13).value)).not.toBe('');
    const missing = workbook.getWorksheet('未入台账')!;
    const listed: string[] = [];
    missing.eachRow((row, n) => n > 1 && listed.push(String(row.getCell(1).value)));
    expect(listed).toEqual([...written!.leftOut].sort());

    // a second npm start keeps the adopted ledger (and the manager's edits in it): not adopted again
    const again = await adoptDemoLedger(deps, bank, path);
    expect(again.adoptedNow).toBe(false);
  });
});
