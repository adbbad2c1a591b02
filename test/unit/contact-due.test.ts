import { describe, expect, it } from 'vitest';
import { formatCivilDay, parseCivilDay, type CivilDay } from '../../shared/calendar/civil-date.js';
import type { CustomerFacts } from '../../shared/customer-facts.js';
import type { CustomerProfile } from '../../shared/customer-profile.js';
import { bundledStandards } from '../../shared/service/bundled-standards.js';
import { contactDue, type ContactDue } from '../../shared/service/contact-due.js';
import type { ContactEntry } from '../../shared/service/contact-log.schema.js';
import type { Obligation } from '../../shared/service/obligations.js';
import type { Channel, ObligationKind } from '../../shared/service/service-vocabulary.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { customer, month, run, type Row } from '../support/facts-builder.js';
import { bundled, code } from '../support/scheme-builder.js';

/**
 * contactDue end to end: BOC tiers, the bundled d2 standards (docs/domain.md D2). The band is read
 * off the monthly daily average (mda) of the last complete month and holds for the whole
 * month; yearly items count from the month the band started (not before January).
 * d2: mid 200,000 ≤ mda < 1,000,000; high 1,000,000 ≤ mda < 5,000,000 (flowers, 1 gift);
 * top ≥ 5,000,000 (3 salons, 2 gifts, 2 head visits). Every band: 2 contacts and 4 product
 * SMS a month, birthday and the seven holidays by phone or SMS, 2 salons a year (top 3).
 *
 * The usual day is Thursday 10 July 2025 (the week ends Sunday 13 July). July has 31 days:
 * contacts due ceil(31/2)=16 and 31 July; product SMS ceil(7.75)=8, ceil(15.5)=16,
 * ceil(23.25)=24 and 31 July. No greeting holiday falls in July 2025 (端午 was 31 May,
 * 中秋 is 6 October). The customer is born 20 July 1970: greeting due Sunday 20 July,
 * flowers (high and top) Saturday 19 July — both after 13 July, so "normal".
 */

const boc = bundled('boc');
const engine = createTierEngine(boc);
const d2 = bundledStandards('d2')!;

function day(text: string): CivilDay {
  const parsed = parseCivilDay(text);
  if (parsed === null) throw new Error(`test fixture: "${text}" is not a date`);
  return parsed;
}

const bornJuly20: CustomerProfile = { birthday: { year: 1970, month: 7, day: 20 }, archive: {}, servicePlan: {} };

function withProfile(rows: Row[], profile: CustomerProfile | undefined = bornJuly20): CustomerFacts {
  const facts = customer(rows);
  return profile === undefined ? facts : { ...facts, profile };
}

function entry(date: string, kind: ObligationKind, channel: Channel): ContactEntry {
  return { customerId: 'C-1', date: day(date), channel, kind, occasion: null, by: 'M-01', note: '' };
}

function dueOn(facts: CustomerFacts, today: string, log: ContactEntry[] = []): ContactDue {
  return contactDue(engine, d2, facts, log, day(today));
}

function show(o: Obligation): string {
  return `${formatCivilDay(o.due)} ${o.label} ${o.status}${o.doneOn === null ? '' : ` @${formatCivilDay(o.doneOn)}`}`;
}
/** The obligations as text, sorted, so that items due on the same day compare whatever their order. */
const sortedShown = (due: ContactDue) => due.obligations.map(show).sort();
const dues = (due: ContactDue) => due.obligations.map((o) => o.due);

describe('the band comes from the last complete month’s daily average (June, seen on 10 July 2025)', () => {
  const cases: { name: string; june: Row; band: string | null; tier: string }[] = [
    { name: 'mda 199,999.99: below every band', june: { month: '2025-06', mda: '199999.99' }, band: null, tier: 'base' },
    { name: 'day-sum 5,999,999.99 / 30 days = 199,999.9999… rounds down: below', june: { month: '2025-06', daySum: '5999999.99' }, band: null, tier: 'base' },
    { name: 'day-sum 6,000,000.00 / 30 days = 200,000.00 exactly: mid', june: { month: '2025-06', daySum: '6000000.00' }, band: 'mid', tier: 'licai' },
    { name: 'mda 200,000: mid (from is inclusive)', june: { month: '2025-06', mda: '200000' }, band: 'mid', tier: 'licai' },
    { name: 'mda 999,999.99: still mid', june: { month: '2025-06', mda: '999999.99' }, band: 'mid', tier: 'licai' },
    { name: 'mda 1,000,000: high (below is exclusive)', june: { month: '2025-06', mda: '1000000' }, band: 'high', tier: 'wealth' },
    { name: 'mda 4,999,999.99: still high', june: { month: '2025-06', mda: '4999999.99' }, band: 'high', tier: 'wealth' },
    { name: 'mda 5,000,000: top (BOC tier stays wealth: private needs 6,000,000)', june: { month: '2025-06', mda: '5000000' }, band: 'top', tier: 'wealth' },
    { name: 'mda 20,000,000: top, private', june: { month: '2025-06', mda: '20000000' }, band: 'top', tier: 'private' },
  ];
  it.each(cases)('$name', (c) => {
    const due = dueOn(withProfile([c.june]), '2025-07-10');
    expect(due.band?.code ?? null).toBe(c.band);
    expect(code(boc, due.assessment.tier)).toBe(c.tier);
    expect(due.customerId).toBe('C-1');
  });

  it('below 200,000 nothing is owed: no obligations and nothing next, even with a birthday this month', () => {
    const due = dueOn(withProfile([{ month: '2025-06', mda: '199999.99' }]), '2025-07-10');
    expect(due.obligations).toEqual([]);
    expect(due.next).toBeNull();
  });

  it('a customer with no figures at all is in no band', () => {
    const due = dueOn(withProfile([]), '2025-07-10');
    expect(due.band).toBeNull();
    expect(due.obligations).toEqual([]);
  });

  it('the current month does not count yet: June 100,000 and July (so far) 2,000,000 → no band on 10 July', () => {
    const due = dueOn(withProfile([{ month: '2025-06', mda: '100000' }, { month: '2025-07', mda: '2000000' }]), '2025-07-10');
    expect(due.band).toBeNull();
    expect(due.obligations).toEqual([]);
  });
});

