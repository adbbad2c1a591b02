import type { CustomerFacts } from '../../shared/customer-facts.js';
import { METRIC_KIND, type MetricName } from '../../shared/metric.js';
import type { Scheme } from '../../shared/scheme.schema.js';

/**
 * A deliberately naive reading of tier-rules.md, written straight from its sentences with
 * no optimisation (no sliding windows, no typed arrays, no "last met" bookkeeping). It is
 * slow and obvious; property tests compare the real engine against it on random input.
 * Test-only: never used by the product.
 */

const PERIOD: Record<Scheme['assess'], number> = { month: 1, quarter: 3, 'half-year': 6, year: 12 };

function days(m: number): number {
  const year = Math.floor(m / 12);
  const month = m % 12;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month] as number;
}

export interface ReferenceResult {
  levels: number[];
  tiers: number[];
  tier: number;
  belowCount: number;
  watch: boolean;
}

export function referenceAssess(scheme: Scheme, facts: CustomerFacts): ReferenceResult {
  const byMonth = new Map(facts.months.map((m) => [m.month, m]));
  const fact = (m: number) => byMonth.get(m);
  const months = facts.months.map((m) => m.month);
  if (months.length === 0) return { levels: [], tiers: [], tier: 0, belowCount: 0, watch: false };
  const first = Math.min(...months);
  const last = Math.max(...months);
  const period = PERIOD[scheme.assess];

  /** metric at month M as the pair (numerator, denominator): the metric is numerator / denominator */
  function metric(name: MetricName, M: number): [number, number] {
    const sumDaily = (from: number) => {
      let s = 0;
      let d = 0;
      for (let m = from; m <= M; m++) {
        s += fact(m)?.assetDaySum ?? 0;
        d += days(m);
      }
      return [s, d] as [number, number];
    };
    const sum12 = (field: 'cardSpend' | 'txnCount') => {
      let s = 0;
      for (let m = M - 11; m <= M; m++) s += fact(m)?.[field] ?? 0;
      return s;
    };
    switch (name) {
      case 'mda':
        return [fact(M)?.assetDaySum ?? 0, days(M)];
      case 'qda':
        return sumDaily(M - (M % 3));
      case 'pda':
        return sumDaily(M - (M % period));
      case 'monthEndAssets':
        return [fact(M)?.monthEndAssets ?? 0, 1];
      case 'loanBalance':
        return [fact(M)?.loanBalance ?? 0, 1];
      case 'cardSpend12':
        return [sum12('cardSpend'), 1];
      case 'txnCount12':
        return [sum12('txnCount'), 1];
      case 'productCount':
        return [new Set(fact(M)?.products ?? []).size, 1];
    }
  }

  function level(A: number): number {
    let best = 0;
    scheme.tiers.forEach((tier, t) => {
      const holds = tier.paths.some((path) =>
        path.every((c) => {
          const [n, d] = metric(c.metric, A);
          return METRIC_KIND[c.metric] === 'average' ? n >= c.min * d : n >= c.min;
        }),
      );
      if (t > 0 && holds) best = t;
    });
    return best;
  }

  const retain = (t: number) => scheme.tiers[t]?.retain ?? scheme.retain;
  const override = facts.override;
  const overrideTier = override ? scheme.tiers.findIndex((t) => t.code === override.tier) : -1;
  const forced = (periodStart: number, periodEnd: number) => override !== undefined && periodStart <= override.until && periodEnd >= override.from;

  const assessments: number[] = [];
  for (let A = first; A <= last; A++) if ((A + 1) % period === 0) assessments.push(A);

  const firstPeriodStart = first - (first % period);
  let C = forced(firstPeriodStart, firstPeriodStart + period - 1) ? overrideTier : 0;
  const levels: number[] = [];
  const tiers: number[] = [];
  assessments.forEach((A, k) => {
    const L = level(A);
    levels.push(L);
    const met = (T: number, j: number) => (j < 0 ? 0 : (levels[j] as number)) >= T;
    const kept = (T: number) => {
      for (let j = k - retain(T) + 1; j <= k; j++) if (met(T, j)) return true;
      return false;
    };
    let next: number;
    if (forced(A + 1, A + period)) next = overrideTier;
    else if (L >= C) next = L;
    else if (kept(C)) next = C;
    else {
      let K = 0;
      if (scheme.downgradeTo === 'window-best') {
        for (let T = 0; T < C; T++) if (kept(T)) K = T;
      } else K = L;
      next = Math.max(L, K);
    }
    tiers.push(next);
    C = next;
  });
  let belowCount = 0;
  for (let k = levels.length - 1; k >= 0 && (levels[k] as number) < C; k--) belowCount++;
  return { levels, tiers, tier: C, belowCount, watch: C > 0 && belowCount >= scheme.watchAfter };
}
