import { civilDay, firstDayOfMonth, formatCivilDay, ymdOf, type CivilDay } from '../../shared/calendar/civil-date.js';
import { holidaysOf } from '../../shared/calendar/holidays.js';
import { birthdayIn } from '../../shared/calendar/birthday.js';
import { formatYuan, type Fen } from '../../shared/money.js';
import type { Role } from '../../shared/service/service-vocabulary.js';
import type { SeededRandom } from './seeded-random.js';
import type { MonthFactsJson } from './customer-month-facts.js';

/**
 * What the demo bank knows of each customer beyond the monthly figures — birthday, owner,
 * archive fields, maturing products — and a contact log for the year so far, so that
 * `npm start` can show contacts due, tasks and coverage. Drawn from its own seeded stream,
 * so adding it left the monthly figures of the demo exactly as they were.
 */

export interface ProfileJson {
  name: string;
  birthday: string;
  managerId: string;
  managerRole: Role;
  archive: Record<string, string>;
  servicePlan?: Record<string, string>;
}

export interface MaturityJson {
  product: string;
  date: string;
  amount: string;
}

export interface ContactJson {
  customerId: string;
  date: string;
  channel: string;
  kind: string;
  occasion?: string;
  by: string;
  note: string;
}

export interface BranchOwners {
  /** owner of customers with ≥ 5m (D2: the sub-branch president) */
  president: string;
  /** owner of customers with 1m–5m (D2: the outlet head) */
  outletHead: string;
}

const MILLION_FEN = 100_000_000;

/** Who owns a customer: D2 gives the top bands to heads; a share is left with a plain manager so the owner check has something to find. */
export function drawOwner(random: SeededRandom, average: Fen, drawnManager: string, owners: BranchOwners): { managerId: string; managerRole: Role } {
  if (average >= 5 * MILLION_FEN && random.chance(0.8)) return { managerId: owners.president, managerRole: 'branch-president' };
  if (average >= MILLION_FEN && random.chance(0.7)) return { managerId: owners.outletHead, managerRole: 'outlet-head' };
  return { managerId: drawnManager, managerRole: random.chance(0.85) ? 'wealth-manager' : 'lobby-manager' };
}

export function drawProfile(random: SeededRandom, name: string, average: Fen, owner: { managerId: string; managerRole: Role }, today: CivilDay): ProfileJson {
  const { year } = ymdOf(today);
  const birthYear = year - random.int(24, 78);
  const birthMonth = random.int(1, 12);
  const birthDay = birthMonth === 2 && random.chance(0.05) ? 29 : random.int(1, 28);
  // Richer customers are more often fully archived, as D3's targets push branches to do.
  const diligence = average >= MILLION_FEN ? 0.93 : average >= 20_000_000 ? 0.88 : 0.7;
  const complete = random.chance(diligence);
  const archive: Record<string, string> = {};
  const maybe = (field: string, value: () => string) => {
    if (complete || random.chance(0.5)) archive[field] = value();
  };
  maybe('homeAddress', () => `${random.pick(['城东', '城西', '城南', '城北', '高新区', '滨江'])}区${random.int(1, 300)}号`);
  maybe('employer', () => random.pick(['市第一医院', '市实验中学', '某科技有限公司', '个体经营', '退休', '市供电公司']));
  maybe('mobile', () => `1${random.pick(['38', '39', '58', '86', '77'])}${String(random.int(0, 99_999_999)).padStart(8, '0')}`);
  maybe('homePhone', () => `0571-${String(random.int(0, 99_999_999)).padStart(8, '0')}`);
  maybe('riskProfile', () => random.pick(['C1', 'C2', 'C3', 'C3', 'C4', 'C5']));
  maybe('productPreference', () => random.pick(['稳健理财', '保险', '基金定投', '贵金属', '大额存单']));
  const profile: ProfileJson = { name, birthday: formatCivilDay(civilDay(birthYear, birthMonth, birthDay)), ...owner, archive };
  if (average >= MILLION_FEN && random.chance(diligence)) {
    profile.servicePlan = { riskTolerance: '中等', assetsAndLiabilities: '无负债', cashFlow: '稳定', fundFlows: '本行为主', productsUsed: '理财、保险' };
  }
  return profile;
}

