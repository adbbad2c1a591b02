import { z } from 'zod';
import { METRIC_NAMES, METRIC_KIND, type MetricName } from './metric.js';
import { parseYuan, formatYuan, type Fen } from './money.js';
import { locatedErrorsOf, type LocatedError } from './located-error.js';

/**
 * A tier scheme as a bank writes it (JSON, amounts in yuan), validated by zod and turned
 * into the domain shape (amounts in fen). tier-rules.md is the meaning of every field.
 */

/** Thresholds above 100 billion yuan would let `min × 366 days` leave the exact-integer range. */
const MAX_THRESHOLD_FEN: Fen = 10_000_000_000_000;

const localizedName = z.strictObject({
  zh: z.string({ error: 'must be the Chinese name as text' }).trim().min(1, { error: 'must not be empty' }),
  en: z.string({ error: 'must be the English name as text' }).trim().min(1, { error: 'must not be empty' }),
});

const conditionJson = z
  .strictObject({
    metric: z.enum(METRIC_NAMES, { error: `must be one of ${METRIC_NAMES.join(', ')}` }),
    min: z.union([z.number(), z.string()], { error: 'must be a positive amount in yuan' }),
  })
  .transform((condition, ctx) => {
    const min = parseThreshold(condition.metric, condition.min);
    if (typeof min === 'string') {
      ctx.addIssue({ code: 'custom', path: ['min'], message: min });
      return z.NEVER;
    }
    return { metric: condition.metric, min };
  });

const positiveWhole = (what: string) =>
  z.number({ error: `must be a whole number of ${what}` }).int({ error: `must be a whole number of ${what}` }).min(1, {
    error: `must be at least 1 ${what.replace(/s$/, '')}`,
  });

const tierJson = z.strictObject({
  code: z
    .string({ error: 'must be a tier code' })
    .regex(/^[a-z][a-z0-9-]*$/, { error: 'must be lowercase letters, digits and hyphens, starting with a letter' }),
  name: localizedName,
  paths: z.array(z.array(conditionJson, { error: 'must be a list of conditions' }), { error: 'must be a list of paths' }).optional(),
  retain: positiveWhole('assessments').optional(),
});

const cardSpendExclusionsJson = z.strictObject({
  singleAtLeast: z.union([z.number(), z.string()]).optional(),
  categories: z.array(z.string().trim().min(1, { error: 'must not be empty' }), { error: 'must be a list of merchant categories' }).default([]),
  zeroDiscountRate: z.boolean({ error: 'must be true or false' }).default(false),
});

export const ASSESS_PERIODS = ['month', 'quarter', 'half-year', 'year'] as const;
export type AssessPeriod = (typeof ASSESS_PERIODS)[number];
export const PERIOD_MONTHS: Readonly<Record<AssessPeriod, number>> = { month: 1, quarter: 3, 'half-year': 6, year: 12 };

export const schemeJsonSchema = z
  .strictObject({
    id: z.string({ error: 'must be the scheme id' }).regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be lowercase letters, digits and hyphens' }),
    version: z.string({ error: 'must be a version label' }).trim().min(1, { error: 'must not be empty' }).default('1'),
    name: localizedName,
    assess: z.enum(ASSESS_PERIODS, { error: `must be one of ${ASSESS_PERIODS.join(', ')}` }),
    retain: positiveWhole('assessments'),
    downgradeTo: z.enum(['window-best', 'latest'], { error: 'must be window-best or latest' }).default('window-best'),
    watchAfter: positiveWhole('assessments').default(1),
    cardSpendExclusions: cardSpendExclusionsJson.optional(),
    tiers: z.array(tierJson, { error: 'must be a list of tiers, lowest first' }),
  })
  .superRefine((scheme, ctx) => {
    if (scheme.tiers.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'needs a base tier and at least one tier above it' });
    }
    const seen = new Set<string>();
    scheme.tiers.forEach((tier, index) => {
      if (seen.has(tier.code)) ctx.addIssue({ code: 'custom', path: ['tiers', index, 'code'], message: `duplicate tier code "${tier.code}"` });
      seen.add(tier.code);
      const paths = tier.paths ?? [];
      if (index === 0 && paths.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['tiers', 0, 'paths'], message: 'the lowest tier (base) has no conditions' });
      }
      if (index > 0 && paths.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['tiers', index, 'paths'], message: 'needs at least one path of conditions' });
      }
      paths.forEach((path, pathIndex) => {
        if (path.length === 0) {
          ctx.addIssue({ code: 'custom', path: ['tiers', index, 'paths', pathIndex], message: 'a path needs at least one condition' });
        }
      });
    });
    const single = scheme.cardSpendExclusions?.singleAtLeast;
    if (single !== undefined) {
      const parsed = parseYuan(single);
      if (!parsed.ok || parsed.fen <= 0) {
        ctx.addIssue({ code: 'custom', path: ['cardSpendExclusions', 'singleAtLeast'], message: 'must be a positive amount in yuan' });
      }
    }
  });

