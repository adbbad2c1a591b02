import { birthdayIn } from '../calendar/birthday.js';
import { endOfWeek, firstDayOfMonth, lastDayOfMonth, monthOfDay, ymdOf, type CivilDay } from '../calendar/civil-date.js';
import { holidayName, holidaysOf, type HolidayKey } from '../calendar/holidays.js';
import type { CustomerProfile } from '../customer-profile.js';
import { daysInMonth, type MonthIndex } from '../month.js';
import type { ContactEntry } from './contact-log.schema.js';
import type { ObligationKind } from './service-vocabulary.js';
import { DEFAULT_OCCASION_WINDOWS, type OccasionWindows, type ServiceBand } from './standards.schema.js';

/**
 * What a branch owes one customer this period under their band's standard (docs/domain.md D2), and
 * which of it the contact log shows done. Pure: the date is passed in.
 *
 * - Monthly items (contacts, product messages): with N a month, the k-th is due by day
 *   ceil(k × days / N) of the month.
 * - Yearly items (salons, gifts, head-of-branch visits): spread evenly over the months the
 *   customer has been in the band this year; the k-th is due at the end of month
 *   ceil(k × months / N′), where N′ = ceil(N × months / 12) (a customer who joins the band in
 *   July owes half a year's share, starting in July).
 * - Greetings are due on the day (birthday, holidays); flowers or cake by the day before.
 *   Occasions are listed for the month, for the 7 days after today and, while a late
 *   greeting still counts, for the days before it (a greeting missed on 31 May is still
 *   shown overdue on 3 June). An occasion is listed when either the event or its due date
 *   is in that window, so flowers for a birthday on 1 January are listed all December.
 * - Only contacts dated on or before today count; the order of items due the same day is
 *   KIND_ORDER, then their position. The windows are the standards' occasionWindows.
 */

export type ObligationStatus = 'done' | 'done-late' | 'overdue' | 'today' | 'this-week' | 'normal';
export const STATUS_ZH: Readonly<Record<ObligationStatus, string>> = {
  done: '已完成',
  'done-late': '逾期完成',
  overdue: '逾期',
  today: '今日',
  'this-week': '本周',
  normal: '正常',
};

export interface Obligation {
  kind: ObligationKind;
  /** 1-based position among the period's items of this kind (1 for occasions) */
  seq: number;
  occasion: HolidayKey | null;
  label: string;
  due: CivilDay;
  doneOn: CivilDay | null;
  status: ObligationStatus;
}

const LOOKAHEAD_DAYS = 7;
/** Flowers or cake are due this many days before the birthday. */
const FLOWERS_DUE_DAYS_BEFORE = 1;