describe('what each band owes on 10 July 2025 (in the band since before January: yearly items from January)', () => {
  const monthly = [
    '2025-07-08 第1次产品短信 overdue',
    '2025-07-16 第1次月度联络 normal',
    '2025-07-16 第2次产品短信 normal',
    '2025-07-20 生日祝福 normal',
    '2025-07-24 第3次产品短信 normal',
    '2025-07-31 第2次月度联络 normal',
    '2025-07-31 第4次产品短信 normal',
  ];

  it('mid (mda 300,000 from December 2024): the month’s items, the birthday, 2 salons (30 June overdue, 31 December)', () => {
    const due = dueOn(withProfile(run('2024-12', '2025-06', { mda: '300000' })), '2025-07-10');
    expect(due.band?.code).toBe('mid');
    expect(due.bandSince).toBe(month('2025-01'));
    expect(sortedShown(due)).toEqual([...monthly, '2025-06-30 第1次理财沙龙 overdue', '2025-12-31 第2次理财沙龙 normal'].sort());
    expect(due.next && show(due.next)).toBe('2025-06-30 第1次理财沙龙 overdue');
  });

  it('high (mda 2,000,000): adds flowers by 19 July and one gift, due 31 December', () => {
    const due = dueOn(withProfile(run('2024-12', '2025-06', { mda: '2000000' })), '2025-07-10');
    expect(due.band?.code).toBe('high');
    expect(sortedShown(due)).toEqual(
      [...monthly, '2025-07-19 生日鲜花/蛋糕 normal', '2025-06-30 第1次理财沙龙 overdue', '2025-12-31 第2次理财沙龙 normal', '2025-12-31 第1次礼品 normal'].sort(),
    );
  });

  it('top (mda 8,000,000): 3 salons (30 April, 31 August, 31 December), 2 gifts and 2 head visits (30 June, 31 December)', () => {
    const due = dueOn(withProfile(run('2024-12', '2025-06', { mda: '8000000' })), '2025-07-10');
    expect(due.band?.code).toBe('top');
    expect(sortedShown(due)).toEqual(
      [
        ...monthly,
        '2025-07-19 生日鲜花/蛋糕 normal',
        '2025-04-30 第1次理财沙龙 overdue',
        '2025-08-31 第2次理财沙龙 normal',
        '2025-12-31 第3次理财沙龙 normal',
        '2025-06-30 第1次礼品 overdue',
        '2025-12-31 第2次礼品 normal',
        '2025-06-30 第1次行长拜访 overdue',
        '2025-12-31 第2次行长拜访 normal',
      ].sort(),
    );
    expect(due.next && show(due.next)).toBe('2025-04-30 第1次理财沙龙 overdue');
  });

  it('the obligations come in due order, and contacts in the log are counted', () => {
    const log = [entry('2025-04-20', 'salon', 'salon'), entry('2025-07-02', 'product-message', 'sms'), entry('2025-07-03', 'monthly-contact', 'visit')];
    const due = dueOn(withProfile(run('2024-12', '2025-06', { mda: '300000' })), '2025-07-10', log);
    expect(dues(due)).toEqual([...dues(due)].sort((a, b) => a - b));
    expect(due.obligations.filter((o) => o.doneOn !== null).map(show)).toEqual([
      '2025-06-30 第1次理财沙龙 done @2025-04-20',
      '2025-07-08 第1次产品短信 done @2025-07-02',
      '2025-07-16 第1次月度联络 done @2025-07-03',
    ]);
    // 30 June, 8 July and the 16 July contact are done; the first open item is the 16 July product SMS
    expect(due.next && show(due.next)).toBe('2025-07-16 第2次产品短信 normal');
  });
});

