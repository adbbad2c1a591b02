import type { CustomerFacts, MonthFacts } from '../../shared/customer-facts.js';
import { METRIC_KIND } from '../../shared/metric.js';
import { daysInMonth } from '../../shared/month.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { createSeededRandom, type SeededRandom } from '../../functions/demo/seeded-random.js';

/**
 * Believable bank customers, the same ones on every run for a given seed: lognormal
 * wealth that spans every tier, balances that wander month to month, some money taken
 * out for a while (so retention, watch and downgrades run), mortgages, card spenders,
 * late openers, leavers, and a few day-sums sitting exactly on (or one fen under) a
 * threshold so that the exact comparison is exercised.
 */

export interface GeneratorOptions {
  seed: number;
  firstMonth: number;
  monthsPerCustomer: number;
  /** daily-average thresholds of the scheme (fen), for the on-the-edge customers */
  averageThresholds: readonly number[];
}

const FEN_PER_YUAN = 100;
const NO_PRODUCTS: readonly string[] = Object.freeze([]);
const INVESTMENT_PRODUCTS = ['WMP', 'FUND', 'INS', 'GOLD', 'BOND'] as const;

/** Every daily-average threshold a scheme's conditions use, ascending, without repeats. */
export function averageThresholdsOf(scheme: Scheme): number[] {
  const mins = scheme.tiers.flatMap((tier) => tier.paths.flat()).filter((c) => METRIC_KIND[c.metric] === 'average').map((c) => c.min);
  return [...new Set(mins)].sort((a, b) => a - b);
}

interface Persona {
  /** typical monthly daily average, fen */
  wealth: number;
  volatility: number;
  openedAt: number;
  leftAt: number;
  dipStart: number;
  dipEnd: number;
  dipFactor: number;
  loan: number;
  loanRepaidAt: number;
  cardMedian: number;
  txnMedian: number;
  edgeMonth: number;
  edgeDaySum: number;
  products: readonly string[];
}

/** A stream of customers: the n-th call returns customer n, identical for the same options. */
export function createCustomerGenerator(options: GeneratorOptions): () => CustomerFacts {
  const rng = createSeededRandom(options.seed);
  const span = options.monthsPerCustomer;
  const days = Array.from({ length: span }, (_, i) => daysInMonth(options.firstMonth + i));
  let produced = 0;

  function persona(): Persona {
    // 98.5 % retail (median 90k yuan, wide tail), 1.5 % private-banking clientele.
    const wealthYuan = rng.chance(0.015) ? lognormal(rng, 7_000_000, 0.6) : lognormal(rng, 90_000, 1.5);
    const openedAt = rng.chance(0.06) ? rng.int(1, span - 2) : 0;
    const leftAt = rng.chance(0.03) ? rng.int(Math.max(openedAt + 1, 6), span - 1) : span;
    const dips = rng.chance(0.15);
    const dipStart = dips ? rng.int(0, span - 2) : span;
    const hasMortgage = rng.chance(0.07);
    const loanYuan = hasMortgage ? lognormal(rng, 1_000_000, 0.5) : rng.chance(0.12) ? lognormal(rng, 60_000, 0.8) : 0;
    const cardMedianYuan = rng.chance(0.5) ? lognormal(rng, 2_500, 1.1) : 0;
    const edge = rng.chance(0.02) && options.averageThresholds.length > 0;
    const edgeMonth = edge ? rng.int(openedAt, span - 1) : -1;
    // Mostly the lowest threshold, as in a real branch; exactly on it or one fen under.
    const threshold = edge ? (rng.chance(0.6) ? options.averageThresholds[0]! : rng.pick(options.averageThresholds)) : 0;
    const products: string[] = ['DEP'];
    if (cardMedianYuan > 0) products.push('CARD');
    if (loanYuan > 0) products.push('LOAN');
    if (rng.chance(0.6)) products.push('UKEY');
    const investChance = Math.min(0.9, wealthYuan / 1_000_000);
    for (const code of INVESTMENT_PRODUCTS) if (rng.chance(investChance)) products.push(code);
    return {
      wealth: Math.round(wealthYuan * FEN_PER_YUAN),
      volatility: 0.04 + 0.16 * rng.next(),
      openedAt,
      leftAt,
      dipStart,
      dipEnd: dips ? dipStart + rng.int(1, 10) : span,
      dipFactor: 0.05 + 0.65 * rng.next(),
      loan: Math.round(loanYuan * FEN_PER_YUAN),
      loanRepaidAt: hasMortgage && rng.chance(0.1) ? rng.int(1, span - 1) : span,
      cardMedian: Math.round(cardMedianYuan * FEN_PER_YUAN),
      txnMedian: lognormal(rng, 15, 0.7),
      edgeMonth,
      edgeDaySum: edge ? threshold * (days[edgeMonth] as number) - (rng.chance(0.5) ? 1 : 0) : 0,
      products: Object.freeze(products),
    };
  }

  function month(p: Persona, i: number, walk: number): MonthFacts {
    const monthIndex = options.firstMonth + i;
    if (i < p.openedAt) {
      return { month: monthIndex, assetDaySum: 0, monthEndAssets: 0, loanBalance: 0, cardSpend: 0, txnCount: 0, products: NO_PRODUCTS };
    }
    const monthDays = days[i] as number;
    let factor = Math.exp(walk);
    if (i >= p.dipStart && i < p.dipEnd) factor *= p.dipFactor;
    if (i >= p.leftAt) factor *= 0.002;
    const average = Math.round(p.wealth * factor);
    const assetDaySum = i === p.edgeMonth ? p.edgeDaySum : average * monthDays + rng.int(0, monthDays - 1);
    const loanBalance = i >= p.loanRepaidAt ? 0 : Math.round(p.loan * Math.pow(0.994, i));
    const spends = p.cardMedian > 0 && i < p.leftAt && !rng.chance(0.15);
    return {
      month: monthIndex,
      assetDaySum,
      monthEndAssets: Math.round(average * (0.8 + 0.4 * rng.next())),
      loanBalance,
      cardSpend: spends ? Math.round(p.cardMedian * lognormal(rng, 1, 0.6)) : 0,
      txnCount: i >= p.leftAt ? rng.int(0, 2) : Math.round(lognormal(rng, p.txnMedian, 0.4)),
      products: i >= p.leftAt ? NO_PRODUCTS : p.products,
    };
  }

  return () => {
    produced++;
    const p = persona();
    const months: MonthFacts[] = new Array<MonthFacts>(span);
    // Mean-reverting log walk: balances wander but stay around the customer's wealth.
    let walk = 0;
    for (let i = 0; i < span; i++) {
      walk = 0.85 * walk + p.volatility * rng.normal();
      months[i] = month(p, i, walk);
    }
    return {
      customerId: `C${String(produced).padStart(8, '0')}`,
      branchId: `B${String(rng.int(1, 400)).padStart(3, '0')}`,
      months,
    };
  };
}

/** The next `size` customers of the stream. */
export function nextChunk(next: () => CustomerFacts, size: number): CustomerFacts[] {
  const chunk = new Array<CustomerFacts>(size);
  for (let i = 0; i < size; i++) chunk[i] = next();
  return chunk;
}

/** Lognormal with the given median and log-space standard deviation. */
function lognormal(rng: SeededRandom, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal());
}
