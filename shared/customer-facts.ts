import type { Fen } from './money.js';
import type { MonthIndex } from './month.js';
import type { CustomerProfile, Maturity } from './customer-profile.js';
import type { EngineState } from './engine-state.js';

/** One customer's figures for one calendar month (tier-rules.md, "Monthly facts"), in fen. */
export interface MonthFacts {
  month: MonthIndex;
  assetDaySum: Fen;
  monthEndAssets: Fen;
  loanBalance: Fen;
  cardSpend: Fen;
  txnCount: number;
  /** distinct product-category codes held at month end */
  products: readonly string[];
}

/** A manual tier set by a person, for the periods overlapping from … until (months, inclusive). */
export interface TierOverride {
  tier: string;
  from: MonthIndex;
  until: MonthIndex;
  reason: string;
  by?: string;
}

export interface CustomerFacts {
  customerId: string;
  branchId?: string;
  /** sorted by month, one entry per month; months missing in between count as all zero */
  months: readonly MonthFacts[];
  override?: TierOverride;
  /** archive, owner, birthday: optional, needed only for service work (contacts, lists) */
  profile?: CustomerProfile;
  /** products maturing, for tasks and promotion ranking */
  maturities?: readonly Maturity[];
  /**
   * The engine's state after an earlier night: when present, `months` holds the state's months
   * and the ones read after it, not the whole history, and the engine resumes from it.
   */
  resumeFrom?: EngineState;
}