describe('a band change: the new band’s obligations start with the next month, yearly items from that month', () => {
  const risesInJune = [...run('2024-12', '2025-05', { mda: '300000' }), { month: '2025-06', mda: '1200000' }];

  it('June’s rise to 1,200,000 does not change June: on 20 June the customer is still mid (May’s 300,000), no gift, no flowers', () => {
    const due = dueOn(withProfile(risesInJune), '2025-06-20');
    expect(due.band?.code).toBe('mid');
    expect(due.bandSince).toBe(month('2025-01'));
    expect(due.obligations.some((o) => o.kind === 'gift' || o.kind === 'birthday-flowers')).toBe(false);
    expect(due.obligations.filter((o) => o.kind === 'salon').map((o) => formatCivilDay(o.due))).toEqual(['2025-06-30', '2025-12-31']);
  });

  it('on 10 July the customer is high since July: 6 months left, 1 salon (ceil 2×6/12) and 1 gift (ceil 1×6/12), both 31 December; the March salon (while mid) does not count', () => {
    const due = dueOn(withProfile(risesInJune), '2025-07-10', [entry('2025-03-15', 'salon', 'salon')]);
    expect(due.band?.code).toBe('high');
    expect(due.bandSince).toBe(month('2025-07'));
    expect(sortedShown(due)).toEqual(
      [
        '2025-07-08 第1次产品短信 overdue',
        '2025-07-16 第1次月度联络 normal',
        '2025-07-16 第2次产品短信 normal',
        '2025-07-19 生日鲜花/蛋糕 normal',
        '2025-07-20 生日祝福 normal',
        '2025-07-24 第3次产品短信 normal',
        '2025-07-31 第2次月度联络 normal',
        '2025-07-31 第4次产品短信 normal',
        '2025-12-31 第1次理财沙龙 normal',
        '2025-12-31 第1次礼品 normal',
      ].sort(),
    );
  });

  it('rising to top (6,000,000 in June): from July 2 salons of 3 (ceil 1.5; stay months 3 and 6 → 30 Sep, 31 Dec), 1 gift and 1 head visit (31 Dec)', () => {
    const due = dueOn(withProfile([...run('2024-12', '2025-05', { mda: '300000' }), { month: '2025-06', mda: '6000000' }]), '2025-07-10');
    expect(due.band?.code).toBe('top');
    expect(due.bandSince).toBe(month('2025-07'));
    const yearly = due.obligations.filter((o) => o.kind === 'salon' || o.kind === 'gift' || o.kind === 'head-visit').map(show).sort();
    expect(yearly).toEqual(['2025-09-30 第1次理财沙龙 normal', '2025-12-31 第2次理财沙龙 normal', '2025-12-31 第1次礼品 normal', '2025-12-31 第1次行长拜访 normal'].sort());
  });

  it('falling from high (2,000,000 to June) to mid (300,000 in July): mid from August, 1 salon (ceil 2×5/12) due 31 December; the May salon does not count', () => {
    const due = dueOn(withProfile([...run('2024-12', '2025-06', { mda: '2000000' }), { month: '2025-07', mda: '300000' }]), '2025-08-05', [entry('2025-05-10', 'salon', 'salon')]);
    expect(due.band?.code).toBe('mid');
    expect(due.bandSince).toBe(month('2025-08'));
    expect(due.obligations.filter((o) => ['salon', 'gift', 'head-visit', 'birthday-flowers'].includes(o.kind)).map(show)).toEqual(['2025-12-31 第1次理财沙龙 normal']);
  });

  it('entering mid from below in February (January 300,000 after December 100,000): 11 months, 2 salons (ceil 22/12), stay months 6 and 11 → 31 July, 31 December', () => {
    const due = dueOn(withProfile([{ month: '2024-12', mda: '100000' }, { month: '2025-01', mda: '300000' }]), '2025-02-10');
    expect(due.band?.code).toBe('mid');
    expect(due.bandSince).toBe(month('2025-02'));
    expect(due.obligations.filter((o) => o.kind === 'salon').map(show)).toEqual(['2025-07-31 第1次理财沙龙 normal', '2025-12-31 第2次理财沙龙 normal']);
  });

  it('a band held since last year counts from January: a salon of November 2024 does not meet 2025’s', () => {
    const due = dueOn(withProfile(run('2024-06', '2025-02', { mda: '300000' })), '2025-03-05', [entry('2024-11-20', 'salon', 'salon')]);
    expect(due.bandSince).toBe(month('2025-01'));
    expect(due.obligations.filter((o) => o.kind === 'salon').map(show)).toEqual(['2025-06-30 第1次理财沙龙 normal', '2025-12-31 第2次理财沙龙 normal']);
  });
});
