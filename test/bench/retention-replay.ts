import type { Scheme } from '../../shared/scheme.schema.js';

/**
 * tier-rules.md "Assessment", read sentence by sentence, for the baseline: given level(A)
 * at each assessment, the tier decided at each one. No overrides (generated customers
 * have none). Written independently of shared/tier-engine.ts so the cross-check means something.
 */
export function replayRetention(scheme: Scheme, levels: readonly number[]): number[] {
  const retain = (tier: number) => scheme.tiers[tier]?.retain ?? scheme.retain;
  /** T met at least once in the last retain(T) assessments, k included; before the first, level is base */
  const kept = (tier: number, k: number) => {
    for (let j = Math.max(0, k - retain(tier) + 1); j <= k; j++) if ((levels[j] as number) >= tier) return true;
    return tier === 0;
  };
  const tiers: number[] = [];
  let current = 0;
  levels.forEach((level, k) => {
    let next: number;
    if (level >= current) next = level;
    else if (kept(current, k)) next = current;
    else if (scheme.downgradeTo === 'latest') next = level;
    else {
      next = level;
      for (let tier = current - 1; tier > level; tier--) {
        if (kept(tier, k)) {
          next = tier;
          break;
        }
      }
    }
    tiers.push(next);
    current = next;
  });
  return tiers;
}

/** Consecutive assessments, ending at the last, at which the final tier was not met. */
export function belowCountOf(levels: readonly number[], tier: number): number {
  let count = 0;
  for (let k = levels.length - 1; k >= 0 && (levels[k] as number) < tier; k--) count++;
  return count;
}
