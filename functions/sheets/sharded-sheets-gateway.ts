import type { Firestore } from '@google-cloud/firestore';
import type { sheets_v4 } from 'googleapis';
import type { SheetsQuotaConfig } from '../config.js';
import { firestoreQuotaBudget } from '../store/firestore-sheets-quota.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { googleSheetsGateway, type SheetsGateway } from './google-sheets-gateway.js';
import { createQuotaPacer, DEFAULT_QUOTA, REAL_PACING_CLOCK, type PacingClock, type QuotaBudget, type RequestPacer } from './request-pacer.js';

/**
 * Branches sharded over several service accounts, each with its own quota budget (60 reads and
 * 60 writes a minute per account): a branch's spreadsheet always goes through the same account,
 * chosen by a hash of its spreadsheet id (one spreadsheet per branch, so one account per branch,
 * stable from night to night while the list of accounts stays the same). Share every branch
 * spreadsheet with every listed account (e.g. through one Google group) and the list can grow
 * without re-sharing.
 */

/** FNV-1a (32 bits) of `key`, modulo `count`: stable across processes and releases. */
export function accountIndexFor(key: string, count: number): number {
  let hash = 0x811c9dc5;
  for (const unit of Buffer.from(key, 'utf8')) hash = Math.imul(hash ^ unit, 0x01000193) >>> 0;
  return hash % count;
}

export interface AccountShard {
  account: string;
  sheets: sheets_v4.Sheets;
  pacer: RequestPacer;
}

export function shardedSheetsGateway(shards: readonly AccountShard[], policy: BackoffPolicy = DEFAULT_BACKOFF): SheetsGateway {
  if (shards.length === 0) throw new Error('a sharded gateway needs at least one account');
  const gateways = shards.map((s) => googleSheetsGateway(s.sheets, policy, s.pacer));
  const pick = (spreadsheetId: string) => gateways[accountIndexFor(spreadsheetId, gateways.length)] as SheetsGateway;
  return {
    read: (spreadsheetId) => pick(spreadsheetId).read(spreadsheetId),
    updateStructure: (spreadsheetId, changes) => pick(spreadsheetId).updateStructure(spreadsheetId, changes),
    writeCells: (spreadsheetId, writes) => pick(spreadsheetId).writeCells(spreadsheetId, writes),
  };
}

export interface PacedAccounts {
  shards: AccountShard[];
  /** every account's requests and waits together */
  stats(): { acquired: number; waitedMs: number };
}

/**
 * The production wiring: one client and one pacer per configured account, every pacer drawing
 * from `budget` (the Firestore-held one, shared by every instance, unless a test gives another),
 * on `clock` (the process's own unless a test or a simulation gives another).
 */
export async function pacedAccounts(
  db: Firestore,
  config: SheetsQuotaConfig,
  clientFor: (account: SheetsQuotaConfig['accounts'][number]) => Promise<sheets_v4.Sheets>,
  clock: PacingClock = REAL_PACING_CLOCK,
  budget: QuotaBudget = firestoreQuotaBudget(db),
): Promise<PacedAccounts> {
  const settings = { ...DEFAULT_QUOTA, perAccountPerMinute: config.perAccountPerMinute, perProjectPerMinute: config.perProjectPerMinute };
  const shards = await Promise.all(
    config.accounts.map(async (a) => ({ account: a.account, sheets: await clientFor(a), pacer: createQuotaPacer({ budget, account: a.account, project: a.project, settings, now: clock.now, sleep: clock.sleep, ...(clock.random ? { random: clock.random } : {}) }) })),
  );
  return {
    shards,
    stats: () => shards.reduce((t, s) => ({ acquired: t.acquired + s.pacer.stats().acquired, waitedMs: t.waitedMs + s.pacer.stats().waitedMs }), { acquired: 0, waitedMs: 0 }),
  };
}

/** The shard a spreadsheet goes through (the head-office spreadsheet too). */
export function shardFor(paced: PacedAccounts, spreadsheetId: string): AccountShard {
  return paced.shards[accountIndexFor(spreadsheetId, paced.shards.length)] as AccountShard;
}

/** A gateway built on its first use (the accounts' clients are built asynchronously, once). */
export function lazyGateway(build: () => Promise<SheetsGateway>): SheetsGateway {
  let built: Promise<SheetsGateway> | null = null;
  const gateway = () => (built ??= build());
  return {
    read: async (spreadsheetId) => (await gateway()).read(spreadsheetId),
    updateStructure: async (spreadsheetId, changes) => (await gateway()).updateStructure(spreadsheetId, changes),
    writeCells: async (spreadsheetId, writes) => (await gateway()).writeCells(spreadsheetId, writes),
  };
}
