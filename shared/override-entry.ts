import type { TierOverride } from './customer-facts.js';
import type { LocatedError } from './located-error.js';
import { formatMonth, type MonthIndex } from './month.js';
import type { Scheme } from './scheme.schema.js';

/**
 * Checks an override as a person enters it today (tier-rules.md: an override without a
 * reason, or ending in the past, is rejected, never ignored). Overrides already on record
 * are history and are replayed as they are; this check is for new entries only.
 */
export function overrideEntryErrors(override: TierOverride, scheme: Scheme, today: MonthIndex): LocatedError[] {
  const errors: LocatedError[] = [];
  if (!scheme.tiers.some((t) => t.code === override.tier)) {
    errors.push({ path: 'override.tier', message: `"${override.tier}" is not a tier of scheme ${scheme.id}` });
  }
  if (override.reason.trim() === '') errors.push({ path: 'override.reason', message: 'an override needs a reason' });
  if (override.until < override.from) errors.push({ path: 'override.until', message: 'must not be before override.from' });
  if (override.until < today) {
    errors.push({ path: 'override.until', message: `${formatMonth(override.until)} is already past (this month is ${formatMonth(today)})` });
  }
  return errors;
}
