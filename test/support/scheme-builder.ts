import { bundledScheme } from '../../shared/bundled-schemes.js';
import { parseScheme, type Scheme } from '../../shared/scheme.schema.js';

/** A bundled scheme by id; a missing one is a broken test setup. */
export function bundled(id: 'boc' | 'boc-2012' | 'branch-six' | 'generic'): Scheme {
  const scheme = bundledScheme(id);
  if (scheme === null) throw new Error(`no bundled scheme ${id}`);
  return scheme;
}

/** A scheme written inline in a test as the JSON a bank would write; invalid JSON fails the test setup. */
export function schemeFrom(json: unknown): Scheme {
  const parsed = parseScheme(json);
  if (!parsed.ok) throw new Error(`test scheme is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.scheme;
}

/** Tier indices → tier codes, so that expectations read as the scheme's own words. */
export function codes(scheme: Scheme, tiers: ArrayLike<number>): string[] {
  return Array.from(tiers, (t) => {
    const tier = scheme.tiers[t];
    if (tier === undefined) throw new Error(`tier index ${t} is not in scheme ${scheme.id}`);
    return tier.code;
  });
}

/** One tier index → its code (null stays null). */
export function code(scheme: Scheme, tier: number | null): string | null {
  return tier === null ? null : (codes(scheme, [tier])[0] as string);
}
