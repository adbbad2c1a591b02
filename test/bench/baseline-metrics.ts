import type { MonthFacts } from '../../shared/customer-facts.js';
import { daysInMonth, QUARTER_MONTHS } from '../../shared/month.js';

/**
 * The metrics at month M computed the obvious way a rules-engine integration would: look
 * each month up, add up the window, no sliding sums. Daily averages stay a pair
 * (`<metric>Sum` fen·days, `<metric>Days`) so that rules compare them exactly; every other
 * metric is its plain value under its own name. Months without facts count as zero.
 */
export type MetricFacts = Record<string, number>;

export function metricFactsAt(byMonth: ReadonlyMap<number, MonthFacts>, M: number, periodMonths: number): MetricFacts {
  const fact = (m: number) => byMonth.get(m);
  const daySums = (from: number): [number, number] => {
    let sum = 0;
    let days = 0;
    for (let m = from; m <= M; m++) {
      sum += fact(m)?.assetDaySum ?? 0;
      days += daysInMonth(m);
    }
    return [sum, days];
  };
  const last12 = (field: 'cardSpend' | 'txnCount') => {
    let sum = 0;
    for (let m = M - 11; m <= M; m++) sum += fact(m)?.[field] ?? 0;
    return sum;
  };
  const [qdaSum, qdaDays] = daySums(M - (M % QUARTER_MONTHS));
  const [pdaSum, pdaDays] = daySums(M - (M % periodMonths));
  const current = fact(M);
  return {
    mdaSum: current?.assetDaySum ?? 0,
    mdaDays: daysInMonth(M),
    qdaSum,
    qdaDays,
    pdaSum,
    pdaDays,
    monthEndAssets: current?.monthEndAssets ?? 0,
    loanBalance: current?.loanBalance ?? 0,
    cardSpend12: last12('cardSpend'),
    txnCount12: last12('txnCount'),
    productCount: new Set(current?.products ?? []).size,
  };
}
