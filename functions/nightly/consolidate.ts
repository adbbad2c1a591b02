import type { Firestore } from '@google-cloud/firestore';
import type { GroupFigures } from '../../shared/head-office/branch-summary.js';
import { headOfficeContent, quarterOf, totalOf, type HeadOfficeBranch, type HeadOfficeContent, type MonthTotals, type QuarterMonth } from '../../shared/head-office/consolidation.js';
import { formatMonth, parseMonth } from '../../shared/month.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { COLLECTIONS } from '../store/collections.js';
import { readMonthSummaries } from '../store/firestore-branch-summaries.js';

/**
 * Head-office consolidation for a business date: this month's branch summaries (one document
 * per branch), the quarter's earlier months for its rises and losses, and the bank's month
 * totals for the trend (one small document per month, written here). Reads no customer.
 */

export const TREND_MONTHS = 12;

export async function consolidateHeadOffice(db: Firestore, scheme: Scheme, businessDate: string): Promise<HeadOfficeContent> {
  const month = businessDate.slice(0, 7);
  const monthIndex = parseMonth(month);
  if (monthIndex === null) throw new Error(`not a business date: ${businessDate}`);
  const current = await readMonthSummaries(db, month);
  const branchDocs = await db.collection(COLLECTIONS.branches).get();
  const branches: HeadOfficeBranch[] = [];
  for (const doc of branchDocs.docs) {
    const summary = current.get(doc.id);
    if (!summary) continue; // a branch with no run this month has nothing to show yet
    const managers = (doc.get('managers') as { managerId: string; name: string }[] | undefined) ?? [];
    branches.push({ summary, name: (doc.get('name') as string | undefined) ?? doc.id, managerNames: new Map(managers.map((m) => [m.managerId, m.name])) });
  }

  const quarter: QuarterMonth[] = [{ month, summaries: [...current.values()] }];
  for (let m = monthIndex - 1; quarterOf(formatMonth(m)) === quarterOf(month); m--) {
    quarter.push({ month: formatMonth(m), summaries: [...(await readMonthSummaries(db, formatMonth(m))).values()] });
  }

  const total = totalOf(scheme, [...current.values()]);
  await db.collection(COLLECTIONS.headOfficeMonths).doc(month).set({ month, businessDate, total });
  const earliest = formatMonth(monthIndex - (TREND_MONTHS - 1));
  const trendDocs = await db.collection(COLLECTIONS.headOfficeMonths).where('month', '>=', earliest).where('month', '<=', month).get();
  const trend: MonthTotals[] = trendDocs.docs.map((d) => ({ month: d.get('month') as string, total: d.get('total') as GroupFigures }));

  return headOfficeContent(scheme, businessDate, branches, trend, quarter);
}

