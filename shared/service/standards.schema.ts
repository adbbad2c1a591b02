import { z } from 'zod';
import { HOLIDAY_KEYS } from '../calendar/holidays.js';
import { locatedErrorsOf, type LocatedError } from '../located-error.js';
import { parseYuan, type Fen } from '../money.js';
import { CHANNELS, ROLES, type Channel, type Role } from './service-vocabulary.js';
import type { HolidayKey } from '../calendar/holidays.js';

/**
 * Service standards as data (docs/domain.md D2, D3, D5): what a branch owes each customer band,
 * who owns the band, and the thresholds that turn events into tasks. JSON in yuan,
 * validated with located errors like schemes are.
 */

const yuan = (what: string) =>
  z.union([z.number(), z.string()], { error: `must be ${what} in yuan` }).transform((value, ctx): Fen => {
    const parsed = parseYuan(value);
    if (!parsed.ok || parsed.fen < 0) {
      ctx.addIssue({ code: 'custom', message: `must be ${what} in yuan (≥ 0, at most 2 decimals)` });
      return z.NEVER;
    }
    return parsed.fen;
  });

const count = (what: string) => z.number({ error: `must be a whole number of ${what}` }).int({ error: `must be a whole number of ${what}` }).min(0, { error: 'must not be negative' }).max(1000, { error: 'is implausibly large' });
const percent = z.number({ error: 'must be a whole percentage' }).int({ error: 'must be a whole percentage' }).min(0, { error: 'must be 0–100' }).max(100, { error: 'must be 0–100' });
const name = z.strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) }, { error: 'must be { "zh": …, "en": … }' });
const channels = z.array(z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }));

