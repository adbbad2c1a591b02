import type { Firestore } from '@google-cloud/firestore';
import { signRequest, SIGNATURE_HEADER } from '../../functions/http/request-signature.js';

/**
 * Concurrent sheet edits against a served `sheetEdit` function, and the check that nothing was
 * lost or doubled: shared by the load test (test/reliability/sheet-edit-load.test.ts) and the
 * bench's load phase (test/bench/sheet-edit-load-bench.ts).
 *
 * `concurrency` workers each send signed one-row edits back to back until `durationMs` has
 * passed (the clock only bounds the load; nothing is judged by it). Every edit sets two cells,
 * 工作单位 and 手机号码, to values no other edit uses. One edit in `hotEvery` of every worker
 * goes to the shared "hot" customers (several workers edit the same customer at the same time);
 * the others to customers only that worker edits, so their final value is known.
 */

export interface SheetEditLoadOptions {
  url: string;
  secret: string;
  branchId: string;
  spreadsheetId: string;
  /** the branch's customers; the first `hot` are edited by every worker, the rest split among the workers */
  customerIds: readonly string[];
  hot: number;
  /** one edit in `hotEvery` of each worker goes to a hot customer (staggered by worker) */
  hotEvery: number;
  concurrency: number;
  durationMs: number;
  /** milliseconds, for the deadline and the latencies (performance.now by default) */
  clock?: () => number;
}

export interface SentEdit {
  worker: number;
  seq: number;
  customerId: string;
  employer: string;
  mobile: string;
  status: number;
  /** from sending to the whole answer read */
  millis: number;
  /** what went wrong with the answer, if anything (a status other than 200, a refused cell, no computed cells) */
  problem: string | null;
}

export interface SheetEditLoadResult {
  sent: SentEdit[];
  elapsedMs: number;
}

export function ownCustomers(options: Pick<SheetEditLoadOptions, 'customerIds' | 'hot' | 'concurrency'>, worker: number): string[] {
  return options.customerIds.slice(options.hot).filter((_, i) => i % options.concurrency === worker);
}

/** One signed edit of one row (工作单位 and 手机号码, values unique to worker and seq), timed and judged. */
export async function sendSheetEdit(options: Pick<SheetEditLoadOptions, 'url' | 'secret' | 'branchId' | 'spreadsheetId' | 'clock'>, worker: number, seq: number, customerId: string): Promise<SentEdit> {
  const clock = options.clock ?? (() => performance.now());
  const employer = `负载单位-${worker}-${seq}`;
  const mobile = `139${String(worker * 1_000_000 + seq).padStart(8, '0')}`;
  const body = JSON.stringify({ branchId: options.branchId, spreadsheetId: options.spreadsheetId, editor: `load${worker}@bank.example`, rows: [{ row: 2, customerId, cells: { 工作单位: employer, 手机号码: mobile } }] });
  const t0 = clock();
  let status = 0;
  let problem: string | null = null;
  try {
    const response = await fetch(options.url, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signRequest(options.secret, body, Math.floor(Date.now() / 1000)) }, body });
    status = response.status;
    const answer = (await response.json()) as { rows?: { accepted: string[]; refused: unknown[]; computed: unknown }[] };
    const row = answer.rows?.[0];
    if (status !== 200) problem = `HTTP ${status}: ${JSON.stringify(answer).slice(0, 300)}`;
    else if (!row || row.accepted.length !== 2 || row.refused.length > 0) problem = `answer ${JSON.stringify(answer).slice(0, 300)}`;
    else if (row.computed === null) problem = 'no computed cells in the answer';
  } catch (error) {
    problem = `no answer: ${(error as Error).message}`;
  }
  return { worker, seq, customerId, employer, mobile, status, millis: clock() - t0, problem };
}

