import { z } from 'zod';
import type { CustomerFacts, MonthFacts, TierOverride } from './customer-facts.js';
import { locatedErrorsOf, type LocatedError } from './located-error.js';
import { parseYuan, type Fen } from './money.js';
import { formatMonth, parseMonth } from './month.js';
import { parseCivilDay, ymdOf } from './calendar/civil-date.js';
import { ARCHIVE_FIELDS, SERVICE_PLAN_FIELDS, type CustomerProfile, type Maturity } from './customer-profile.js';
import { RISK_LEVELS, ROLES } from './service/service-vocabulary.js';

/**
 * One customer as a line of the facts file (amounts in yuan), validated and turned into
 * the engine's shape (fen, month indices, months sorted). A figure that is absent counts
 * as zero, as a day with no record does; a figure that is present must be valid.
 * Unknown fields are refused: a misspelt `assetdaysum` must not quietly become zero.
 */

const amount = z.unknown().optional().transform((value, ctx): Fen => {
  if (value === undefined || value === null) return 0;
  const parsed = parseYuan(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: AMOUNT_PROBLEM[parsed.problem] });
    return z.NEVER;
  }
  if (parsed.fen < 0) {
    ctx.addIssue({ code: 'custom', message: 'must not be negative' });
    return z.NEVER;
  }
  return parsed.fen;
});

const AMOUNT_PROBLEM = {
  'not-a-number': 'must be an amount in yuan, e.g. 1234.56',
  'too-many-decimals': 'must have at most 2 decimals (yuan.fen)',
  'too-large': 'is larger than any amount this system accepts (1,000,000,000,000 yuan)',
} as const;

const month = z.string({ error: 'must be a month as YYYY-MM' }).transform((text, ctx) => {
  const index = parseMonth(text);
  if (index === null) {
    ctx.addIssue({ code: 'custom', message: `must be a month as YYYY-MM between 1900-01 and 2100-12, got "${text}"` });
    return z.NEVER;
  }
  return index;
});

const monthFactsLine = z.strictObject(
  {
    month,
    assetDaySum: amount,
    monthEndAssets: amount,
    loanBalance: amount,
    cardSpend: amount,
    txnCount: z
      .number({ error: 'must be a whole number of transactions' })
      .int({ error: 'must be a whole number of transactions' })
      .min(0, { error: 'must not be negative' })
      .max(100_000_000, { error: 'is implausibly large' })
      .default(0),
    products: z
      .array(z.string({ error: 'must be a product code' }).trim().min(1, { error: 'must not be empty' }).max(32, { error: 'is too long for a product code' }), {
        error: 'must be a list of product codes',
      })
      .default([]),
    balanceToday: amount.optional(),
  },
  { error: 'must be an object with month and amounts' },
);

const overrideLine = z.strictObject(
  {
    tier: z.string({ error: 'must be a tier code' }).trim().min(1, { error: 'must be a tier code' }),
    from: month,
    until: month,
    reason: z.string({ error: 'an override needs a reason' }).trim().min(1, { error: 'an override needs a reason' }),
    by: z.string({ error: 'must say who set the override' }).trim().min(1, { error: 'must say who set the override' }).optional(),
  },
  { error: 'must be an object {tier, from, until, reason, by}' },
);

const civilDate = z.string({ error: 'must be a date as YYYY-MM-DD' }).transform((text, ctx) => {
  const day = parseCivilDay(text);
  if (day === null) {
    ctx.addIssue({ code: 'custom', message: `must be a date as YYYY-MM-DD, got "${text}"` });
    return z.NEVER;
  }
  return day;
});

const text = (max: number) => z.string({ error: 'must be text' }).trim().max(max, { error: `is longer than ${max} characters` });

/** Archive fields: empty text counts as not filled in; a filled-in field must be plausible. */
const archiveLine = z.strictObject({
  homeAddress: text(200).optional(),
  employer: text(200).optional(),
  mobile: z
    .string({ error: 'must be a mobile number as text' })
    .trim()
    .regex(/^(|1[3-9]\d{9})$/, { error: 'must be an 11-digit mainland mobile number starting 13–19' })
    .optional(),
  homePhone: z
    .string({ error: 'must be a phone number as text' })
    .trim()
    .regex(/^(|[0-9][0-9 -]{5,18}[0-9])$/, { error: 'must be a phone number of digits, spaces and hyphens' })
    .optional(),
  riskProfile: z.enum(['', ...RISK_LEVELS], { error: 'must be a risk level C1–C5' }).optional(),
  productPreference: text(200).optional(),
});

