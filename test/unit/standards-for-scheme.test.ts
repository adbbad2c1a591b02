import { describe, expect, it } from 'vitest';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { standardsErrorsFor, type ServiceStandards } from '../../shared/service/standards.schema.js';

describe('standards used with a scheme', () => {
  const boc = bundledScheme('boc')!;
  const byTier = (tiers: string[]): ServiceStandards => {
    const d2 = bundledStandards('d2')!;
    return { ...d2, bandBy: 'tier', bands: [{ ...d2.bands[0]!, tiers }] };
  };

  it('accepts bands by tier that name the scheme’s tiers, and bands by assets whatever the scheme', () => {
    expect(standardsErrorsFor(byTier(['licai', 'wealth']), boc)).toEqual([]);
    expect(standardsErrorsFor(bundledStandards('d2')!, bundledScheme('branch-six')!)).toEqual([]);
  });

  it('names each tier the scheme lacks, with its path', () => {
    expect(standardsErrorsFor(byTier(['licai', 'gold']), boc)).toEqual([{ path: 'bands[0].tiers[1]', message: '"gold" is not a tier of scheme boc' }]);
  });
});
