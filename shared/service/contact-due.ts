import { monthOfDay, type CivilDay } from '../calendar/civil-date.js';
import type { CustomerFacts } from '../customer-facts.js';
import type { TierAssessment, TierEngine } from '../tier-engine.js';
import type { ContactEntry } from './contact-log.schema.js';
import { nextDue, obligationsOn, type Obligation } from './obligations.js';
import { serviceBandIn } from './service-band.js';
import type { ServiceBand, ServiceStandards } from './standards.schema.js';

/** One customer's service position on a date: tier, band, every obligation of the period, and the next one due. */
export interface ContactDue {
  customerId: string;
  /** the tier effective this month (decided at the last assessment before it) */
  assessment: TierAssessment;
  band: ServiceBand | null;
  bandSince: number;
  obligations: Obligation[];
  next: Obligation | null;
}

export function contactDue(engine: TierEngine, standards: ServiceStandards, facts: CustomerFacts, log: readonly ContactEntry[], today: CivilDay): ContactDue {
  const month = monthOfDay(today);
  const assessment = engine.assess(facts, month - 1);
  const { band, since } = serviceBandIn(standards, engine.compiled.scheme, facts, assessment, month);
  const obligations = band ? obligationsOn(band, since, facts.profile, log, today, standards.occasionWindows) : [];
  return { customerId: facts.customerId, assessment, band, bandSince: since, obligations, next: nextDue(obligations) };
}