/** Most customers from 200k hold the 理财金卡 (D3 asks for 80%); the core extract calls it LCCARD. */
export function withWealthCard(random: SeededRandom, months: { products: string[] }[], average: Fen): void {
  if (average < 20_000_000 || !random.chance(0.85)) return;
  const from = random.int(0, Math.max(0, months.length - 1));
  for (const month of months.slice(from)) if (!month.products.includes('LCCARD')) month.products.push('LCCARD');
}

/**
 * The running month so far (through the end of `day`): what the nightly extract holds on
 * the day `ladder status`, `contacts` and `lists` run. Balances stay near last month's.
 */
export function monthToDate(random: SeededRandom, month: string, day: number, average: Fen, last: Pick<MonthFactsJson, 'monthEndAssets' | 'loanBalance' | 'products'>): MonthFactsJson {
  const drift = 1 + (random.next() - 0.5) * 0.1;
  const daily = Math.floor(average * drift);
  return {
    month,
    assetDaySum: formatYuan(daily * day),
    monthEndAssets: formatYuan(daily),
    loanBalance: last.loanBalance,
    cardSpend: formatYuan(random.int(0, 300_000)),
    txnCount: random.int(0, 12),
    products: [...last.products],
  };
}

export function drawMaturities(random: SeededRandom, products: readonly string[], average: Fen, today: CivilDay): MaturityJson[] {
  const maturing = products.filter((p) => ['WMP', 'INS', 'BOND', 'FUND'].includes(p) && random.chance(0.25));
  return maturing.map((product) => ({
    product,
    date: formatCivilDay(today + random.int(1, 90)),
    amount: formatYuan(Math.max(1_000_000, Math.floor((average * random.int(10, 60)) / 100 / 100) * 100)),
  }));
}

/**
 * The year's contact log up to yesterday: monthly contacts (most done, some late, some
 * missed), greetings on holidays and birthdays, salons; the pattern of a branch that does
 * most of what D2 asks.
 */
export function drawContacts(random: SeededRandom, customerId: string, by: string, birthday: string, average: Fen, today: CivilDay): ContactJson[] {
  if (average < 20_000_000) return [];
  const log: ContactJson[] = [];
  const add = (day: CivilDay, channel: string, kind: string, note: string, occasion?: string) => {
    if (day < today) log.push({ customerId, date: formatCivilDay(day), channel, kind, ...(occasion ? { occasion } : {}), by, note });
  };
  const { year, month } = ymdOf(today);
  const thisMonth = year * 12 + month - 1;
  for (let m = year * 12; m <= thisMonth; m++) {
    const start = firstDayOfMonth(m);
    if (random.chance(0.85)) add(start + random.int(2, 13), random.pick(['phone', 'wechat', 'sms']), 'monthly-contact', '例行联系');
    if (random.chance(0.7)) add(start + random.int(14, 27), random.pick(['phone', 'visit', 'meeting']), 'monthly-contact', '产品推介');
    for (let k = 0; k < 4; k++) if (random.chance(0.8)) add(start + random.int(0, 27), 'sms', 'product-message', '新产品短信');
  }
  for (const holiday of holidaysOf(year)) if (random.chance(0.75)) add(holiday.date - random.int(0, 1), random.pick(['phone', 'sms']), 'holiday-greeting', '节日问候', holiday.key);
  const [, birthMonth, birthDay] = birthday.split('-').map(Number) as [number, number, number];
  if (random.chance(0.8)) add(birthdayIn(year, birthMonth, birthDay), random.pick(['phone', 'sms']), 'birthday-greeting', '生日祝福');
  if (random.chance(0.6)) add(civilDay(year, random.int(3, 6), random.int(1, 28)), 'salon', 'salon', '理财沙龙');
  if (random.chance(0.3)) add(civilDay(year, random.int(7, 11), random.int(1, 28)), 'salon', 'salon', '理财沙龙');
  return log.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
