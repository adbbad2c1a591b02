import { formatCivilDay } from '../calendar/civil-date.js';
import { formatMonth } from '../month.js';
import type { Scheme } from '../scheme.schema.js';
import type { ContactDue } from './contact-due.js';
import { STATUS_ZH, type Obligation } from './obligations.js';
import { OBLIGATION_ZH } from './service-vocabulary.js';

/** `ladder contacts` output: the next item due and every open obligation, dates as YYYY-MM-DD. */
export function toContactsLine(scheme: Scheme, due: ContactDue, date: string) {
  const open = due.obligations.filter((o) => o.doneOn === null);
  const done = due.obligations.filter((o) => o.doneOn !== null);
  return {
    customerId: due.customerId,
    date,
    tier: scheme.tiers[due.assessment.tier]?.code ?? null,
    band: due.band?.code ?? null,
    bandName: due.band?.name.zh ?? null,
    bandSince: due.band ? formatMonth(due.bandSince) : null,
    next: due.next === null ? null : obligationOutput(due.next),
    open: open.map(obligationOutput),
    done: done.map(obligationOutput),
  };
}

export function obligationOutput(o: Obligation) {
  return {
    kind: o.kind,
    kindZh: OBLIGATION_ZH[o.kind],
    seq: o.seq,
    ...(o.occasion === null ? {} : { occasion: o.occasion }),
    label: o.label,
    due: formatCivilDay(o.due),
    doneOn: o.doneOn === null ? null : formatCivilDay(o.doneOn),
    status: o.status,
    statusZh: STATUS_ZH[o.status],
  };
}
