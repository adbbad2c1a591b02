import type { Fen } from '../money.js';
import type { CardSpendExclusions } from '../scheme.schema.js';

/**
 * Whether a card transaction counts as card spend under a scheme (tier-rules.md: exclusions
 * apply at ingest): a single transaction at or above the threshold in a listed category
 * (house, car, decoration …) does not count, nor does any transaction at a zero-discount-rate
 * merchant when the scheme says so.
 */
export function countsAsCardSpend(amountCny: Fen, category: string, zeroDiscount: boolean, exclusions: CardSpendExclusions): boolean {
  if (exclusions.zeroDiscountRate && zeroDiscount) return false;
  if (exclusions.singleAtLeast !== null && amountCny >= exclusions.singleAtLeast && exclusions.categories.includes(category)) return false;
  return true;
}
