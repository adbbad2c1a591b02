import { parseBusinessDate } from '../../shared/business-date.js';
import { formatMonth, type MonthIndex } from '../../shared/month.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { drawAssetTrajectory, type Story } from './asset-trajectory.js';
import { BRANCH_NAMES, drawPersonName } from './chinese-names.js';
import { monthFactsOf, type MonthFactsJson } from './customer-month-facts.js';
import { demoThresholdsOf } from './scheme-thresholds.js';
import { createSeededRandom } from './seeded-random.js';
import { drawContacts, drawMaturities, drawOwner, drawProfile, monthToDate, withWealthCard, type ContactJson, type MaturityJson, type ProfileJson } from './demo-service.js';
import { civilDay } from '../../shared/calendar/civil-date.js';

/**
 * A made-up bank for `npm start`: branches, their relationship managers and customers,
 * with monthly facts ending the month before `today`. The same seed and today give the
 * same bank, byte for byte; the clock is read by the caller, never here.
 */

export interface DemoBankOptions {
  seed: number;
  /** the business date (Asia/Shanghai) as YYYY-MM-DD; the history ends the month before */
  today: string;
  /** the scheme whose thresholds the customers are spread around */
  scheme: Scheme;
  branchCount?: number;
  customersPerBranch?: number;
  historyMonths?: number;
}

export interface DemoManager {
  managerId: string;
  name: string;
  role: 'wealth-manager' | 'outlet-head' | 'branch-president';
}

export interface DemoBranch {
  branchId: string;
  name: string;
  managers: DemoManager[];
}

/** Who a customer is, for the report; the facts line carries only what the engine reads. */
export interface DemoCustomer {
  customerId: string;
  branchId: string;
  managerId: string;
  name: string;
  story: Story;
}

/** One customer as a line of the facts file: exactly what `ladder assess` reads. */
export interface FactsLineJson {
  customerId: string;
  branchId: string;
  months: MonthFactsJson[];
  profile?: ProfileJson;
  maturities?: MaturityJson[];
}

export interface DemoBank {
  today: string;
  firstMonth: string;
  lastMonth: string;
  branches: DemoBranch[];
  customers: DemoCustomer[];
  factsLines: FactsLineJson[];
  /** the same customers with the running month so far appended (month-to-date), for the daily views */
  factsLinesToDate: FactsLineJson[];
  /** the contact log of the year so far, as `ladder contacts` reads it */
  contactLines: ContactJson[];
}

export function generateDemoBank(options: DemoBankOptions): DemoBank {
  const { seed, today, scheme, branchCount = 6, customersPerBranch = 300, historyMonths = 18 } = options;
  const date = parseBusinessDate(today);
  if (date === null) throw new Error(`today must be a date as YYYY-MM-DD, got "${today}"`);
  if (branchCount < 1 || branchCount > BRANCH_NAMES.length) throw new Error(`branchCount must be 1 … ${BRANCH_NAMES.length}`);
  if (historyMonths < 6) throw new Error('historyMonths must be at least 6 so that newcomers and decliners fit');
  const lastMonth = date.month - 1;
  const history: MonthIndex[] = Array.from({ length: historyMonths }, (_, k) => lastMonth - historyMonths + 1 + k);
  const thresholds = demoThresholdsOf(scheme);
  const random = createSeededRandom(seed);
  // Profiles and contacts draw from a stream of their own, so the monthly figures stay as they were before profiles existed.
  const serviceRandom = createSeededRandom(seed ^ 0x5eed);
  const todayDay = civilDay(Math.floor(date.month / 12), (date.month % 12) + 1, date.day);
  const contactLines: ContactJson[] = [];

  const branches: DemoBranch[] = [];
  const customers: DemoCustomer[] = [];
  const factsLines: FactsLineJson[] = [];
  const factsLinesToDate: FactsLineJson[] = [];
  for (let b = 0; b < branchCount; b++) {
    const branchId = `B${pad(b + 1, 2)}`;
    const managers: DemoManager[] = Array.from({ length: random.int(3, 5) }, (_, k) => ({ managerId: `${branchId}-RM${k + 1}`, name: drawPersonName(random), role: 'wealth-manager' }));
    const owners = { president: `${branchId}-P`, outletHead: `${branchId}-H` };
    const heads: DemoManager[] = [
      { managerId: owners.president, name: drawPersonName(serviceRandom), role: 'branch-president' },
      { managerId: owners.outletHead, name: drawPersonName(serviceRandom), role: 'outlet-head' },
    ];
    branches.push({ branchId, name: BRANCH_NAMES[b] as string, managers: [...managers, ...heads] });
    const spread = Math.floor(customersPerBranch / 10);
    const count = customersPerBranch + random.int(-spread, spread);
    for (let c = 0; c < count; c++) {
      const customerId = `${branchId}-${pad(c + 1, 5)}`;
      const trajectory = drawAssetTrajectory(random, historyMonths, thresholds.mdaByTier);
      const drawnManager = random.pick(managers).managerId;
      const name = drawPersonName(random);
      const months = monthFactsOf(random, trajectory, history, thresholds);
      const average = trajectory.averages[trajectory.averages.length - 1] ?? 0;
      withWealthCard(serviceRandom, months, average);
      const owner = drawOwner(serviceRandom, average, drawnManager, owners);
      const profile = drawProfile(serviceRandom, name, average, owner, todayDay);
      const maturities = drawMaturities(serviceRandom, months[months.length - 1]?.products ?? [], average, todayDay);
      customers.push({ customerId, branchId, managerId: owner.managerId, name, story: trajectory.story });
      factsLines.push({ customerId, branchId, months, profile, ...(maturities.length > 0 ? { maturities } : {}) });
      const lastFacts = months[months.length - 1];
      const running = lastFacts ? [monthToDate(serviceRandom, formatMonth(date.month), date.day, average, lastFacts)] : [];
      factsLinesToDate.push({ ...factsLines[factsLines.length - 1]!, months: [...months, ...running] });
      contactLines.push(...drawContacts(serviceRandom, customerId, owner.managerId, profile.birthday, average, todayDay));
    }
  }
  return { today, firstMonth: formatMonth(history[0] as MonthIndex), lastMonth: formatMonth(lastMonth), branches, customers, factsLines, factsLinesToDate, contactLines };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
