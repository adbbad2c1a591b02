import { toAssessLine, toStatusLine } from '../../shared/assessment-output.js';
import { parseBusinessDate } from '../../shared/business-date.js';
import { dailyView } from '../../shared/daily-view.js';
import { parseFactsLine } from '../../shared/facts.schema.js';
import { formatMonth } from '../../shared/month.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import type { FactsLine } from '../../shared/facts.schema.js';
import type { TierEngine } from '../../shared/tier-engine.js';
import type { LineOutcome } from './jsonl-run.js';

/** Parses a facts line and checks it against the engine's scheme: the line, or the rejection saying why not. */
export function usableFactsLine(engine: TierEngine, value: unknown): FactsLine | Extract<LineOutcome, { ok: false }> {
  const parsed = parseFactsLine(value);
  if (!parsed.ok) return { ok: false, customerId: parsed.customerId, errors: parsed.errors };
  const problem = engine.problemWith(parsed.line.facts);
  if (problem) return { ok: false, customerId: parsed.line.facts.customerId, errors: [{ path: '', message: problem }] };
  return parsed.line;
}

/** `ladder assess`: one line of facts → the customer's tier, history, watch and gap. */
export function assessLineProcessor(scheme: Scheme): (value: unknown) => LineOutcome {
  const engine = createTierEngine(scheme);
  return (value) => {
    const line = usableFactsLine(engine, value);
    if ('ok' in line) return line;
    const facts = line.facts;
    return { ok: true, output: toAssessLine(engine.compiled, engine.assess(facts), facts.branchId) };
  };
}

/** `ladder status`: the daily view on a date; the facts' last month is month-to-date. */
export function statusLineProcessor(scheme: Scheme, dateText: string): (value: unknown) => LineOutcome {
  const date = parseBusinessDate(dateText);
  if (date === null) throw new Error(`--date must be a date as YYYY-MM-DD, got "${dateText}"`);
  const engine = createTierEngine(scheme);
  return (value) => {
    const line = usableFactsLine(engine, value);
    if ('ok' in line) return line;
    const { facts, balanceToday } = line;
    const future = facts.months.find((m) => m.month > date.month);
    if (future) {
      return {
        ok: false,
        customerId: facts.customerId,
        errors: [{ path: 'months', message: `has ${formatMonth(future.month)}, after the date ${dateText}: facts must run up to the date's month` }],
      };
    }
    const current = facts.months.find((m) => m.month === date.month);
    const balance = balanceToday ?? current?.monthEndAssets ?? 0;
    return { ok: true, output: toStatusLine(engine.compiled, dailyView(engine, facts, date, balance), dateText, facts.branchId) };
  };
}