export function obligationsOn(band: ServiceBand, bandSince: MonthIndex, profile: CustomerProfile | undefined, log: readonly ContactEntry[], today: CivilDay, windows: OccasionWindows = DEFAULT_OCCASION_WINDOWS): Obligation[] {
  const month = monthOfDay(today);
  const monthStart = firstDayOfMonth(month);
  const monthEnd = lastDayOfMonth(month);
  const entries = distinctEntries(log);
  const items: Obligation[] = [];

  const monthly = (kind: ObligationKind, perMonth: number, label: (k: number) => string, allowed: (e: ContactEntry) => boolean) => {
    const days = daysInMonth(month);
    const doneDays = [...new Set(entries.filter((e) => e.kind === kind && e.date >= monthStart && e.date <= today && allowed(e)).map((e) => e.date))].sort((a, b) => a - b);
    for (let k = 1; k <= perMonth; k++) {
      items.push(item(kind, k, null, label(k), monthStart + Math.ceil((k * days) / perMonth) - 1, doneDays[k - 1] ?? null, today));
    }
  };
  monthly('monthly-contact', band.contactsPerMonth, (k) => `第${k}次月度联络`, (e) => band.contactChannels.includes(e.channel));
  // D2 asks for product news by SMS (短讯): other channels do not count toward it.
  monthly('product-message', band.productMessagesPerMonth, (k) => `第${k}次产品短信`, (e) => e.channel === 'sms');

  const windowEnd = Math.max(monthEnd, today + LOOKAHEAD_DAYS);
  // An occasion missed in the last days of last month stays listed (overdue) while a late greeting still counts.
  const windowStart = Math.min(monthStart, today - Math.max(windows.greetingLateDays, windows.flowersLateDays));
  const occasion = (kind: ObligationKind, key: HolidayKey | null, label: string, day: CivilDay, due: CivilDay, early: number, late: number) => {
    // Listed when the occasion or its due date falls in the window: flowers for a birthday on
    // the 1st are due on the last day of the month before, and belong to that month's list.
    const inWindow = (d: CivilDay) => d >= windowStart && d <= windowEnd;
    if (!inWindow(day) && !inWindow(due)) return;
    // Greetings count only by the channels the standard names (D2: phone or SMS); flowers by any.
    const channelOk = (e: ContactEntry) => kind === 'birthday-flowers' || band.greetings.channels.includes(e.channel);
    const match = entries
      .filter((e) => e.kind === kind && e.occasion === key && channelOk(e) && e.date >= day - early && e.date <= day + late && e.date <= today)
      .sort((a, b) => a.date - b.date)[0];
    items.push(item(kind, 1, key, label, due, match?.date ?? null, today));
  };
  const birthday = profile?.birthday;
  // Occasions of every year the window touches, and of the year after when an event there is
  // due inside the window (flowers for a birthday on 1 January are due on 31 December).
  // The calendar is known through 2100; the last week of 2100 simply has no 2101 occasions.
  const firstYear = ymdOf(windowStart).year;
  const lastYear = ymdOf(windowEnd + FLOWERS_DUE_DAYS_BEFORE).year;
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, k) => firstYear + k).filter((y) => y >= 1900 && y <= 2100);
  for (const year of years) {
    if (birthday && band.greetings.birthday) {
      const day = birthdayIn(year, birthday.month, birthday.day);
      occasion('birthday-greeting', null, '生日祝福', day, day, windows.greetingEarlyDays, windows.greetingLateDays);
      if (band.birthdayFlowersOrCake) occasion('birthday-flowers', null, '生日鲜花/蛋糕', day, day - FLOWERS_DUE_DAYS_BEFORE, windows.flowersEarlyDays, windows.flowersLateDays);
    }
    for (const holiday of holidaysOf(year)) {
      if (band.greetings.holidays.includes(holiday.key)) occasion('holiday-greeting', holiday.key, `${holidayName(holiday.key)}问候`, holiday.date, holiday.date, windows.greetingEarlyDays, windows.greetingLateDays);
    }
  }

  const yearly = (kind: ObligationKind, perYear: number, label: (k: number) => string) => {
    if (perYear === 0) return;
    const decemberEnd = month - (month % 12) + 11;
    const months = decemberEnd - bandSince + 1;
    const owed = Math.ceil((perYear * months) / 12);
    const from = firstDayOfMonth(bandSince);
    // As for monthly items, two entries on one day (whatever their channels) are one salon, gift or visit.
    const doneDays = [...new Set(entries.filter((e) => e.kind === kind && e.date >= from && e.date <= today).map((e) => e.date))].sort((a, b) => a - b);
    for (let k = 1; k <= owed; k++) {
      items.push(item(kind, k, null, label(k), lastDayOfMonth(bandSince + Math.ceil((k * months) / owed) - 1), doneDays[k - 1] ?? null, today));
    }
  };
  yearly('salon', band.salonsPerYear, (k) => `第${k}次理财沙龙`);
  yearly('gift', band.giftsPerYear, (k) => `第${k}次礼品`);
  yearly('head-visit', band.headVisitsPerYear, (k) => `第${k}次行长拜访`);

  return items.sort((a, b) => a.due - b.due || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.seq - b.seq);
}

const KIND_ORDER: readonly ObligationKind[] = ['birthday-flowers', 'birthday-greeting', 'holiday-greeting', 'monthly-contact', 'head-visit', 'salon', 'gift', 'product-message'];

function item(kind: ObligationKind, seq: number, occasion: HolidayKey | null, label: string, due: CivilDay, doneOn: CivilDay | null, today: CivilDay): Obligation {
  return { kind, seq, occasion, label, due, doneOn, status: statusOf(due, doneOn, today) };
}

export function statusOf(due: CivilDay, doneOn: CivilDay | null, today: CivilDay): ObligationStatus {
  if (doneOn !== null) return doneOn <= due ? 'done' : 'done-late';
  if (due < today) return 'overdue';
  if (due === today) return 'today';
  if (due <= endOfWeek(today)) return 'this-week';
  return 'normal';
}

/** The same contact logged twice (same day, kind, occasion and channel) counts once. */
function distinctEntries(log: readonly ContactEntry[]): ContactEntry[] {
  const seen = new Set<string>();
  return log.filter((e) => {
    const key = `${e.date}|${e.kind}|${e.occasion ?? ''}|${e.channel}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The item to act on next: the earliest-due one not done. */
export function nextDue(obligations: readonly Obligation[]): Obligation | null {
  return obligations.find((o) => o.doneOn === null) ?? null;
}
