import { describe, expect, it } from 'vitest';
import { bundledScheme, BUNDLED_SCHEME_IDS } from '../../shared/bundled-schemes.js';
import { parseScheme, schemeToJson } from '../../shared/scheme.schema.js';

/** A valid two-tier scheme to break one field at a time. */
function validDocument(): Record<string, unknown> {
  return {
    id: 'test',
    name: { zh: '测试', en: 'test' },
    assess: 'month',
    retain: 6,
    tiers: [
      { code: 'base', name: { zh: '普通', en: 'base' } },
      { code: 'gold', name: { zh: '金卡', en: 'gold' }, paths: [[{ metric: 'mda', min: '500000' }]] },
      { code: 'vip', name: { zh: '贵宾', en: 'VIP' }, paths: [[{ metric: 'mda', min: 1000000 }, { metric: 'productCount', min: 3 }]] },
    ],
  };
}

function errorsOf(document: unknown): string[] {
  const parsed = parseScheme(document);
  if (parsed.ok) throw new Error('expected the scheme to be refused');
  return parsed.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('scheme documents', () => {
  it('reads a valid scheme into fen, with the documented defaults', () => {
    const parsed = parseScheme(validDocument());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.scheme.tiers[1]!.paths).toEqual([[{ metric: 'mda', min: 50_000_000 }]]);
    expect(parsed.scheme.tiers[2]!.paths[0]).toEqual([
      { metric: 'mda', min: 100_000_000 },
      { metric: 'productCount', min: 3 },
    ]);
    expect(parsed.scheme.downgradeTo).toBe('window-best');
    expect(parsed.scheme.watchAfter).toBe(1);
    expect(parsed.scheme.cardSpendExclusions).toEqual({ singleAtLeast: null, categories: [], zeroDiscountRate: false });
  });

  it.each<[string, (d: Record<string, any>) => void, string]>([
    ['a negative threshold', (d) => (d.tiers[2].paths[0][1] = { metric: 'mda', min: -5 }), 'tiers[2].paths[0][1].min: must be a positive amount in yuan'],
    ['a zero threshold', (d) => (d.tiers[1].paths[0][0].min = '0'), 'tiers[1].paths[0][0].min: must be a positive amount in yuan'],
    ['fractions of a fen', (d) => (d.tiers[1].paths[0][0].min = '1.005'), 'tiers[1].paths[0][0].min: must be a positive amount in yuan with at most 2 decimals'],
    ['a count that is not whole', (d) => (d.tiers[2].paths[0][1].min = 2.5), 'tiers[2].paths[0][1].min: must be a positive whole number'],
    ['an unknown metric', (d) => (d.tiers[1].paths[0][0].metric = 'assets'), 'tiers[1].paths[0][0].metric: must be one of mda, qda, pda, monthEndAssets, loanBalance, cardSpend12, txnCount12, productCount'],
    ['an unknown period', (d) => (d.assess = 'week'), 'assess: must be one of month, quarter, half-year, year'],
    ['retain 0', (d) => (d.retain = 0), 'retain: must be at least 1 assessment'],
    ['a fractional per-tier retain', (d) => (d.tiers[1].retain = 1.5), 'tiers[1].retain: must be a whole number of assessments'],
    ['an unknown downgrade mode', (d) => (d.downgradeTo = 'one-step'), 'downgradeTo: must be window-best or latest'],
    ['a misspelt field', (d) => (d.retian = 3), 'retian: unknown field'],
    ['a tier without an English name', (d) => delete d.tiers[1].name.en, 'tiers[1].name.en: must be the English name as text'],
    ['a code with capitals', (d) => (d.tiers[1].code = 'Gold'), 'tiers[1].code: must be lowercase letters, digits and hyphens, starting with a letter'],
    ['conditions on the base tier', (d) => (d.tiers[0].paths = [[{ metric: 'mda', min: 1 }]]), 'tiers[0].paths: the lowest tier (base) has no conditions'],
    ['a tier without paths', (d) => delete d.tiers[2].paths, 'tiers[2].paths: needs at least one path of conditions'],
    ['an empty path', (d) => (d.tiers[2].paths = [[]]), 'tiers[2].paths[0]: a path needs at least one condition'],
    ['a duplicate code', (d) => (d.tiers[2].code = 'gold'), 'tiers[2].code: duplicate tier code "gold"'],
    ['only a base tier', (d) => (d.tiers = [d.tiers[0]]), 'tiers: needs a base tier and at least one tier above it'],
    ['a bad exclusion amount', (d) => (d.cardSpendExclusions = { singleAtLeast: 'lots' }), 'cardSpendExclusions.singleAtLeast: must be a positive amount in yuan'],
  ])('refuses %s, saying where and why', (_what, breakIt, expected) => {
    const document = validDocument();
    breakIt(document);
    expect(errorsOf(document)).toContain(expected);
  });

  it('refuses something that is not a scheme at all', () => {
    expect(errorsOf('boc')[0]).toMatch(/expected object|must/);
  });

  it.each(BUNDLED_SCHEME_IDS)('bundled scheme %s validates and round-trips through JSON', (id) => {
    const scheme = bundledScheme(id)!;
    expect(scheme.id).toBe(id);
    const again = parseScheme(JSON.parse(JSON.stringify(schemeToJson(scheme))));
    expect(again).toEqual({ ok: true, scheme });
  });

  it('bundles BOC as D1.1 says: 200k / 1m / 6m monthly daily average, loan 500k, card 100k, retain 6, watch after 3', () => {
    const boc = bundledScheme('boc')!;
    expect(boc.tiers.map((t) => t.code)).toEqual(['base', 'licai', 'wealth', 'private']);
    expect(boc.assess).toBe('month');
    expect(boc.retain).toBe(6);
    expect(boc.watchAfter).toBe(3);
    expect(boc.tiers[1]!.paths).toEqual([
      [{ metric: 'mda', min: 20_000_000 }],
      [{ metric: 'loanBalance', min: 50_000_000 }],
      [{ metric: 'cardSpend12', min: 10_000_000 }],
    ]);
    expect(boc.tiers[2]!.paths).toEqual([[{ metric: 'mda', min: 100_000_000 }]]);
    expect(boc.tiers[3]!.paths).toEqual([[{ metric: 'mda', min: 600_000_000 }]]);
    expect(boc.cardSpendExclusions).toEqual({ singleAtLeast: 10_000_000, categories: ['car', 'decoration', 'house'], zeroDiscountRate: true });
  });

  it('bundles the six bands of D1.3 by quarterly daily average, lost at the first failed quarter', () => {
    const six = bundledScheme('branch-six')!;
    expect(six.tiers.map((t) => t.code)).toEqual(['normal', 'effective', 'silver', 'gold', 'diamond', 'pre-private', 'private']);
    expect(six.tiers.slice(1).map((t) => t.paths[0]![0]!.min / 100)).toEqual([20_000, 100_000, 500_000, 1_000_000, 5_000_000, 8_000_000]);
    expect(six.tiers.slice(1).every((t) => t.paths[0]![0]!.metric === 'qda')).toBe(true);
    expect(six.assess).toBe('quarter');
    expect(six.retain).toBe(1);
  });
});
