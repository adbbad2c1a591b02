import type { Firestore } from '@google-cloud/firestore';
import type { sheets_v4 } from 'googleapis';
import { writeHistory } from '../../../functions/store/firestore-history.js';
import type { MonthSummary } from '../../../shared/ingest/history-ingest.js';
import { daysInMonth, type MonthIndex } from '../../../shared/month.js';

/**
 * One branch of a bank as the e2e tests need it (an object mother, generated, not random):
 * branch B01 with a spreadsheet created on the Sheets API test server, and `count` customers
 * C0001… with two complete months of history (the two months before today's), every month at
 * the same daily average so that the figures are checkable by hand:
 *
 * | n % 4 | kind   | daily average | tier this month (boc scheme)          |
 * |-------|--------|---------------|----------------------------------------|
 * | 0     | base   | 50,000        | 普通客户 (below 200,000)               |
 * | 1     | licai  | 250,000       | 中银理财客户 (≥ 200,000, < 1,000,000)   |
 * | 2     | wealth | 1,200,000     | 中银财富管理客户 (≥ 1,000,000)          |
 * | 3     | near   | 150,000       | 普通客户, 50,000 short of 中银理财客户 |
 *
 * Every odd-numbered customer has 工作单位 on record (put on the row when it is created).
 */

export const BRANCH = 'B01';
export const KINDS = ['base', 'licai', 'wealth', 'near'] as const;
export type Kind = (typeof KINDS)[number];
/** daily averages in yuan */
export const AVERAGE_YUAN: Readonly<Record<Kind, number>> = { base: 50_000, licai: 250_000, wealth: 1_200_000, near: 150_000 };
export const TIER_ZH: Readonly<Record<Kind, string>> = { base: '普通客户', licai: '中银理财客户', wealth: '中银财富管理客户', near: '普通客户' };

export function customerId(n: number): string {
  return `C${String(n).padStart(4, '0')}`;
}

export function kindOf(n: number): Kind {
  return KINDS[n % 4]!;
}

export function employerOf(n: number): string | null {
  return n % 2 === 1 ? `单位${n}` : null;
}

/** One month summary at a constant daily average: the day-sum is average × days, in fen. */
export function monthAt(id: string, month: MonthIndex, averageYuan: number): MonthSummary {
  return { customerId: id, branchId: BRANCH, month, assetDaySum: averageYuan * 100 * daysInMonth(month), monthEndAssets: averageYuan * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] };
}

export interface SeededBranch {
  spreadsheetId: string;
  ids: string[];
}

export async function seedBranch(db: Firestore, sheets: sheets_v4.Sheets, count: number, thisMonth: MonthIndex): Promise<SeededBranch> {
  const spreadsheetId = (await sheets.spreadsheets.create({ requestBody: { properties: { title: '城东支行 客户分层' } } })).data.spreadsheetId!;
  const ids: string[] = [];
  const history: MonthSummary[] = [];
  for (let n = 1; n <= count; n++) {
    const id = customerId(n);
    ids.push(id);
    for (const month of [thisMonth - 2, thisMonth - 1]) history.push(monthAt(id, month, AVERAGE_YUAN[kindOf(n)]));
  }
  await writeHistory(db, history);
  for (let i = 0; i < ids.length; i += 400) {
    const batch = db.batch();
    for (const id of ids.slice(i, i + 400)) {
      const n = Number(id.slice(1));
      const employer = employerOf(n);
      batch.set(db.collection('customers').doc(id), { customerId: id, branchId: BRANCH, profile: { archive: employer === null ? {} : { employer } } });
    }
    await batch.commit();
  }
  await db.collection('branches').doc(BRANCH).set({ branchId: BRANCH, spreadsheetId });
  return { spreadsheetId, ids };
}

/** What an ingest of new figures does to a customer's last complete month: a new daily average. */
export async function setLastMonthAverage(db: Firestore, id: string, thisMonth: MonthIndex, averageYuan: number): Promise<void> {
  await writeHistory(db, [monthAt(id, thisMonth - 1, averageYuan)]);
}
