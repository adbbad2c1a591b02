import type { CustomerFacts, MonthFacts, TierOverride } from './customer-facts.js';
import type { MonthIndex } from './month.js';
import type { Scheme } from './scheme.schema.js';
import { DECISIONS, type TierAssessment } from './tier-engine.js';

/**
 * What the tier engine needs to go on from where it stopped, so that a night reads a
 * customer's state and the open month instead of every month since the customer's first
 * (docs/tier-rules.md, "Resuming from a saved state").
 *
 * The state holds the whole assessment history (one small number per assessment: the
 * history is what retention, watch and the audit read, and a resumed assessment must be the
 * same as a full replay) and the months from eleven before the last assessment through
 * `through`: enough for every window the engine and the service view look at (the quarter,
 * the assessment period, the twelve months of card spend and transactions, a band's months
 * since January). Everything else is recomputed from those months.
 */
export interface EngineState {
  /** the scheme it was made under: `id@version`; another scheme or version replays the customer */
  scheme: string;
  /** the override in force when it was made (tier|from|until), or null; a changed override replays */
  override: string | null;
  /** the last month folded in: a resume reads only the months after it */
  through: MonthIndex;
  firstAssessment: MonthIndex;
  /** level(A), the tier decided and the decision code (index in DECISIONS), one per assessment */
  levels: readonly number[];
  tiers: readonly number[];
  decisions: readonly number[];
  /** the customer's months from (last assessment − 11) through `through` that have facts, by month */
  tail: readonly MonthFacts[];
}

/** The months before the last assessment a state keeps: the twelve-month windows end there. */
export const TAIL_BEFORE_ASSESSMENT = 11;

export function schemeKey(scheme: Pick<Scheme, 'id' | 'version'>): string {
  return `${scheme.id}@${scheme.version}`;
}

export function overrideKey(override: TierOverride | undefined): string | null {
  return override ? `${override.tier}|${override.from}|${override.until}` : null;
}

/** The month of a state's last assessment. */
export function lastAssessmentOf(state: Pick<EngineState, 'firstAssessment' | 'levels'>, periodMonths: number): MonthIndex {
  return state.firstAssessment + (state.levels.length - 1) * periodMonths;
}

/**
 * The state after `assessment`, which must be the customer's assessment through `through`
 * (engine.assess(facts, through)). Null when no assessment has closed yet: such a customer
 * has at most a period of months, and is read whole.
 */
export function engineStateOf(scheme: Scheme, facts: CustomerFacts, assessment: TierAssessment, through: MonthIndex): EngineState | null {
  if (assessment.firstAssessment === null || assessment.tiers.length === 0) return null;
  const last = assessment.firstAssessment + (assessment.tiers.length - 1) * assessment.periodMonths;
  if (last > through) throw new Error(`the assessment of ${facts.customerId} goes past ${through}: it is not the one through that month`);
  const from = last - TAIL_BEFORE_ASSESSMENT;
  return {
    scheme: schemeKey(scheme),
    override: overrideKey(facts.override),
    through,
    firstAssessment: assessment.firstAssessment,
    levels: Array.from(assessment.levels),
    tiers: Array.from(assessment.tiers),
    decisions: assessment.decisions.map((d) => DECISIONS.indexOf(d)),
    tail: facts.months.filter((m) => m.month >= from && m.month <= through).map((m) => ({ ...m, products: [...m.products] })),
  };
}

/** Why this state cannot be resumed for the customer under the scheme, or null when it can. */
export function whyNotResumable(state: EngineState, scheme: Scheme, override: TierOverride | undefined): string | null {
  if (state.scheme !== schemeKey(scheme)) return `scheme changed (state made under ${state.scheme}, now ${schemeKey(scheme)})`;
  if (state.override !== overrideKey(override)) return 'override changed';
  return null;
}

/** The customer's facts to resume from a state: the state's months, then the months read after it. */
export function resumedFacts(state: EngineState, customer: Omit<CustomerFacts, 'months' | 'resumeFrom'>, monthsAfter: readonly MonthFacts[]): CustomerFacts {
  const months = [...state.tail];
  for (const m of monthsAfter) if (m.month > state.through) months.push(m);
  months.sort((a, b) => a.month - b.month);
  return { ...customer, months, resumeFrom: state };
}
