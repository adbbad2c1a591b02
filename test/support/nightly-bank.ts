import type { Firestore } from '@google-cloud/firestore';
import type { sheets_v4 } from 'googleapis';
import { writeHistory } from '../../functions/store/firestore-history.js';
import { parseMonth } from '../../shared/month.js';

/**
 * A small bank for nightly-run fault tests, seeded straight into Firestore with one real
 * spreadsheet per branch on the Sheets API test server (created through the googleapis client):
 * `branches` branches B01, B02, … of `customers` customers each; customer k (1-based) averaged
 * k × 20,000 yuan over October 2026 (31 days), so from November the customers with k ≥ 10 are
 * 中银理财客户 (≥ 200,000) and each of them gets exactly one tier event (base → licai, 2026-11):
 * with 20 customers that is k = 10 … 20, 11 events per branch.
 */

export const NIGHTLY_DATE = '2026-11-10';

export function branchIdOf(n: number): string {
  return `B${String(n).padStart(2, '0')}`;
}

/** `spreadsheetIds` reuses spreadsheets made before (a store restored from a backup), else one is created per branch. */
export async function seedNightlyBank(db: Firestore, sheets: sheets_v4.Sheets, options: { branches: number; customers: number; spreadsheetIds?: readonly string[] }): Promise<string[]> {
  const branchIds: string[] = [];
  const rows = [];
  let batch = db.batch();
  let inBatch = 0;
  for (let b = 1; b <= options.branches; b++) {
    const branchId = branchIdOf(b);
    branchIds.push(branchId);
    const spreadsheetId = options.spreadsheetIds?.[b - 1] ?? (await sheets.spreadsheets.create({ requestBody: { properties: { title: branchId } } })).data.spreadsheetId!;
    batch.set(db.collection('branches').doc(branchId), { branchId, name: `${branchId}支行`, spreadsheetId, managers: [{ managerId: `${branchId}-RM1`, name: '张三丰' }] });
    for (let k = 1; k <= options.customers; k++) {
      const customerId = `${branchId}-C${String(k).padStart(2, '0')}`;
      batch.set(db.collection('customers').doc(customerId), { customerId, branchId, profile: { archive: {}, servicePlan: {}, managerId: `${branchId}-RM1` } });
      rows.push({ customerId, branchId, month: parseMonth('2026-10')!, assetDaySum: k * 20_000 * 100 * 31, monthEndAssets: k * 20_000 * 100, loanBalance: 0, cardSpend: 0, txnCount: 0, products: ['DEP'] });
      if (++inBatch >= 400) {
        await batch.commit();
        batch = db.batch();
        inBatch = 0;
      }
    }
  }
  await batch.commit();
  await writeHistory(db, rows);
  return branchIds;
}

const SHEET_RANGES = ["'客户名单'", "'升级名单'", "'降级预警'", "'待办'", "'考核'"];

/**
 * What a nightly run leaves behind, without the clocks and ids that differ between two
 * projects: tier events, branch summaries, each branch's run status, the head-office month
 * totals and every branch's five tabs as the test server holds them.
 */
export async function nightlyOutcome(db: Firestore, sheets: sheets_v4.Sheets) {
  const tierEvents = (await db.collection('tierEvents').get()).docs.map((d) => [d.id, d.get('from'), d.get('to'), d.get('effectiveMonth')]).sort();
  const summaries = (await db.collection('branchSummaries').get()).docs.map((d) => [d.id, JSON.stringify({ ...d.data() })]).sort();
  const runs = (await db.collection('runs').get()).docs.map((d) => [d.id, d.get('status'), d.get('report.customers'), d.get('error') ?? null]).sort();
  const headOffice = (await db.collection('headOfficeMonths').get()).docs.map((d) => JSON.stringify(d.get('total')));
  const sheetValues: unknown[] = [];
  for (const doc of (await db.collection('branches').get()).docs.sort((a, b) => (a.id < b.id ? -1 : 1))) {
    sheetValues.push(await branchTabs(sheets, doc.get('spreadsheetId') as string));
  }
  return { tierEvents, summaries, runs, headOffice, sheetValues };
}

/** The five tabs of a branch spreadsheet, as rows of text (tabs not there yet: an empty list). */
export async function branchTabs(sheets: sheets_v4.Sheets, spreadsheetId: string): Promise<string[][][]> {
  const got = await sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges: SHEET_RANGES });
  return (got.data.valueRanges ?? []).map((r) => (r.values ?? []) as string[][]);
}
