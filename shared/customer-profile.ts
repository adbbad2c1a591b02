import type { CivilDay } from './calendar/civil-date.js';
import type { Fen } from './money.js';
import type { Role } from './service/service-vocabulary.js';

/**
 * What a branch knows of a customer beyond the monthly figures: the archive (建档, domain
 * D3), the owner (D2, D5) and product maturities (D4, D5). Every field is optional: an
 * incomplete archive is something to report, not a reason to refuse the customer.
 */
export const ARCHIVE_FIELDS = ['homeAddress', 'employer', 'mobile', 'homePhone', 'riskProfile', 'productPreference'] as const;
export type ArchiveField = (typeof ARCHIVE_FIELDS)[number];
export const ARCHIVE_FIELD_ZH: Readonly<Record<ArchiveField, string>> = {
  homeAddress: '家庭住址',
  employer: '工作单位',
  mobile: '手机号码',
  homePhone: '家庭电话',
  riskProfile: '风险特征',
  productPreference: '产品偏好',
};

/** The service plan kept for customers with ≥ 1m (D3). */
export const SERVICE_PLAN_FIELDS = ['riskTolerance', 'assetsAndLiabilities', 'cashFlow', 'fundFlows', 'productsUsed'] as const;
export type ServicePlanField = (typeof SERVICE_PLAN_FIELDS)[number];
export const SERVICE_PLAN_FIELD_ZH: Readonly<Record<ServicePlanField, string>> = {
  riskTolerance: '风险承受能力',
  assetsAndLiabilities: '资产负债',
  cashFlow: '现金流',
  fundFlows: '资金流向',
  productsUsed: '使用产品',
};

export interface CustomerProfile {
  name?: string;
  /** year, month, day of birth */
  birthday?: { year: number; month: number; day: number };
  managerId?: string;
  managerRole?: Role;
  archive: Partial<Record<ArchiveField, string>>;
  servicePlan: Partial<Record<ServicePlanField, string>>;
}

export interface Maturity {
  product: string;
  date: CivilDay;
  amount: Fen | null;
}
