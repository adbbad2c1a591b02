import { parseBusinessDate } from '../../shared/business-date.js';
import { formatMonth, type MonthIndex } from '../../shared/month.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { drawAssetTrajectory, type Story } from './asset-trajectory.js';
import { BRANCH_NAMES, drawPersonName } from './chinese-names.js';
import { monthFactsOf, type MonthFactsJson } from './customer-month-facts.js';
import { demoThresholdsOf } from './scheme-thresholds.js';
import { createSeededRandom } from './seeded-random.js';

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
}

export interface DemoBank {
  today: string;
  firstMonth: string;
  lastMonth: string;
  branches: DemoBranch[];
  customers: DemoCustomer[];
  factsLines: FactsLineJson[];
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

  const branches: DemoBranch[] = [];
  const customers: DemoCustomer[] = [];
  const factsLines: FactsLineJson[] = [];
  for (let b = 0; b < branchCount; b++) {
    const branchId = `B${pad(b + 1, 2)}`;
    const managers = Array.from({ length: random.int(3, 5) }, (_, k) => ({ managerId: `${branchId}-RM${k + 1}`, name: drawPersonName(random) }));
    branches.push({ branchId, name: BRANCH_NAMES[b] as string, managers });
    const spread = Math.floor(customersPerBranch / 10);
    const count = customersPerBranch + random.int(-spread, spread);
    for (let c = 0; c < count; c++) {
      const customerId = `${branchId}-${pad(c + 1, 5)}`;
      const trajectory = drawAssetTrajectory(random, historyMonths, thresholds.mdaByTier);
      customers.push({ customerId, branchId, managerId: random.pick(managers).managerId, name: drawPersonName(random), story: trajectory.story });
      factsLines.push({ customerId, branchId, months: monthFactsOf(random, trajectory, history, thresholds) });
    }
  }
  return { today, firstMonth: formatMonth(history[0] as MonthIndex), lastMonth: formatMonth(lastMonth), branches, customers, factsLines };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