const servicePlanLine = z.strictObject(Object.fromEntries(SERVICE_PLAN_FIELDS.map((f) => [f, text(2000).optional()])) as Record<(typeof SERVICE_PLAN_FIELDS)[number], z.ZodOptional<z.ZodString>>);

const profileLine = z.strictObject({
  name: text(100).optional(),
  birthday: civilDate.optional(),
  managerId: text(64).optional(),
  managerRole: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).optional(),
  archive: archiveLine.optional(),
  servicePlan: servicePlanLine.optional(),
});

const maturityLine = z.strictObject({
  product: z.string({ error: 'must be a product code' }).trim().min(1, { error: 'must be a product code' }).max(32),
  date: civilDate,
  amount: amount.optional(),
});

export const customerFactsLineSchema = z
  .strictObject(
    {
      customerId: z.string({ error: 'must be the customer number as text' }).trim().min(1, { error: 'must not be empty' }),
      branchId: z.string({ error: 'must be the branch id as text' }).trim().min(1, { error: 'must not be empty' }).optional(),
      months: z.array(monthFactsLine, { error: 'must be a list of monthly facts' }),
      override: overrideLine.optional().nullable(),
      balanceToday: amount.optional(),
      profile: profileLine.optional(),
      maturities: z.array(maturityLine, { error: 'must be a list of maturities' }).optional(),
    },
    { error: 'must be a JSON object with customerId and months' },
  )
  .superRefine((line, ctx) => {
    const firstSeen = new Map<number, number>();
    line.months.forEach((m, index) => {
      const earlier = firstSeen.get(m.month);
      if (earlier !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['months', index, 'month'], message: `duplicate month ${formatMonth(m.month)} (also months[${earlier}])` });
      } else firstSeen.set(m.month, index);
    });
    if (line.override && line.override.until < line.override.from) {
      ctx.addIssue({ code: 'custom', path: ['override', 'until'], message: 'must not be before override.from' });
    }
  });

/** A parsed facts line: the customer, and today's balance when the line came for a daily view. */
export interface FactsLine {
  facts: CustomerFacts;
  /** top-level balanceToday, else the last month's balanceToday; null when neither was given */
  balanceToday: Fen | null;
}

export type FactsLineParse = { ok: true; line: FactsLine } | { ok: false; customerId: string | null; errors: LocatedError[] };

export function parseFactsLine(input: unknown): FactsLineParse {
  const result = customerFactsLineSchema.safeParse(input);
  if (!result.success) {
    const id = typeof input === 'object' && input !== null ? (input as { customerId?: unknown }).customerId : undefined;
    return { ok: false, customerId: typeof id === 'string' ? id : null, errors: locatedErrorsOf(result.error) };
  }
  const line = result.data;
  const months: MonthFacts[] = line.months
    .map((m) => ({
      month: m.month,
      assetDaySum: m.assetDaySum,
      monthEndAssets: m.monthEndAssets,
      loanBalance: m.loanBalance,
      cardSpend: m.cardSpend,
      txnCount: m.txnCount,
      products: [...new Set(m.products)],
    }))
    .sort((a, b) => a.month - b.month);
  const facts: CustomerFacts = { customerId: line.customerId, months };
  if (line.branchId !== undefined) facts.branchId = line.branchId;
  if (line.override) {
    const override: TierOverride = { tier: line.override.tier, from: line.override.from, until: line.override.until, reason: line.override.reason };
    if (line.override.by !== undefined) override.by = line.override.by;
    facts.override = override;
  }
  if (line.profile) facts.profile = profileOf(line.profile);
  if (line.maturities) facts.maturities = line.maturities.map((m): Maturity => ({ product: m.product, date: m.date, amount: m.amount === undefined ? null : m.amount }));
  const lastMonth = line.months.reduce<(typeof line.months)[number] | undefined>((latest, m) => (latest === undefined || m.month > latest.month ? m : latest), undefined);
  return { ok: true, line: { facts, balanceToday: line.balanceToday ?? lastMonth?.balanceToday ?? null } };
}

function profileOf(line: z.output<typeof profileLine>): CustomerProfile {
  const profile: CustomerProfile = { archive: {}, servicePlan: {} };
  if (line.name) profile.name = line.name;
  if (line.birthday !== undefined) profile.birthday = ymdOf(line.birthday);
  if (line.managerId) profile.managerId = line.managerId;
  if (line.managerRole) profile.managerRole = line.managerRole;
  for (const field of ARCHIVE_FIELDS) {
    const value = line.archive?.[field];
    if (value) profile.archive[field] = value;
  }
  for (const field of SERVICE_PLAN_FIELDS) {
    const value = line.servicePlan?.[field];
    if (value) profile.servicePlan[field] = value;
  }
  return profile;
}
