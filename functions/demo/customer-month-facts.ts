import { formatYuan, type Fen } from '../../shared/money.js';
import { daysInMonth, formatMonth, type MonthIndex } from '../../shared/month.js';
import type { AssetTrajectory } from './asset-trajectory.js';
import type { DemoThresholds } from './scheme-thresholds.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Turns a customer's asset trajectory into the monthly facts the CLI reads (amounts in
 * yuan, two decimals), adding what a bank's extract also carries: normal loans, card
 * spend, transaction counts and product holdings.
 */

/** One month as a line of the facts file: exactly what `ladder assess` reads. */
export interface MonthFactsJson {
  month: string;
  assetDaySum: string;
  monthEndAssets: string;
  loanBalance: string;
  cardSpend: string;
  txnCount: number;
  products: string[];
}

/** A mortgage too small to qualify on its own, when the scheme has no loan path to aim at. */
const SMALL_LOAN_CEILING_FEN = 45_000_000;
const TYPICAL_CARD_MONTH_FEN = 250_000;

/** Above this share of the first tier's threshold a customer tends to hold investment products. */
const INVESTOR_SHARE = 0.25;

interface Extras {
  loanStart: Fen;
  /** share of the loan repaid each month */
  amortization: number;
  cardMonthly: Fen;
  products: string[];
  activity: number;
}

export function monthFactsOf(
  random: SeededRandom,
  trajectory: AssetTrajectory,
  history: readonly MonthIndex[],
  thresholds: DemoThresholds,
): MonthFactsJson[] {
  const firstTier = thresholds.mdaByTier[1] as Fen;
  const typical = trajectory.averages[trajectory.averages.length - 1] as Fen;
  const extras = drawExtras(random, typical, firstTier, thresholds);
  const openingDay = trajectory.openedAt > 0 ? random.int(1, 28) : 1;
  const facts: MonthFactsJson[] = [];
  for (let m = trajectory.openedAt; m < history.length; m++) {
    const month = history[m] as MonthIndex;
    const days = daysInMonth(month);
    const average = trajectory.averages[m] as Fen;
    // A day with no account counts 0, so the opening month's sum covers only the days open.
    const daysHeld = m === trajectory.openedAt ? days - openingDay + 1 : days;
    // Within-month ups and downs that leave the floor of the average where the story put it.
    const assetDaySum = average * daysHeld + random.int(0, daysHeld - 1);
    const monthEndAssets = Math.max(0, Math.round(average * (1 + 0.03 * random.normal())));
    const loanBalance = Math.max(0, Math.round(extras.loanStart * (1 - extras.amortization * m)));
    const cardSpend = extras.cardMonthly === 0 ? 0 : Math.max(0, Math.round(extras.cardMonthly * (1 + 0.15 * random.normal())));
    const products = [...extras.products];
    if (average >= firstTier && !products.includes('WMP')) products.push('WMP');
    if (loanBalance > 0) products.push('LOAN');
    facts.push({
      month: formatMonth(month),
      assetDaySum: formatYuan(assetDaySum),
      monthEndAssets: formatYuan(monthEndAssets),
      loanBalance: formatYuan(loanBalance),
      cardSpend: formatYuan(cardSpend),
      txnCount: Math.max(0, Math.round(extras.activity * (1 + 0.25 * random.normal()))),
      products,
    });
  }
  return facts;
}

function drawExtras(random: SeededRandom, typical: Fen, firstTier: Fen, thresholds: DemoThresholds): Extras {
  const loanLine = thresholds.loanBalance;
  const loanKind = random.weighted({ none: 82, small: 10, large: loanLine === null ? 0 : 8 });
  const loanStart =
    loanKind === 'large' && loanLine !== null
      ? Math.round(loanLine * random.between(1.1, 5))
      : loanKind === 'small'
        ? Math.round(random.between(5_000_000, Math.min(SMALL_LOAN_CEILING_FEN, (loanLine ?? SMALL_LOAN_CEILING_FEN) * 0.9)))
        : 0;

  const cardLine = thresholds.cardSpend12;
  const cardKind = random.weighted({ none: 58, normal: 37, heavy: cardLine === null ? 0 : 5 });
  const cardMonthly =
    cardKind === 'heavy' && cardLine !== null
      ? Math.round((cardLine / 12) * random.between(1.05, 1.6))
      : cardKind === 'normal'
        ? Math.round(TYPICAL_CARD_MONTH_FEN * Math.exp(0.7 * random.normal()))
        : 0;

  // Richer customers hold more kinds of product (docs/domain.md D3: ≥ 1m customers hold ≥ 5 kinds).
  const investor = typical >= firstTier * INVESTOR_SHARE;
  const rich = typical >= firstTier;
  const products = ['DEP'];
  if (cardMonthly > 0) products.push('CARD');
  if (random.chance(rich ? 0.85 : 0.45)) products.push('UKEY');
  if (random.chance(rich ? 0.8 : investor ? 0.45 : 0.05)) products.push('WMP');
  if (random.chance(rich ? 0.6 : investor ? 0.25 : 0.03)) products.push('FUND');
  if (random.chance(rich ? 0.45 : investor ? 0.15 : 0.02)) products.push('INS');
  if (random.chance(rich ? 0.3 : 0.03)) products.push('BOND');
  if (random.chance(rich ? 0.2 : 0.04)) products.push('GOLD');

  return {
    loanStart,
    amortization: random.between(0.002, 0.006),
    cardMonthly,
    products,
    activity: random.between(3, 25) + (cardMonthly > 0 ? 12 : 0),
  };
}