export async function runSheetEditLoad(options: SheetEditLoadOptions): Promise<SheetEditLoadResult> {
  const clock = options.clock ?? (() => performance.now());
  const hot = options.customerIds.slice(0, options.hot);
  if (hot.length === 0) throw new Error('the load needs at least one hot customer');
  const sent: SentEdit[] = [];
  const started = clock();
  const deadline = started + options.durationMs;

  const worker = async (w: number) => {
    const own = ownCustomers(options, w);
    if (own.length === 0) throw new Error(`worker ${w} has no customer of its own: seed more than ${options.hot + options.concurrency - 1} customers`);
    let owned = 0;
    for (let seq = 0; clock() < deadline; seq++) {
      // Workers w and w + hotEvery, w + 2 hotEvery … edit the same hot customer at the same moment.
      const customerId = (seq + w) % options.hotEvery === 0 ? hot[Math.floor((seq + w) / options.hotEvery) % hot.length]! : own[owned++ % own.length]!;
      sent.push(await sendSheetEdit(options, w, seq, customerId));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
  return { sent, elapsedMs: clock() - started };
}

export interface LoadCheck {
  /** edit-log entries of the branch, and how many the sends should have made (2 per edit) */
  editLogEntries: number;
  expectedEntries: number;
  /** every discrepancy found, in words; empty when nothing was lost or doubled */
  problems: string[];
}

/**
 * Reads the edit log and the customers back: every edit answered 200 must have exactly one
 * accepted edit-log entry per cell (its values are unique, so a lost or doubled entry shows);
 * a customer only one worker edited must hold that worker's last values; a customer edited by
 * many must hold the two values of one and the same edit (the transaction is all or nothing).
 */
export async function checkSheetEditLoad(db: Firestore, branchId: string, result: SheetEditLoadResult): Promise<LoadCheck> {
  const problems: string[] = [];
  for (const s of result.sent) if (s.problem !== null) problems.push(`edit ${s.worker}-${s.seq} (${s.customerId}): ${s.problem}`);
  const accepted = result.sent.filter((s) => s.problem === null);

  const log = await db.collection('editLog').where('branchId', '==', branchId).get();
  const entries = new Map<string, number>();
  for (const doc of log.docs) {
    const key = `${doc.get('customerId')}|${doc.get('column')}|${doc.get('value')}|${doc.get('accepted')}`;
    entries.set(key, (entries.get(key) ?? 0) + 1);
  }
  for (const s of accepted) {
    for (const [column, value] of [['工作单位', s.employer], ['手机号码', s.mobile]] as const) {
      const n = entries.get(`${s.customerId}|${column}|${value}|true`) ?? 0;
      if (n !== 1) problems.push(`edit ${s.worker}-${s.seq} (${s.customerId}) ${column}=${value}: ${n} edit-log entries, expected 1`);
    }
  }
  const expectedEntries = 2 * result.sent.filter((s) => s.status === 200).length;
  if (log.size !== expectedEntries) problems.push(`${log.size} edit-log entries for ${expectedEntries / 2} edits answered 200 (2 cells each)`);

  const byCustomer = new Map<string, SentEdit[]>();
  for (const s of accepted) byCustomer.set(s.customerId, [...(byCustomer.get(s.customerId) ?? []), s]);
  for (const [customerId, edits] of byCustomer) {
    const doc = await db.collection('customers').doc(customerId).get();
    const employer = doc.get('profile.archive.employer') as string | undefined;
    const mobile = doc.get('profile.archive.mobile') as string | undefined;
    const workers = new Set(edits.map((e) => e.worker));
    if (workers.size === 1) {
      const last = edits.reduce((a, b) => (b.seq > a.seq ? b : a));
      if (employer !== last.employer || mobile !== last.mobile) problems.push(`${customerId}: holds ${employer} / ${mobile}, its only editor's last edit was ${last.employer} / ${last.mobile}`);
    } else {
      const same = edits.find((e) => e.employer === employer);
      if (!same) problems.push(`${customerId}: holds ${employer}, which no edit sent`);
      else if (same.mobile !== mobile) problems.push(`${customerId}: holds 工作单位 of edit ${same.worker}-${same.seq} but 手机号码 ${mobile} (that edit sent ${same.mobile}): half an edit`);
    }
  }
  return { editLogEntries: log.size, expectedEntries, problems };
}
