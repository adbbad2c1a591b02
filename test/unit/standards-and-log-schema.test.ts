import { describe, expect, it } from 'vitest';
import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { parseContactLine } from '../../shared/service/contact-log.schema.js';
import { parseStandards } from '../../shared/service/standards.schema.js';
import d2Json from '../../shared/standards/d2.json' with { type: 'json' };

/**
 * The two inputs of contact work at the boundary: service standards (JSON in yuan) and
 * contact-log lines. A bad input is refused with the path a person would write
 * (`bands[1].assetsFrom`) and a reason; nothing is guessed.
 */

const CHANNEL_LIST = 'phone, sms, wechat, visit, salon, gift, meeting';
const KIND_LIST = 'monthly-contact, birthday-greeting, holiday-greeting, birthday-flowers, salon, gift, head-visit, product-message';
const HOLIDAY_LIST = 'yuandan, chunjie, yuanxiao, laodong, duanwu, zhongqiu, guoqing';

/** d2 as written, with one change made by the case. */
function d2With(change: (doc: any) => void): unknown {
  const doc = structuredClone(d2Json) as any;
  change(doc);
  return doc;
}

function errorsOf(input: unknown) {
  const parsed = parseStandards(input);
  if (parsed.ok) throw new Error('expected the standards to be refused');
  return parsed.errors;
}

describe('parseStandards', () => {
  it('accepts the bundled d2 and turns yuan into fen: mid runs from 200,000.00 yuan = 20,000,000 fen to 1,000,000.00 = 100,000,000 fen', () => {
    const parsed = parseStandards(d2Json);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.standards.bands.map((b) => [b.code, b.assetsFrom, b.assetsBelow])).toEqual([
      ['mid', 20_000_000, 100_000_000],
      ['high', 100_000_000, 500_000_000],
      ['top', 500_000_000, null],
    ]);
    // no tiers given (bands by assets): an empty list, not undefined
    expect(parsed.standards.bands[0]!.tiers).toEqual([]);
  });

  const cases: { name: string; change: (doc: any) => void; errors: { path: string; message: string }[] }[] = [
    {
      name: 'overlapping bands: high starting at 900,000 while mid runs below 1,000,000',
      change: (d) => (d.bands[1].assetsFrom = '900000.00'),
      errors: [{ path: 'bands[1].assetsFrom', message: 'overlaps another band' }],
    },
    {
      name: 'a band by assets without assetsFrom',
      change: (d) => delete d.bands[0].assetsFrom,
      errors: [{ path: 'bands[0].assetsFrom', message: 'a band by assets needs assetsFrom' }],
    },
    {
      name: 'assetsBelow not above assetsFrom (200,000 to 200,000)',
      change: (d) => (d.bands[0].assetsBelow = '200000.00'),
      errors: [{ path: 'bands[0].assetsBelow', message: 'must be above assetsFrom' }],
    },
    {
      name: 'an unknown contact channel ("fax", second in the list of the top band)',
      change: (d) => (d.bands[2].contactChannels = ['phone', 'fax']),
      errors: [{ path: 'bands[2].contactChannels[1]', message: `must be one of ${CHANNEL_LIST}` }],
    },
    {
      name: 'an unknown greeting channel',
      change: (d) => (d.bands[0].greetings.channels = ['email']),
      errors: [{ path: 'bands[0].greetings.channels[0]', message: `must be one of ${CHANNEL_LIST}` }],
    },
    {
      name: 'an unknown holiday ("christmas")',
      change: (d) => (d.bands[1].greetings.holidays = ['chunjie', 'christmas']),
      errors: [{ path: 'bands[1].greetings.holidays[1]', message: `must be one of ${HOLIDAY_LIST}` }],
    },
    {
      name: 'no contact channel at all',
      change: (d) => (d.bands[0].contactChannels = []),
      errors: [{ path: 'bands[0].contactChannels', message: 'needs at least one channel' }],
    },
    {
      name: 'a negative number of contacts',
      change: (d) => (d.bands[0].contactsPerMonth = -1),
      errors: [{ path: 'bands[0].contactsPerMonth', message: 'must not be negative' }],
    },
    {
      name: 'half a salon',
      change: (d) => (d.bands[2].salonsPerYear = 2.5),
      errors: [{ path: 'bands[2].salonsPerYear', message: 'must be a whole number of salons' }],
    },
    {
      name: 'an amount with three decimals',
      change: (d) => (d.bands[0].assetsFrom = '200000.001'),
      errors: [{ path: 'bands[0].assetsFrom', message: 'must be an amount in yuan (≥ 0, at most 2 decimals)' }],
    },
    {
      name: 'an unknown role',
      change: (d) => (d.bands[0].ownerRoles = ['janitor']),
      errors: [{ path: 'bands[0].ownerRoles[0]', message: 'must be one of wealth-manager, lobby-manager, marketing-manager, teller, retail-head, outlet-head, branch-president, vice-president' }],
    },
    {
      name: 'a misspelt field is refused, not ignored',
      change: (d) => (d.bands[0].contactPerMonth = 3),
      errors: [{ path: 'bands[0].contactPerMonth', message: 'unknown field' }],
    },
    {
      name: 'bands by tier without the tiers they cover: one error per band',
      change: (d) => (d.bandBy = 'tier'),
      errors: [0, 1, 2].map((i) => ({ path: `bands[${i}].tiers`, message: 'a band by tier needs the tier codes it covers' })),
    },
    {
      name: 'bandBy neither assets nor tier',
      change: (d) => (d.bandBy = 'age'),
      errors: [{ path: 'bandBy', message: 'must be assets or tier' }],
    },
    {
      name: 'flowers counted only from the birthday itself (they are due the day before)',
      change: (d) => (d.occasionWindows = { greetingEarlyDays: 7, greetingLateDays: 7, flowersEarlyDays: 0, flowersLateDays: 7 }),
      errors: [{ path: 'occasionWindows.flowersEarlyDays', message: 'must be at least 1 day: flowers are due the day before the birthday' }],
    },
    {
      name: 'a greeting window of 90 days, and occasion windows with a field left out',
      change: (d) => (d.occasionWindows = { greetingEarlyDays: 90, greetingLateDays: 7, flowersEarlyDays: 14 }),
      errors: [
        { path: 'occasionWindows.greetingEarlyDays', message: 'must be at most 60 days' },
        { path: 'occasionWindows.flowersLateDays', message: 'must be a whole number of days' },
      ],
    },
    {
      name: 'an id with capitals',
      change: (d) => (d.id = 'D2'),
      errors: [{ path: 'id', message: 'must be lowercase letters, digits and hyphens' }],
    },
  ];
  it.each(cases)('refuses $name', (c) => {
    expect(errorsOf(d2With(c.change))).toEqual(c.errors);
  });

  it('occasion windows: left out, the documented 7/7/14/7; given, the bank’s own', () => {
    const bundled = parseStandards(d2Json);
    expect(bundled.ok && bundled.standards.occasionWindows).toEqual({ greetingEarlyDays: 7, greetingLateDays: 7, flowersEarlyDays: 14, flowersLateDays: 7 });
    const own = parseStandards(d2With((d) => (d.occasionWindows = { greetingEarlyDays: 3, greetingLateDays: 0, flowersEarlyDays: 5, flowersLateDays: 2 })));
    expect(own.ok && own.standards.occasionWindows).toEqual({ greetingEarlyDays: 3, greetingLateDays: 0, flowersEarlyDays: 5, flowersLateDays: 2 });
  });

  it('two faults are both reported, each with its own path', () => {
    const errors = errorsOf(
      d2With((d) => {
        d.bands[0].contactChannels = ['pigeon'];
        d.bands[2].giftsPerYear = -2;
      }),
    );
    expect(errors.map((e) => e.path).sort()).toEqual(['bands[0].contactChannels[0]', 'bands[2].giftsPerYear']);
  });
});

