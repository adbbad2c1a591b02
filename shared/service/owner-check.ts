import type { CustomerFacts } from '../customer-facts.js';
import { ROLE_ZH, type Role } from './service-vocabulary.js';
import type { ServiceBand } from './standards.schema.js';

/**
 * Owner check (docs/domain.md D2, D5): every customer in a band has exactly one owning manager,
 * whose role is one the band names. A missing owner is a mismatch too.
 */
export interface OwnerMismatch {
  customerId: string;
  branchId: string | null;
  managerId: string | null;
  managerRole: Role | null;
  band: string;
  expectedRoles: Role[];
  reason: string;
}

export function ownerMismatch(facts: CustomerFacts, band: ServiceBand | null): OwnerMismatch | null {
  if (band === null) return null;
  const managerId = facts.profile?.managerId ?? null;
  const role = facts.profile?.managerRole ?? null;
  if (managerId !== null && role !== null && band.ownerRoles.includes(role)) return null;
  const expected = band.ownerRoles.map((r) => ROLE_ZH[r]).join('、');
  const reason =
    managerId === null
      ? `${band.name.zh}未指定管户经理，应由${expected}管户`
      : role === null
        ? `管户经理${managerId}的岗位未登记，${band.name.zh}应由${expected}管户`
        : `管户经理${managerId}为${ROLE_ZH[role]}，${band.name.zh}应由${expected}管户`;
  return { customerId: facts.customerId, branchId: facts.branchId ?? null, managerId, managerRole: role, band: band.code, expectedRoles: band.ownerRoles, reason };
}
