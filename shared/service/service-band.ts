import type { CustomerFacts } from '../customer-facts.js';
import { floorDiv, type Fen } from '../money.js';
import { daysInMonth, type MonthIndex } from '../month.js';
import type { TierAssessment } from '../tier-engine.js';
import type { Scheme } from '../scheme.schema.js';
import type { ServiceBand, ServiceStandards } from './standards.schema.js';

/**
 * Which service band a customer is in during a month, and since when. Bands by assets use
 * the monthly daily average of the last complete month before it (the figure a branch has
 * on the 1st); bands by tier use the tier effective in that month. Either way the band is
 * fixed for the whole month: obligations of a new band start with the new month.
 */

/** Monthly daily average of financial assets in a month (0 when there are no facts), rounded down to the fen. */
export function monthlyAverage(facts: CustomerFacts, month: MonthIndex): Fen {
  const m = facts.months.find((f) => f.month === month);
  return m ? floorDiv(m.assetDaySum, daysInMonth(month)) : 0;
}

export function bandByAssets(standards: ServiceStandards, assets: Fen): ServiceBand | null {
  return standards.bands.find((b) => (b.assetsFrom ?? 0) <= assets && (b.assetsBelow === null || assets < b.assetsBelow)) ?? null;
}

export function bandByTier(standards: ServiceStandards, tierCode: string): ServiceBand | null {
  return standards.bands.find((b) => b.tiers.includes(tierCode)) ?? null;
}

/** The tier effective in a month, read off the assessment history (base or the override before the first). */
export function tierInMonth(assessment: TierAssessment, initialTier: number, month: MonthIndex): number {
  if (assessment.firstAssessment === null || month <= assessment.firstAssessment) return initialTier;
  const k = Math.min(Math.floor((month - 1 - assessment.firstAssessment) / assessment.periodMonths), assessment.tiers.length - 1);
  return assessment.tiers[k] as number;
}

export interface BandInMonth {
  band: ServiceBand | null;
  /** first month of the current run of this band, not before January of the month's year */
  since: MonthIndex;
}

export function serviceBandIn(
  standards: ServiceStandards,
  scheme: Scheme,
  facts: CustomerFacts,
  assessment: TierAssessment,
  month: MonthIndex,
): BandInMonth {
  const bandOf = (m: MonthIndex): ServiceBand | null =>
    standards.bandBy === 'assets'
      ? bandByAssets(standards, monthlyAverage(facts, m - 1))
      : bandByTier(standards, scheme.tiers[tierInMonth(assessment, 0, m)]?.code ?? '');
  const band = bandOf(month);
  const january = month - (month % 12);
  let since = month;
  while (since > january && bandOf(since - 1)?.code === band?.code) since--;
  return { band, since };
}
