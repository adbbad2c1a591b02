import fc from 'fast-check';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import type { CustomerFacts, MonthFacts } from '../../shared/customer-facts.js';
import { METRIC_KIND, METRIC_NAMES } from '../../shared/metric.js';
import { daysInMonth } from '../../shared/month.js';
import { parseScheme, type Scheme } from '../../shared/scheme.schema.js';

/**
 * Random schemes and customers for the engine's property tests. Thresholds are drawn from a
 * small set and balances placed on, just under and just above them, so that ties at the
 * threshold and near misses happen often.
 */

const THRESHOLDS_YUAN = [1_000, 20_000, 200_000, 1_000_000];
const COUNTS = [1, 2, 3, 12, 40];

const condition: fc.Arbitrary<{ metric: string; min: number | string }> = fc.constantFrom(...METRIC_NAMES).chain((metric) =>
  METRIC_KIND[metric] === 'count'
    ? fc.constantFrom(...COUNTS).map((min): { metric: string; min: number | string } => ({ metric, min }))
    : fc.constantFrom(...THRESHOLDS_YUAN).map((min): { metric: string; min: number | string } => ({ metric, min: `${min}.00` })),
);

export const randomScheme: fc.Arbitrary<Scheme> = fc
  .record({
    assess: fc.constantFrom('month', 'quarter', 'half-year', 'year'),
    retain: fc.integer({ min: 1, max: 6 }),
    downgradeTo: fc.constantFrom('window-best', 'latest'),
    watchAfter: fc.integer({ min: 1, max: 4 }),
    tiers: fc.array(
      fc.record({
        paths: fc.array(fc.array(condition, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        retain: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map((s) => {
    const parsed = parseScheme({
      id: 'random',
      name: { zh: '随机', en: 'random' },
      assess: s.assess,
      retain: s.retain,
      downgradeTo: s.downgradeTo,
      watchAfter: s.watchAfter,
      tiers: [
        { code: 'base', name: { zh: '普通', en: 'base' } },
        ...s.tiers.map((t, i) => ({ code: `t${i + 1}`, name: { zh: `第${i + 1}级`, en: `tier ${i + 1}` }, paths: t.paths, ...(t.retain ? { retain: t.retain } : {}) })),
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.scheme;
  });

export const anyScheme = fc.oneof(
  fc.constantFrom('boc', 'boc-2012', 'branch-six', 'generic').map((id) => bundledScheme(id) as Scheme),
  randomScheme,
);

/** A daily average near a threshold: on it, a fen under, a fen over, or far away. */
const averageFen = fc.oneof(
  fc.tuple(fc.constantFrom(...THRESHOLDS_YUAN, 6_000_000), fc.constantFrom(-1, 0, 0, 1)).map(([yuan, delta]) => Math.max(0, yuan * 100 + delta)),
  fc.integer({ min: 0, max: 800_000_000 }),
);

export const START = 2023 * 12; // 2023-01

export function customerFacts(id: string): fc.Arbitrary<CustomerFacts> {
  return fc
    .record({
      start: fc.integer({ min: START, max: START + 30 }),
      rows: fc.array(
        fc.record({
          keep: fc.integer({ min: 0, max: 9 }),
          average: averageFen,
          monthEnd: averageFen,
          loan: fc.oneof(fc.constant(0), averageFen),
          card: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30_000_000 })),
          txn: fc.integer({ min: 0, max: 30 }),
          products: fc.subarray(['DEP', 'WMP', 'FUND', 'INS', 'CARD', 'UKEY'], { minLength: 0, maxLength: 6 }),
        }),
        { minLength: 1, maxLength: 30 },
      ),
      override: fc.option(fc.record({ tier: fc.integer({ min: 0, max: 4 }), from: fc.integer({ min: 0, max: 30 }), length: fc.integer({ min: 0, max: 8 }) }), { nil: undefined }),
    })
    .map(({ start, rows, override }) => {
      const months: MonthFacts[] = [];
      rows.forEach((row, i) => {
        // The first row is always present so the customer has a first month; about 1 in 10 of the rest is missing.
        if (i > 0 && row.keep === 0) return;
        const month = start + i;
        months.push({
          month,
          assetDaySum: row.average * daysInMonth(month),
          monthEndAssets: row.monthEnd,
          loanBalance: row.loan,
          cardSpend: row.card,
          txnCount: row.txn,
          products: row.products,
        });
      });
      const facts: CustomerFacts = { customerId: id, months };
      if (override) facts.override = { tier: `t${override.tier}`, from: start + override.from, until: start + override.from + override.length, reason: 'test' };
      return facts;
    });
}

/** Overrides name tiers t0…t4; map them onto the scheme's codes so every override is valid. */
export function fitOverride(scheme: Scheme, facts: CustomerFacts): CustomerFacts {
  if (!facts.override) return facts;
  const index = Number(facts.override.tier.slice(1)) % scheme.tiers.length;
  return { ...facts, override: { ...facts.override, tier: scheme.tiers[index]!.code } };
}

export const schemeAndCustomer = fc.tuple(anyScheme, customerFacts('P1')).map(([scheme, facts]) => ({ scheme, facts: fitOverride(scheme, facts) }));

