import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import { toFactsLine } from '../../shared/facts-output.js';
import type { CustomerFactsSource } from '../../shared/ports.js';
import { jsonlCustomerFacts } from '../../functions/cli/jsonl-customer-facts.js';
import { firestoreCustomerFacts } from '../../functions/store/firestore-customer-facts.js';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { parseMonth } from '../../shared/month.js';
import { testFirestore } from '../support/firestore-test-db.js';

/**
 * One contract, every adapter of CustomerFactsSource: the same three customers stored in
 * Firestore and written to a facts file must come out the same, in customer order, with a
 * branch filter that keeps exactly that branch.
 */

const m = (text: string) => parseMonth(text)!;
const CUSTOMERS = [
  { customerId: 'A1', branchId: 'B01', months: [[m('2026-09'), 6_200_000_00, 200_000_00], [m('2026-10'), 6_200_000_00, 200_000_00]] },
  { customerId: 'A2', branchId: 'B02', months: [[m('2026-10'), 31_000_000_00, 1_000_000_00]] },
  { customerId: 'A3', branchId: 'B01', months: [[m('2026-08'), 0, 0]] },
] as const;

const expected: CustomerFacts[] = CUSTOMERS.map((c) => ({
  customerId: c.customerId,
  branchId: c.branchId,
  months: c.months.map(([month, daySum, end]) => ({ month, assetDaySum: daySum, monthEndAssets: end, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] })),
}));

const { db, clear } = testFirestore('facts-contract-test');
const sources: Record<string, () => Promise<CustomerFactsSource>> = {
  firestore: async () => {
    await clear();
    await writeHistory(db, expected.flatMap((c) => c.months.map((mo) => ({ customerId: c.customerId, branchId: c.branchId ?? null, month: mo.month, assetDaySum: mo.assetDaySum, monthEndAssets: mo.monthEndAssets, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] }))));
    // the customers collection holds the owning branch too, as the ingest writes it
    const batch = db.batch();
    for (const c of expected) batch.set(db.collection('customers').doc(c.customerId), { customerId: c.customerId, branchId: c.branchId });
    await batch.commit();
    return firestoreCustomerFacts(db);
  },
  'facts file': async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'facts-contract-')), 'facts.jsonl');
    writeFileSync(path, expected.map((c) => JSON.stringify(toFactsLine(c))).join('\n') + '\n');
    return jsonlCustomerFacts(path);
  },
};

afterAll(() => db.terminate());

describe.each(Object.keys(sources))('CustomerFactsSource contract: %s', (name) => {
  let source: CustomerFactsSource;
  beforeAll(async () => {
    source = await sources[name]!();
  });

  async function all(branchId?: string): Promise<CustomerFacts[]> {
    const list: CustomerFacts[] = [];
    for await (const c of source.customers(branchId)) list.push(c);
    return list;
  }

  it('yields every customer once, by id, months sorted, figures exact', async () => {
    expect(await all()).toEqual(expected);
  });

  it('keeps exactly one branch when asked', async () => {
    expect((await all('B01')).map((c) => c.customerId)).toEqual(['A1', 'A3']);
    expect((await all('B09')).length).toBe(0);
  });
});