const bandJson = z.strictObject({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be lowercase letters, digits and hyphens' }),
  name,
  assetsFrom: yuan('an amount').optional(),
  assetsBelow: yuan('an amount').optional(),
  tiers: z.array(z.string().min(1)).optional(),
  ownerRoles: z.array(z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` })).min(1, { error: 'needs at least one role' }),
  contactsPerMonth: count('contacts'),
  contactChannels: channels.min(1, { error: 'needs at least one channel' }),
  greetings: z.strictObject({
    birthday: z.boolean({ error: 'must be true or false' }),
    holidays: z.array(z.enum(HOLIDAY_KEYS as [HolidayKey, ...HolidayKey[]], { error: `must be one of ${HOLIDAY_KEYS.join(', ')}` })),
    channels: channels.min(1, { error: 'needs at least one channel' }),
  }),
  birthdayFlowersOrCake: z.boolean({ error: 'must be true or false' }),
  salonsPerYear: count('salons'),
  giftsPerYear: count('gifts'),
  headVisitsPerYear: count('visits'),
  productMessagesPerMonth: count('messages'),
});

/**
 * When a greeting or the flowers count, relative to the occasion (docs/service-standards.md,
 * "Occasion windows"). The bank documents say only "on the day" and "by the day before"; the
 * margins are ours, and a bank may set its own.
 */
const DAYS = 'days';
export const DEFAULT_OCCASION_WINDOWS = { greetingEarlyDays: 7, greetingLateDays: 7, flowersEarlyDays: 14, flowersLateDays: 7 } as const;
const occasionWindowsJson = z
  .strictObject({
    greetingEarlyDays: count(DAYS).max(60, { error: 'must be at most 60 days' }),
    greetingLateDays: count(DAYS).max(60, { error: 'must be at most 60 days' }),
    flowersEarlyDays: count(DAYS).min(1, { error: 'must be at least 1 day: flowers are due the day before the birthday' }).max(60, { error: 'must be at most 60 days' }),
    flowersLateDays: count(DAYS).max(60, { error: 'must be at most 60 days' }),
  })
  .default({ ...DEFAULT_OCCASION_WINDOWS });
export type OccasionWindows = z.output<typeof occasionWindowsJson>;

export const standardsJsonSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be lowercase letters, digits and hyphens' }),
    version: z.string().trim().min(1).default('1'),
    name,
    bandBy: z.enum(['assets', 'tier'], { error: 'must be assets or tier' }),
    bands: z.array(bandJson).min(1, { error: 'needs at least one band' }),
    moments: z.strictObject({
      maturityWithinDays: count('days'),
      largeOutflow: z.strictObject({ atLeast: yuan('an amount'), sharePercent: percent }),
    }),
    occasionWindows: occasionWindowsJson,
    promotion: z.strictObject({ maxShortfallPercent: percent }),
    archive: z.strictObject({
      servicePlanFrom: yuan('an amount'),
      targets: z.array(z.strictObject({ assetsFrom: yuan('an amount'), percent })).min(1),
    }),
    productCoverage: z.strictObject({
      kindsFrom: yuan('an amount'),
      minKinds: count('product kinds'),
      requiredFrom: yuan('an amount'),
      required: z.array(z.strictObject({ code: z.string().trim().min(1), zh: z.string().trim().min(1) })).min(1),
      requiredPercent: percent,
    }),
  })
  .superRefine((doc, ctx) => {
    doc.bands.forEach((band, i) => {
      if (doc.bandBy === 'assets' && band.assetsFrom === undefined) {
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'assetsFrom'], message: 'a band by assets needs assetsFrom' });
      }
      if (doc.bandBy === 'tier' && (band.tiers === undefined || band.tiers.length === 0)) {
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'tiers'], message: 'a band by tier needs the tier codes it covers' });
      }
      if (band.assetsFrom !== undefined && band.assetsBelow !== undefined && band.assetsBelow <= band.assetsFrom) {
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'assetsBelow'], message: 'must be above assetsFrom' });
      }
    });
    if (doc.bandBy === 'assets') {
      const sorted = doc.bands.map((b, i) => ({ i, from: b.assetsFrom ?? 0, below: b.assetsBelow ?? Infinity })).sort((a, b) => a.from - b.from);
      for (let k = 1; k < sorted.length; k++) {
        if (sorted[k]!.from < sorted[k - 1]!.below) {
          ctx.addIssue({ code: 'custom', path: ['bands', sorted[k]!.i, 'assetsFrom'], message: 'overlaps another band' });
        }
      }
    }
  });

export interface ServiceBand {
  code: string;
  name: { zh: string; en: string };
  assetsFrom: Fen | null;
  assetsBelow: Fen | null;
  tiers: string[];
  ownerRoles: Role[];
  contactsPerMonth: number;
  contactChannels: Channel[];
  greetings: { birthday: boolean; holidays: HolidayKey[]; channels: Channel[] };
  birthdayFlowersOrCake: boolean;
  salonsPerYear: number;
  giftsPerYear: number;
  headVisitsPerYear: number;
  productMessagesPerMonth: number;
}

export type ServiceStandards = Omit<z.output<typeof standardsJsonSchema>, 'bands'> & { bands: ServiceBand[] };

export type StandardsParse = { ok: true; standards: ServiceStandards } | { ok: false; errors: LocatedError[] };

export function parseStandards(input: unknown): StandardsParse {
  const result = standardsJsonSchema.safeParse(input);
  if (!result.success) return { ok: false, errors: locatedErrorsOf(result.error) };
  const doc = result.data;
  return {
    ok: true,
    standards: {
      ...doc,
      bands: doc.bands.map((b) => ({ ...b, assetsFrom: b.assetsFrom ?? null, assetsBelow: b.assetsBelow ?? null, tiers: b.tiers ?? [] })),
    },
  };
}

/** Bands by tier must name tiers the scheme has; checked when standards and a scheme are used together. */
export function standardsErrorsFor(standards: ServiceStandards, scheme: { id: string; tiers: { code: string }[] }): LocatedError[] {
  if (standards.bandBy !== 'tier') return [];
  const codes = new Set(scheme.tiers.map((t) => t.code));
  return standards.bands.flatMap((band, i) =>
    band.tiers.flatMap((tier, j) => (codes.has(tier) ? [] : [{ path: `bands[${i}].tiers[${j}]`, message: `"${tier}" is not a tier of scheme ${scheme.id}` }])),
  );
}
