import { parseCivilDay } from '../../shared/calendar/civil-date.js';
import { formatCivilDay } from '../../shared/calendar/civil-date.js';
import { holidaysOf } from '../../shared/calendar/holidays.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { contactDue } from '../../shared/service/contact-due.js';
import { toContactsLine } from '../../shared/service/contact-due-output.js';
import type { ContactEntry } from '../../shared/service/contact-log.schema.js';
import type { ServiceStandards } from '../../shared/service/standards.schema.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { usableFactsLine } from './fact-commands.js';
import type { LineOutcome } from './jsonl-run.js';

/** Contact log entries grouped by customer, so each facts line finds its own in one lookup. */
export function groupByCustomer(entries: readonly ContactEntry[]): Map<string, ContactEntry[]> {
  const byCustomer = new Map<string, ContactEntry[]>();
  for (const e of entries) {
    const list = byCustomer.get(e.customerId);
    if (list) list.push(e);
    else byCustomer.set(e.customerId, [e]);
  }
  return byCustomer;
}

/** `ladder contacts`: each customer's obligations on a date, the next one due first. */
export function contactsLineProcessor(scheme: Scheme, standards: ServiceStandards, log: ReadonlyMap<string, ContactEntry[]>, dateText: string): (value: unknown) => LineOutcome {
  const today = parseCivilDay(dateText);
  if (today === null) throw new Error(`--date must be a date as YYYY-MM-DD, got "${dateText}"`);
  const engine = createTierEngine(scheme);
  return (value) => {
    const line = usableFactsLine(engine, value);
    if ('ok' in line) return line;
    const facts = line.facts;
    const due = contactDue(engine, standards, facts, log.get(facts.customerId) ?? [], today);
    return { ok: true, output: toContactsLine(scheme, due, dateText) };
  };
}

/** `ladder holidays --year Y`: the greeting holidays of a year. */
export function holidaysOutput(yearText: string): { name: string; key: string; date: string }[] {
  const year = Number(yearText);
  if (!/^\d{4}$/.test(yearText) || year < 1900 || year > 2100) throw new Error(`--year must be a year between 1900 and 2100, got "${yearText}"`);
  return holidaysOf(year).map((h) => ({ name: h.zh, key: h.key, date: formatCivilDay(h.date) }));
}
