import { civilDay, formatCivilDay } from './calendar/civil-date.js';
import type { CustomerFacts } from './customer-facts.js';
import { formatYuan } from './money.js';
import { formatMonth } from './month.js';

/** A customer back as a facts line (yuan strings, YYYY-MM months): parseFactsLine(toFactsLine(f)) gives f again. */
export function toFactsLine(facts: CustomerFacts) {
  const profile = facts.profile;
  return {
    customerId: facts.customerId,
    ...(facts.branchId === undefined ? {} : { branchId: facts.branchId }),
    months: facts.months.map((m) => ({
      month: formatMonth(m.month),
      assetDaySum: formatYuan(m.assetDaySum),
      monthEndAssets: formatYuan(m.monthEndAssets),
      loanBalance: formatYuan(m.loanBalance),
      cardSpend: formatYuan(m.cardSpend),
      txnCount: m.txnCount,
      products: [...m.products],
    })),
    ...(facts.override ? { override: { ...facts.override, from: formatMonth(facts.override.from), until: formatMonth(facts.override.until) } } : {}),
    ...(profile
      ? {
          profile: {
            ...(profile.name ? { name: profile.name } : {}),
            ...(profile.birthday ? { birthday: formatCivilDay(civilDay(profile.birthday.year, profile.birthday.month, profile.birthday.day)) } : {}),
            ...(profile.managerId ? { managerId: profile.managerId } : {}),
            ...(profile.managerRole ? { managerRole: profile.managerRole } : {}),
            archive: { ...profile.archive },
            servicePlan: { ...profile.servicePlan },
          },
        }
      : {}),
    ...(facts.maturities ? { maturities: facts.maturities.map((m) => ({ product: m.product, date: formatCivilDay(m.date), ...(m.amount === null ? {} : { amount: formatYuan(m.amount) }) })) } : {}),
  };
}
