import type { Firestore } from '@google-cloud/firestore';
import { formatCivilDay, lastDayOfMonth } from '../../shared/calendar/civil-date.js';
import { formatMonth, parseMonth } from '../../shared/month.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import type { ServiceStandards } from '../../shared/service/standards.schema.js';
import { runNightlyLocally } from '../nightly/run-nightly-locally.js';
import type { SheetsGateway } from '../sheets/google-sheets-gateway.js';

/**
 * The demo bank has 18 months of history but no past nightly runs, so head office's 月度趋势
 * would show one month. This runs the nightly of each past month's last day (no branch sheet:
 * the demo branches have no Google spreadsheet), which stores that month's branch summaries and
 * bank totals exactly as nights in production would have.
 */
export async function backfillMonthEnds(deps: { db: Firestore; scheme: Scheme; standards: ServiceStandards; now: () => Date }, today: string, months: number): Promise<string[]> {
  const current = parseMonth(today.slice(0, 7));
  if (current === null) throw new Error(`not a date: ${today}`);
  const dates: string[] = [];
  for (let m = current - months; m < current; m++) {
    const date = formatCivilDay(lastDayOfMonth(m));
    await runNightlyLocally({ ...deps, sheets: NO_SHEETS, headOffice: null }, date, { resume: false, concurrency: 4, clock: () => deps.now().getTime() });
    dates.push(formatMonth(m));
  }
  return dates;
}

/** Past nights write no sheet; a call here would be a defect. */
const NO_SHEETS: SheetsGateway = {
  read: () => Promise.reject(new Error('the month-end backfill writes no sheet')),
  updateStructure: () => Promise.reject(new Error('the month-end backfill writes no sheet')),
  writeCells: () => Promise.reject(new Error('the month-end backfill writes no sheet')),
};
