import type { Firestore } from '@google-cloud/firestore';
import type { sheets_v4 } from 'googleapis';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { parseMonth } from '../../shared/month.js';

/**
 * Branch B01 with a new spreadsheet (on the Sheets test server) and two customers, for the
 * nightly tests:
 * - N1: 150,000 a day in September and 250,000 in October, so upgraded to licai for November;
 * - N2: 50,000 a day in both months, so it stays base.
 *
 * N1's archive holds 工作单位 市第一医院. Answers the spreadsheet id.
 */
export async function seedTwoCustomerBranch(db: Firestore, sheets: sheets_v4.Sheets): Promise<string> {
  const spreadsheetId = (await sheets.spreadsheets.create({ requestBody: { properties: { title: '城东支行' } } })).data.spreadsheetId!;
  await db.collection('branches').doc('B01').set({ branchId: 'B01', spreadsheetId });
  await seedTwoCustomers(db);
  return spreadsheetId;
}

/** N1 and N2 of branch B01 as above (their history and customer documents), for a branch document set up elsewhere. */
export async function seedTwoCustomers(db: Firestore): Promise<void> {
  const month = (text: string, average: number, days: number) => ({ month: parseMonth(text)!, assetDaySum: average * 100 * days, monthEndAssets: average * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] });
  await writeHistory(db, [
    { customerId: 'N1', branchId: 'B01', ...month('2026-09', 150_000, 30) },
    { customerId: 'N1', branchId: 'B01', ...month('2026-10', 250_000, 31) },
    { customerId: 'N2', branchId: 'B01', ...month('2026-09', 50_000, 30) },
    { customerId: 'N2', branchId: 'B01', ...month('2026-10', 50_000, 31) },
  ]);
  const batch = db.batch();
  batch.set(db.collection('customers').doc('N1'), { customerId: 'N1', branchId: 'B01', profile: { archive: { employer: '市第一医院' } } });
  batch.set(db.collection('customers').doc('N2'), { customerId: 'N2', branchId: 'B01' });
  await batch.commit();
}
