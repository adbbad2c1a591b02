import { ARCHIVE_FIELDS, ARCHIVE_FIELD_ZH, SERVICE_PLAN_FIELDS, SERVICE_PLAN_FIELD_ZH } from '../customer-profile.js';
import type { CustomerFacts } from '../customer-facts.js';
import type { Fen } from '../money.js';
import type { ServiceStandards } from './standards.schema.js';

/**
 * Archive completeness and product coverage (docs/domain.md D3): per customer, and per branch
 * against the standard's targets. "Assets" is the monthly daily average of the last
 * complete month, as for service bands.
 */

export interface CustomerCoverage {
  customerId: string;
  branchId: string | null;
  assets: Fen;
  /** archive fields required for this customer (the six basic ones, plus the service plan from the threshold) */
  required: number;
  filled: number;
  /** whole percent, rounded down */
  completeness: number;
  missing: string[];
  archived: boolean;
  productKinds: number;
  /** null when the customer is below the threshold the rule applies from */
  meetsKinds: boolean | null;
  heldRequired: string[];
  missingRequired: string[] | null;
}

export function customerCoverage(standards: ServiceStandards, facts: CustomerFacts, assets: Fen, products: readonly string[]): CustomerCoverage {
  const archive = facts.profile?.archive ?? {};
  const plan = facts.profile?.servicePlan ?? {};
  const missing = ARCHIVE_FIELDS.filter((f) => !archive[f]).map((f) => ARCHIVE_FIELD_ZH[f]);
  let required: number = ARCHIVE_FIELDS.length;
  if (assets >= standards.archive.servicePlanFrom) {
    required += SERVICE_PLAN_FIELDS.length;
    missing.push(...SERVICE_PLAN_FIELDS.filter((f) => !plan[f]).map((f) => `服务方案·${SERVICE_PLAN_FIELD_ZH[f]}`));
  }
  const filled = required - missing.length;
  const coverage = standards.productCoverage;
  const held = new Set(products);
  return {
    customerId: facts.customerId,
    branchId: facts.branchId ?? null,
    assets,
    required,
    filled,
    completeness: Math.floor((filled * 100) / required),
    missing,
    archived: missing.length === 0,
    productKinds: held.size,
    meetsKinds: assets >= coverage.kindsFrom ? held.size >= coverage.minKinds : null,
    heldRequired: coverage.required.filter((p) => held.has(p.code)).map((p) => p.zh),
    missingRequired: assets >= coverage.requiredFrom ? coverage.required.filter((p) => !held.has(p.code)).map((p) => p.zh) : null,
  };
}

export interface CoverageFigure {
  rule: string;
  customers: number;
  meeting: number;
  /** whole percent rounded down; null when no customer falls under the rule */
  percent: number | null;
  target: number;
  met: boolean;
}

export interface BranchCoverage {
  branchId: string;
  figures: CoverageFigure[];
}

/** Adds customers one at a time so a branch's figures need no list of its customers. */
export class BranchCoverageTally {
  private readonly counts = new Map<string, Map<string, { customers: number; meeting: number; target: number }>>();

  constructor(private readonly standards: ServiceStandards) {}

  add(c: CustomerCoverage): void {
    const branch = c.branchId ?? '(none)';
    const rules = this.counts.get(branch) ?? new Map();
    this.counts.set(branch, rules);
    const count = (rule: string, target: number, meeting: boolean) => {
      const entry = rules.get(rule) ?? { customers: 0, meeting: 0, target };
      entry.customers++;
      if (meeting) entry.meeting++;
      rules.set(rule, entry);
    };
    for (const t of this.standards.archive.targets) {
      if (c.assets >= t.assetsFrom) count(`建档覆盖率·资产${yuanWan(t.assetsFrom)}以上`, t.percent, c.archived);
    }
    const coverage = this.standards.productCoverage;
    if (c.meetsKinds !== null) count(`产品覆盖·资产${yuanWan(coverage.kindsFrom)}以上持有${coverage.minKinds}种以上`, 100, c.meetsKinds);
    if (c.missingRequired !== null) {
      for (const p of coverage.required) count(`产品覆盖·资产${yuanWan(coverage.requiredFrom)}以上持有${p.zh}`, coverage.requiredPercent, !c.missingRequired.includes(p.zh));
    }
  }

  result(): BranchCoverage[] {
    return [...this.counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([branchId, rules]) => ({
        branchId,
        figures: [...rules.entries()].map(([rule, e]) => {
          const percent = e.customers === 0 ? null : Math.floor((e.meeting * 100) / e.customers);
          // met compares exactly: meeting / customers ≥ target / 100
          return { rule, customers: e.customers, meeting: e.meeting, percent, target: e.target, met: e.meeting * 100 >= e.target * e.customers };
        }),
      }));
  }
}

/** 50000000 fen → "5万"; thresholds in D3 are round numbers of 万 yuan. */
function yuanWan(fen: Fen): string {
  const yuan = fen / 100;
  return yuan % 10_000 === 0 ? `${yuan / 10_000}万` : `${yuan}元`;
}