export type SchemeJson = z.input<typeof schemeJsonSchema>;

export interface Condition {
  metric: MetricName;
  /** fen for money metrics, a whole number for counts */
  min: number;
}

export interface Tier {
  code: string;
  name: { zh: string; en: string };
  /** any-of paths of all-of conditions; empty for the base tier */
  paths: Condition[][];
  retain?: number;
}

export interface CardSpendExclusions {
  /** a single transaction at or above this (fen) in one of `categories` does not count */
  singleAtLeast: Fen | null;
  categories: string[];
  /** spend at zero-discount-rate (零扣率) merchants does not count */
  zeroDiscountRate: boolean;
}

export interface Scheme {
  id: string;
  version: string;
  name: { zh: string; en: string };
  assess: AssessPeriod;
  retain: number;
  downgradeTo: 'window-best' | 'latest';
  watchAfter: number;
  cardSpendExclusions: CardSpendExclusions;
  tiers: Tier[];
}

export type SchemeParse = { ok: true; scheme: Scheme } | { ok: false; errors: LocatedError[] };

/** Validates a scheme document; every problem comes back with its path. */
export function parseScheme(input: unknown): SchemeParse {
  const result = schemeJsonSchema.safeParse(input);
  if (!result.success) return { ok: false, errors: locatedErrorsOf(result.error) };
  const json = result.data;
  const exclusions = json.cardSpendExclusions;
  const single = exclusions?.singleAtLeast === undefined ? null : parseYuan(exclusions.singleAtLeast);
  return {
    ok: true,
    scheme: {
      id: json.id,
      version: json.version,
      name: json.name,
      assess: json.assess,
      retain: json.retain,
      downgradeTo: json.downgradeTo,
      watchAfter: json.watchAfter,
      cardSpendExclusions: {
        singleAtLeast: single && single.ok ? single.fen : null,
        categories: exclusions?.categories ?? [],
        zeroDiscountRate: exclusions?.zeroDiscountRate ?? false,
      },
      tiers: json.tiers.map((tier) => ({
        code: tier.code,
        name: tier.name,
        paths: tier.paths ?? [],
        ...(tier.retain === undefined ? {} : { retain: tier.retain }),
      })),
    },
  };
}

/** The scheme back as a document (amounts as yuan strings); parseScheme(schemeToJson(s)) gives s again. */
export function schemeToJson(scheme: Scheme): SchemeJson {
  const exclusions = scheme.cardSpendExclusions;
  return {
    id: scheme.id,
    version: scheme.version,
    name: { ...scheme.name },
    assess: scheme.assess,
    retain: scheme.retain,
    downgradeTo: scheme.downgradeTo,
    watchAfter: scheme.watchAfter,
    cardSpendExclusions: {
      ...(exclusions.singleAtLeast === null ? {} : { singleAtLeast: formatYuan(exclusions.singleAtLeast) }),
      categories: [...exclusions.categories],
      zeroDiscountRate: exclusions.zeroDiscountRate,
    },
    tiers: scheme.tiers.map((tier) => ({
      code: tier.code,
      name: { ...tier.name },
      ...(tier.paths.length === 0
        ? {}
        : {
            paths: tier.paths.map((path) =>
              path.map((c) => ({ metric: c.metric, min: METRIC_KIND[c.metric] === 'count' ? c.min : formatYuan(c.min) })),
            ),
          }),
      ...(tier.retain === undefined ? {} : { retain: tier.retain }),
    })),
  };
}

/** A threshold in the unit of its metric, or the message saying why it is not one. */
function parseThreshold(metric: MetricName, raw: number | string): number | string {
  if (METRIC_KIND[metric] === 'count') {
    return typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= 1_000_000_000
      ? raw
      : 'must be a positive whole number';
  }
  const parsed = parseYuan(raw);
  if (!parsed.ok) {
    return parsed.problem === 'too-many-decimals' ? 'must be a positive amount in yuan with at most 2 decimals' : 'must be a positive amount in yuan';
  }
  if (parsed.fen <= 0) return 'must be a positive amount in yuan';
  if (parsed.fen > MAX_THRESHOLD_FEN) return 'must be at most 100000000000 yuan';
  return parsed.fen;
}
