import { z } from 'zod';
import { HOLIDAY_KEYS, type HolidayKey } from '../calendar/holidays.js';
import { parseCivilDay, type CivilDay } from '../calendar/civil-date.js';
import { locatedErrorsOf, type LocatedError } from '../located-error.js';
import { CHANNELS, OBLIGATION_KINDS, type Channel, type ObligationKind } from './service-vocabulary.js';

/** One contact with a customer, as logged by whoever made it (docs/domain.md D2, D6). */
export interface ContactEntry {
  customerId: string;
  date: CivilDay;
  channel: Channel;
  /** the obligation this contact meets */
  kind: ObligationKind;
  /** for holiday greetings: which holiday */
  occasion: HolidayKey | null;
  by: string;
  note: string;
}

const contactLine = z
  .strictObject({
    customerId: z.string({ error: 'must be the customer number as text' }).trim().min(1, { error: 'must not be empty' }),
    date: z.string({ error: 'must be a date as YYYY-MM-DD' }).transform((text, ctx) => {
      const day = parseCivilDay(text);
      if (day === null) {
        ctx.addIssue({ code: 'custom', message: `must be a date as YYYY-MM-DD, got "${text}"` });
        return z.NEVER;
      }
      return day;
    }),
    channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }),
    kind: z.enum(OBLIGATION_KINDS, { error: `must be one of ${OBLIGATION_KINDS.join(', ')}` }),
    occasion: z.enum(HOLIDAY_KEYS as [HolidayKey, ...HolidayKey[]], { error: `must be one of ${HOLIDAY_KEYS.join(', ')}` }).optional(),
    by: z.string({ error: 'must say who made the contact' }).trim().min(1, { error: 'must say who made the contact' }),
    note: z.string({ error: 'must be text' }).max(2000, { error: 'is longer than 2000 characters' }).default(''),
  })
  .superRefine((line, ctx) => {
    if (line.kind === 'holiday-greeting' && line.occasion === undefined) {
      ctx.addIssue({ code: 'custom', path: ['occasion'], message: 'a holiday greeting must say which holiday' });
    }
  });

export type ContactParse = { ok: true; entry: ContactEntry } | { ok: false; customerId: string | null; errors: LocatedError[] };

export function parseContactLine(input: unknown): ContactParse {
  const result = contactLine.safeParse(input);
  if (!result.success) {
    const id = typeof input === 'object' && input !== null ? (input as { customerId?: unknown }).customerId : undefined;
    return { ok: false, customerId: typeof id === 'string' ? id : null, errors: locatedErrorsOf(result.error) };
  }
  const line = result.data;
  return { ok: true, entry: { customerId: line.customerId, date: line.date, channel: line.channel, kind: line.kind, occasion: line.occasion ?? null, by: line.by, note: line.note } };
}
