import type { CompiledScheme } from './compile-scheme.js';
import { checkPath, type ConditionCheck, type MetricSnapshot } from './metric-snapshot.js';

/** How far a customer is from a tier: every path, and the one to work on first. */
export interface TierGap {
  tier: number;
  paths: { conditions: ConditionCheck[] }[];
  /** index into paths: fewest unmet conditions, then smallest Σ shortfall/min, then scheme order */
  primary: number;
}

export function gapToTier(compiled: CompiledScheme, tier: number, snapshot: MetricSnapshot): TierGap {
  const paths: { conditions: ConditionCheck[] }[] = [];
  let primary = 0;
  let bestUnmet = Infinity;
  let bestRatio: Ratio | null = null;
  const first = compiled.pathStart[tier] as number;
  const end = compiled.pathStart[tier + 1] as number;
  for (let p = first; p < end; p++) {
    const conditions = checkPath(compiled, p, snapshot);
    paths.push({ conditions });
    let unmet = 0;
    for (const c of conditions) if (c.shortfall > 0) unmet++;
    if (unmet < bestUnmet) {
      bestUnmet = unmet;
      bestRatio = null;
      primary = p - first;
    } else if (unmet === bestUnmet) {
      bestRatio ??= shortfallRatio(paths[primary]!.conditions);
      const ratio = shortfallRatio(conditions);
      if (compareRatios(ratio, bestRatio) < 0) {
        primary = p - first;
        bestRatio = ratio;
      }
    }
  }
  return { tier, paths, primary };
}

/** Σ shortfall/min as an exact fraction: comparing sums of ratios in floating point could misorder near-ties. */
export interface Ratio {
  numerator: bigint;
  denominator: bigint;
}

export function shortfallRatio(conditions: readonly ConditionCheck[]): Ratio {
  let numerator = 0n;
  let denominator = 1n;
  for (const c of conditions) {
    const min = BigInt(c.min);
    numerator = numerator * min + BigInt(c.shortfall) * denominator;
    denominator *= min;
  }
  return { numerator, denominator };
}

function compareRatios(a: Ratio, b: Ratio): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}