describe('parseContactLine', () => {
  const good = { customerId: 'C-1', date: '2025-06-05', channel: 'phone', kind: 'monthly-contact', by: 'M-01' };

  it('accepts a line: the date becomes a day number, occasion null, note empty', () => {
    const parsed = parseContactLine(good);
    expect(parsed).toEqual({ ok: true, entry: { customerId: 'C-1', date: parseCivilDay('2025-06-05'), channel: 'phone', kind: 'monthly-contact', occasion: null, by: 'M-01', note: '' } });
  });

  it('accepts a holiday greeting that names its holiday', () => {
    const parsed = parseContactLine({ ...good, kind: 'holiday-greeting', occasion: 'zhongqiu', note: '中秋电话问候' });
    expect(parsed.ok && parsed.entry.occasion).toBe('zhongqiu');
    expect(parsed.ok && parsed.entry.note).toBe('中秋电话问候');
  });

  const cases: { name: string; line: Record<string, unknown>; errors: { path: string; message: string }[] }[] = [
    { name: '29 February in a common year', line: { ...good, date: '2025-02-29' }, errors: [{ path: 'date', message: 'must be a date as YYYY-MM-DD, got "2025-02-29"' }] },
    { name: '31 September', line: { ...good, date: '2026-09-31' }, errors: [{ path: 'date', message: 'must be a date as YYYY-MM-DD, got "2026-09-31"' }] },
    { name: 'a date with slashes', line: { ...good, date: '2025/06/05' }, errors: [{ path: 'date', message: 'must be a date as YYYY-MM-DD, got "2025/06/05"' }] },
    { name: 'a date as a number', line: { ...good, date: 20250605 }, errors: [{ path: 'date', message: 'must be a date as YYYY-MM-DD' }] },
    { name: 'an unknown kind', line: { ...good, kind: 'cake' }, errors: [{ path: 'kind', message: `must be one of ${KIND_LIST}` }] },
    { name: 'an unknown channel', line: { ...good, channel: 'fax' }, errors: [{ path: 'channel', message: `must be one of ${CHANNEL_LIST}` }] },
    { name: 'a holiday greeting without its occasion', line: { ...good, kind: 'holiday-greeting' }, errors: [{ path: 'occasion', message: 'a holiday greeting must say which holiday' }] },
    { name: 'an unknown occasion', line: { ...good, kind: 'holiday-greeting', occasion: 'christmas' }, errors: [{ path: 'occasion', message: `must be one of ${HOLIDAY_LIST}` }] },
    { name: 'no `by`', line: { customerId: 'C-1', date: '2025-06-05', channel: 'phone', kind: 'monthly-contact' }, errors: [{ path: 'by', message: 'must say who made the contact' }] },
    { name: 'a blank `by`', line: { ...good, by: '   ' }, errors: [{ path: 'by', message: 'must say who made the contact' }] },
    { name: 'a misspelt field', line: { ...good, chanel: 'sms' }, errors: [{ path: 'chanel', message: 'unknown field' }] },
  ];
  it.each(cases)('refuses $name, naming the customer', (c) => {
    expect(parseContactLine(c.line)).toEqual({ ok: false, customerId: 'C-1', errors: c.errors });
  });

  it('a line without a usable customer number is refused with customer null', () => {
    const parsed = parseContactLine({ ...good, customerId: 42 });
    expect(parsed).toEqual({ ok: false, customerId: null, errors: [{ path: 'customerId', message: 'must be the customer number as text' }] });
    expect(parseContactLine('not an object').ok).toBe(false);
  });
});
