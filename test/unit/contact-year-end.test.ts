import { describe, expect, it } from 'vitest';
import { formatCivilDay, parseCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { contactDue } from '../../shared/service/contact-due.js';
import type { ContactEntry } from '../../shared/service/contact-log.schema.js';
import { momentTasks } from '../../shared/service/moment-tasks.js';
import { obligationsOn } from '../../shared/service/obligations.js';
import type { ObligationKind } from '../../shared/service/service-vocabulary.js';
import type { ServiceBand } from '../../shared/service/standards.schema.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { customer, month, run } from '../support/facts-builder.js';
import { bundled } from '../support/scheme-builder.js';

/**
 * Occasions whose due date falls in one year for an event of the next: flowers or cake for a
 * birthday on 1 January are due on 31 December (docs/service-standards.md, "Contacts due").
 * Every day of December 2026 and January 2027, each expectation worked out by hand:
 *
 * - 1 January 2026 is a Thursday, 2026 has 365 days, so 1 January 2027 is a Friday and
 *   31 December 2026 a Thursday; the week of 28 December (Monday) ends Sunday 3 January.
 * - Flowers (due 31 Dec): listed every day of December (the due date is in the month) and
 *   every day of January (the birthday is in the month). Not done: 1–27 Dec normal,
 *   28–30 Dec this-week, 31 Dec today, from 1 Jan overdue.
 * - Greeting (due 1 Jan): listed in December once the 7-day look-ahead reaches 1 January
 *   (from 25 Dec), and all January. 25–27 Dec normal (their week ends 27 Dec), 28–31 Dec
 *   this-week, 1 Jan today, from 2 Jan overdue.
 * - Flowers count from 14 days before the birthday (18 Dec) to 7 days after (8 Jan), and only
 *   once the day they were sent has come.
 */

function day(text: string): CivilDay {
  const parsed = parseCivilDay(text);
  if (parsed === null) throw new Error(`test fixture: "${text}" is not a date`);
  return parsed;
}

const DECEMBER_AND_JANUARY = Array.from({ length: 62 }, (_, k) => day('2026-12-01') + k);

const d2 = bundledStandards('d2')!;
const high = d2.bands.find((b) => b.code === 'high')!;
/** The d2 high band with only the birthday items on: the greeting and the flowers. */
const birthdayOnly: ServiceBand = {
  ...high,
  contactsPerMonth: 0,
  productMessagesPerMonth: 0,
  salonsPerYear: 0,
  giftsPerYear: 0,
  headVisitsPerYear: 0,
  birthdayFlowersOrCake: true,
  greetings: { birthday: true, holidays: [], channels: ['phone', 'sms'] },
};
const bornNewYearsDay = { birthday: { year: 1975, month: 1, day: 1 }, archive: {}, servicePlan: {} };

function logged(date: string, kind: ObligationKind, channel: ContactEntry['channel'] = 'gift'): ContactEntry {
  return { customerId: 'Y1', date: day(date), channel, kind, occasion: null, by: 'M-01', note: '' };
}

function flowersStatus(today: CivilDay): string {
  const text = formatCivilDay(today);
  if (text < '2026-12-28') return 'normal';
  if (text < '2026-12-31') return 'this-week';
  if (text === '2026-12-31') return 'today';
  return 'overdue';
}

function greetingStatus(today: CivilDay): string | null {
  const text = formatCivilDay(today);
  if (text < '2026-12-25') return null;
  if (text < '2026-12-28') return 'normal';
  if (text < '2027-01-01') return 'this-week';
  if (text === '2027-01-01') return 'today';
  return 'overdue';
}

const birthdayItems = (today: CivilDay, log: ContactEntry[] = []) =>
  obligationsOn(birthdayOnly, month('2026-01'), bornNewYearsDay, log, today).map((o) => [o.kind, formatCivilDay(o.due), o.status, o.doneOn === null ? null : formatCivilDay(o.doneOn)]);

describe('a birthday on 1 January, every day of December 2026 and January 2027', () => {
  for (const today of DECEMBER_AND_JANUARY) {
    it(`${formatCivilDay(today)}: flowers due 2026-12-31 ${flowersStatus(today)}; greeting ${greetingStatus(today) ?? 'not listed yet'}`, () => {
      const expected: unknown[] = [['birthday-flowers', '2026-12-31', flowersStatus(today), null]];
      const greeting = greetingStatus(today);
      if (greeting !== null) expected.push(['birthday-greeting', '2027-01-01', greeting, null]);
      expect(birthdayItems(today)).toEqual(expected);
    });
  }
});

describe('flowers sent for a 1 January birthday: when they count', () => {
  const cases = [
    { sent: '2026-12-20', counts: 'done', why: 'within the 14 days before (from 18 Dec), by the due date' },
    { sent: '2026-12-18', counts: 'done', why: 'the first day of the 14' },
    { sent: '2026-12-17', counts: null, why: 'the 15th day before: too early to count' },
    { sent: '2027-01-01', counts: 'done-late', why: 'on the birthday itself, after the due date' },
    { sent: '2027-01-08', counts: 'done-late', why: 'the 7th day after: the last that counts' },
    { sent: '2027-01-09', counts: null, why: 'the 8th day after: too late to count' },
  ];
  for (const c of cases) {
    it(`sent ${c.sent} → ${c.counts ?? 'never counts'} (${c.why}), and only from that day on`, () => {
      for (const today of DECEMBER_AND_JANUARY) {
        const flowers = birthdayItems(today, [logged(c.sent, 'birthday-flowers')]).find((item) => item[0] === 'birthday-flowers');
        const counted = c.counts !== null && formatCivilDay(today) >= c.sent;
        expect(flowers, formatCivilDay(today)).toEqual(['birthday-flowers', '2026-12-31', counted ? c.counts : flowersStatus(today), counted ? c.sent : null]);
      }
    });
  }
});

describe('the occasion windows are a setting of the standards', () => {
  it('a bank that counts flowers only from 3 days before (28 Dec) does not count ones sent on 20 December', () => {
    const windows = { ...d2.occasionWindows, flowersEarlyDays: 3 };
    const at = (sent: string) => obligationsOn(birthdayOnly, month('2026-01'), bornNewYearsDay, [logged(sent, 'birthday-flowers')], day('2026-12-31'), windows).find((o) => o.kind === 'birthday-flowers')!;
    expect(at('2026-12-20').doneOn).toBeNull();
    expect(formatCivilDay(at('2026-12-29').doneOn!)).toBe('2026-12-29');
  });

  it('the bundled d2 keeps the documented margins: greetings 7 days either side, flowers 14 before and 7 after', () => {
    expect(d2.occasionWindows).toEqual({ greetingEarlyDays: 7, greetingLateDays: 7, flowersEarlyDays: 14, flowersLateDays: 7 });
  });
});

describe('the same through contact-due and the 待办 list (BOC, d2; November and December at 1,500,000: band high)', () => {
  const boc = bundled('boc');
  const engine = createTierEngine(boc);
  const facts: CustomerFacts = { ...customer(run('2026-06', '2026-12', { mda: '1500000' }), { id: 'Y1' }), branchId: 'B01', profile: bornNewYearsDay };

  for (const today of DECEMBER_AND_JANUARY) {
    // A task is listed while its due date is within 7 days of today: 24 Dec … 7 Jan.
    const text = formatCivilDay(today);
    const taskListed = text >= '2026-12-24' && text <= '2027-01-07';
    it(`${text}: contacts due lists the flowers; the 待办 list ${taskListed ? 'has' : 'has no'} flowers task`, () => {
      const due = contactDue(engine, d2, facts, [], today);
      expect(due.band?.code).toBe('high');
      expect(due.obligations.filter((o) => o.kind === 'birthday-flowers').map((o) => formatCivilDay(o.due))).toEqual(['2026-12-31']);
      const flowersTasks = momentTasks(boc, d2, facts, due, today).filter((t) => t.kind === 'birthday-flowers');
      expect(flowersTasks.map((t) => [t.id, formatCivilDay(t.due), t.status])).toEqual(taskListed ? [['Y1:birthday-flowers:2026-12-31', '2026-12-31', flowersStatus(today)]] : []);
    });
  }
});
