import type { Firestore } from '@google-cloud/firestore';
import { formatCivilDay, ymdOf, type CivilDay } from '../../shared/calendar/civil-date.js';
import { formatMonth } from '../../shared/month.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { customerServiceView } from '../../shared/service/customer-service-view.js';
import type { ServiceStandards } from '../../shared/service/standards.schema.js';
import { CUSTOMER_TAB, LIST_TABS } from '../../shared/sheets/branch-layout.js';
import { BranchSheetCollector } from '../../shared/sheets/branch-sheet-content.js';
import { gridFromValues } from '../../shared/sheets/column-map.js';
import { allWrites, planCustomerSheet } from '../../shared/sheets/customer-sheet-plan.js';
import { listTabWrites } from '../../shared/sheets/list-tab-diff.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import type { CellWrite, SheetsGateway } from '../sheets/google-sheets-gateway.js';
import { COLLECTIONS } from '../store/collections.js';
import { streamCustomerFacts } from '../store/firestore-facts-reader.js';
import { appendTierEvents, readContacts, type TierEvent } from '../store/firestore-service-log.js';

/**
 * The nightly run of one branch (the body of the `nightlyBranch` function): read the branch's
 * customers and this year's contacts from Firestore, evaluate every customer, append the tier
 * changes to the audit trail (never twice), and bring the branch's Google Sheet up to date
 * with at most one read and one write of values: computed cells that changed in 客户名单, the
 * four list tabs made to show today's lists. Re-running the same day writes nothing new.
 */

export interface NightlyBranchDeps {
  db: Firestore;
  scheme: Scheme;
  standards: ServiceStandards;
  sheets: SheetsGateway;
  now: () => Date;
}

export interface NightlyBranchReport {
  branchId: string;
  businessDate: string;
  customers: number;
  /** customers whose facts could not be evaluated (e.g. an override naming an unknown tier), with why */
  skipped: { customerId: string; reason: string }[];
  tierEventsCreated: number;
  spreadsheetId: string | null;
  tabsAdded: string[];
  cellsWritten: number;
}

export async function runNightlyBranch(deps: NightlyBranchDeps, branchId: string, today: CivilDay): Promise<NightlyBranchReport> {
  const engine = createTierEngine(deps.scheme);
  const businessDate = formatCivilDay(today);
  const branch = await deps.db.collection(COLLECTIONS.branches).doc(branchId).get();
  const spreadsheetId = (branch.get('spreadsheetId') as string | null | undefined) ?? null;
  const contacts = await readContacts(deps.db, branchId, `${ymdOf(today).year}-01-01`);

  const sheet = new BranchSheetCollector(deps.scheme, deps.standards, businessDate);
  const events: TierEvent[] = [];
  const skipped: NightlyBranchReport['skipped'] = [];
  let customers = 0;
  for await (const facts of streamCustomerFacts(deps.db, { branchId })) {
    customers++;
    const problem = engine.problemWith(facts);
    if (problem) {
      skipped.push({ customerId: facts.customerId, reason: problem });
      continue;
    }
    const s = customerServiceView(engine, deps.standards, facts, contacts.get(facts.customerId) ?? [], today, null);
    sheet.add(facts, s);
    const event = tierEventOf(deps.scheme, branchId, s.view.assessment);
    if (event) events.push({ ...event, customerId: facts.customerId });
  }
  const tierEventsCreated = await appendTierEvents(deps.db, events, deps.now);

  let tabsAdded: string[] = [];
  let cellsWritten = 0;
  if (spreadsheetId !== null) {
    const tabs = [CUSTOMER_TAB, ...LIST_TABS.map((t) => t.name)];
    tabsAdded = await deps.sheets.ensureTabs(spreadsheetId, tabs);
    const grids = await deps.sheets.readTabs(spreadsheetId, tabs);
    const content = sheet.content();
    const plan = planCustomerSheet(gridFromValues(grids.get(CUSTOMER_TAB) ?? []), { computed: content.computed, initial: content.initial });
    const writes: CellWrite[] = allWrites(plan).map((w) => ({ tab: CUSTOMER_TAB, ...w }));
    for (const tab of LIST_TABS) {
      for (const w of listTabWrites(grids.get(tab.name) ?? [], tab.headers, content.lists[tab.name])) writes.push({ tab: tab.name, ...w });
    }
    cellsWritten = await deps.sheets.writeCells(spreadsheetId, writes);
  }
  return { branchId, businessDate, customers, skipped, tierEventsCreated, spreadsheetId, tabsAdded, cellsWritten };
}

/** A tier change decided at the customer's last assessment, as an audit event (customer filled in by the caller). */
function tierEventOf(scheme: Scheme, branchId: string, a: ReturnType<ReturnType<typeof createTierEngine>['assess']>): Omit<TierEvent, 'customerId'> | null {
  const last = a.tiers.length - 1;
  if (last < 0 || a.firstAssessment === null) return null;
  const decision = a.decisions[last];
  const before = last > 0 ? (a.tiers[last - 1] as number) : 0;
  if ((decision !== 'upgrade' && decision !== 'downgrade' && decision !== 'override') || before === a.tier) return null;
  return {
    branchId,
    from: scheme.tiers[before]?.code ?? String(before),
    to: scheme.tiers[a.tier]?.code ?? String(a.tier),
    effectiveMonth: formatMonth(a.firstAssessment + last * a.periodMonths + 1),
    reason: decision,
    schemeId: scheme.id,
    schemeVersion: scheme.version,
  };
}
