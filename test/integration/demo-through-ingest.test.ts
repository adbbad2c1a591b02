import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { toFactsLine } from '../../shared/facts-output.js';
import { generateDemoBank } from '../../functions/demo/demo-bank.js';
import { writeDemoExtracts } from '../../functions/demo/demo-extracts.js';
import { runHistoryIngest } from '../../functions/ingest/run-history-ingest.js';
import { runIngest } from '../../functions/ingest/run-ingest.js';
import { streamCustomerFacts } from '../../functions/store/firestore-facts-reader.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * The demo bank written as extracts and ingested into the emulator must come back as the same
 * figures the generator made: the history months exactly, and this month's asset day-sum and
 * today's balance from the daily files; and the same branches, managers and roles.
 */

const { db, clear } = testFirestore('demo-ingest-test');
beforeEach(clear);
afterAll(() => db.terminate());

describe('the demo through the real ingest', () => {
  it('round-trips every history month and the month so far', async () => {
    const scheme = bundledScheme('boc')!;
    const bank = generateDemoBank({ seed: 7, today: '2026-03-04', scheme, branchCount: 2, customersPerBranch: 15, historyMonths: 6 });
    const extracts = await writeDemoExtracts(bank, mkdtempSync(join(tmpdir(), 'demo-extracts-')));
    expect(extracts.dailyDirs.map((d) => d.date)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
    const history = await runHistoryIngest(db, extracts.historyFile);
    expect(history.rejections).toEqual([]);
    for (const { date, dir } of extracts.dailyDirs) {
      const report = await runIngest(db, { date: parseCivilDay(date)!, dir, scheme, now: () => new Date('2026-03-04T20:00:00Z') });
      expect(report.rejections).toEqual([]);
    }
    const stored = new Map<string, ReturnType<typeof toFactsLine>>();
    for await (const facts of streamCustomerFacts(db)) stored.set(facts.customerId, toFactsLine(facts));
    expect(stored.size).toBe(bank.factsLines.length);
    for (const line of bank.factsLinesToDate) {
      const back = stored.get(line.customerId)!;
      expect(back.branchId).toBe(line.branchId);
      expect(back.profile?.name).toBe(line.profile?.name); // read from the GB18030 master
      expect(back.profile?.managerRole).toBe(line.profile?.managerRole);
      const history = line.months.filter((m) => m.month < '2026-03');
      expect(back.months.filter((m) => m.month < '2026-03')).toEqual(history.map((m) => ({ ...m, products: [...m.products].sort() })));
      const running = line.months.find((m) => m.month === '2026-03');
      const runningBack = back.months.find((m) => m.month === '2026-03');
      expect(runningBack?.assetDaySum).toBe(running?.assetDaySum);
      expect(runningBack?.monthEndAssets).toBe(running?.monthEndAssets);
      expect(runningBack?.loanBalance).toBe(running?.loanBalance);
    }
  });

  it('sets up the branches from the register in the extracts, as the demo bank has them', async () => {
    const scheme = bundledScheme('boc')!;
    const bank = generateDemoBank({ seed: 7, today: '2026-03-04', scheme, branchCount: 3, customersPerBranch: 10, historyMonths: 6 });
    const extracts = await writeDemoExtracts(bank, mkdtempSync(join(tmpdir(), 'demo-extracts-')));
    await runHistoryIngest(db, extracts.historyFile);
    const registers = [];
    for (const { date, dir } of extracts.dailyDirs) {
      const report = await runIngest(db, { date: parseCivilDay(date)!, dir, scheme, now: () => new Date('2026-03-04T20:00:00Z') });
      expect(report.rejections).toEqual([]);
      registers.push(report.files.filter((f) => f.kind === 'branches' || f.kind === 'staff').map((f) => [f.kind, f.encoding, f.accepted]));
    }
    // the register comes with the first day's master, staff.csv in GB18030 like it
    const staff = bank.branches.reduce((n, b) => n + b.managers.length, 0);
    expect(registers).toEqual([
      [
        ['branches', 'utf-8', 3],
        ['staff', 'gb18030', staff],
      ],
      [],
      [],
      [],
    ]);
    const stored = (await db.collection('branches').orderBy('__name__').get()).docs.map((d) => d.data());
    // exactly the documents npm start wrote directly before the register came through ingest
    expect(stored).toEqual(bank.branches.map((b) => ({ branchId: b.branchId, name: b.name, parentId: null, spreadsheetId: null, managers: b.managers })));
    expect(stored.flatMap((b) => b['managers'].map((m: { role: string }) => m.role))).toEqual(expect.arrayContaining(['wealth-manager', 'outlet-head', 'branch-president']));
  });
});
