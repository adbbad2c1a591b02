import type { Firestore } from '@google-cloud/firestore';
import type { MonthSummary } from '../../shared/ingest/history-ingest.js';
import { formatMonth } from '../../shared/month.js';
import { COLLECTIONS, factsDocId } from './collections.js';
import { staleMark } from './firestore-engine-state.js';

/**
 * Writes loaded history into the month documents as `summary` (the month's totals as the core
 * system summed them). Loading the same history again writes the same values. When a month
 * also has daily records, the days win (they are the finer source); see monthFactsOf. Each
 * customer loaded is marked for a replay by the next night (`engineStale`), as history may
 * correct months their saved engine state has already folded in.
 */
export async function writeHistory(db: Firestore, summaries: readonly MonthSummary[]): Promise<number> {
  const facts = db.collection(COLLECTIONS.facts);
  let writes = 0;
  for (let i = 0; i < summaries.length; i += 500) {
    const batch = db.batch();
    for (const s of summaries.slice(i, i + 500)) {
      const month = formatMonth(s.month);
      const data: Record<string, unknown> = {
        customerId: s.customerId,
        month,
        summary: { s: s.assetDaySum, e: s.monthEndAssets, l: s.loanBalance, c: s.cardSpend, t: s.txnCount, p: s.products },
      };
      const fields = ['customerId', 'month', 'summary'];
      if (s.branchId !== null) {
        data['branchId'] = s.branchId;
        fields.push('branchId');
      }
      batch.set(facts.doc(factsDocId(s.customerId, month)), data, { mergeFields: fields });
    }
    await batch.commit();
    writes += Math.min(500, summaries.length - i);
  }
  // Loaded history may correct months a saved engine state has folded in: each customer loaded is replayed by the next night.
  const earliest = new Map<string, number>();
  for (const s of summaries) earliest.set(s.customerId, Math.min(earliest.get(s.customerId) ?? Infinity, s.month));
  const customers = db.collection(COLLECTIONS.customers);
  const ids = [...earliest.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const batch = db.batch();
    for (const id of ids.slice(i, i + 500)) batch.set(customers.doc(id), { customerId: id, ...staleMark(formatMonth(earliest.get(id) as number)) }, { merge: true });
    await batch.commit();
  }
  return writes;
}
