import { FieldValue, Timestamp, type Firestore } from '@google-cloud/firestore';
import type { VirtualClock } from '../virtual-clock.js';

/**
 * A model of Firestore for simulating a night: documents in memory, every call answered after
 * the time a measured figure gives it on the virtual clock, and reads and writes counted as
 * Firestore bills them (a document read per document a query returns, at least one a query; an
 * aggregation one read per 1,000 entries counted, at least one; a read for a get of a missing
 * document; a write per document written). It holds what the orchestration keeps — branches,
 * run records, summaries, the nightly date, the Sheets quota counters — and answers only the
 * calls the nightly steps and the quota budget make (collection, doc, where, select, get,
 * count, set with or without merge, update with field paths, runTransaction). The customers and
 * their months are not here: the branch model charges their reads with `charge`.
 *
 * Transactions lock what they read until they commit, the first come first served (as the
 * server client libraries do), so two takes of the last quota slot cannot both succeed here
 * either; a commit is one more round trip. Like Firestore, an undefined value is refused.
 */

export interface FirestoreCosts {
  /** one round trip: a document get or set, a query's first answer, a transaction's read or its commit */
  roundTripMs: number;
  /** documents a second a query streams after its round trip */
  readDocsPerSecond: number;
  /** documents a second a batch commits */
  writeDocsPerSecond: number;
}

type Data = Record<string, unknown>;
type Op = '==' | '<' | '<=' | '>' | '>=';
interface Filter {
  field: string;
  op: Op;
  value: unknown;
}

export class ModelledFirestore {
  reads = 0;
  writes = 0;
  private readonly collections = new Map<string, Map<string, Data>>();
  private readonly locks = new Map<string, Promise<void>>();
  /** counts of equality-only aggregations, kept up to date on every write (as Firestore answers a count from an index) */
  private readonly countIndexes = new Map<string, { collection: string; fields: string[]; counts: Map<string, number> }>();

  constructor(
    readonly clock: VirtualClock,
    readonly costs: FirestoreCosts,
  ) {}

  /** the model where the product code wants a Firestore (only the calls above are answered) */
  asFirestore(): Firestore {
    return this as unknown as Firestore;
  }

  collection(name: string): ModelQuery & { doc(id: string): ModelDocRef } {
    const query = new ModelQuery(this, name, []);
    return Object.assign(query, { doc: (id: string) => new ModelDocRef(this, name, id) });
  }

  /** puts a document in place before the simulated night: not charged, not counted */
  seed(collection: string, id: string, data: Data): void {
    this.store(collection, id, storedValue(data, this.clock.now()) as Data);
  }

  /** what a modelled step costs: its reads and writes counted, its time waited on the virtual clock */
  async charge(cost: { reads?: number; writes?: number; roundTrips?: number; streamedDocs?: number; committedDocs?: number }): Promise<void> {
    this.reads += cost.reads ?? 0;
    this.writes += cost.writes ?? 0;
    const ms = (cost.roundTrips ?? 0) * this.costs.roundTripMs + ((cost.streamedDocs ?? 0) / this.costs.readDocsPerSecond) * 1000 + ((cost.committedDocs ?? 0) / this.costs.writeDocsPerSecond) * 1000;
    if (ms > 0) await this.clock.sleep(ms);
  }

  async runTransaction<T>(body: (tx: ModelTransaction) => Promise<T>): Promise<T> {
    const tx = new ModelTransaction(this);
    try {
      const result = await body(tx);
      await this.charge({ roundTrips: 1, writes: tx.pending.length });
      for (const write of tx.pending) write();
      return result;
    } finally {
      tx.release();
    }
  }

  /** @internal how many documents of `collection` match equality filters only, from an index built on first use */
  countEqual(collection: string, filters: readonly Filter[]): number {
    const fields = filters.map((f) => f.field);
    const signature = `${collection}\u0000${fields.join('\u0000')}`;
    let index = this.countIndexes.get(signature);
    if (index === undefined) {
      index = { collection, fields, counts: new Map() };
      for (const data of this.docs(collection).values()) bump(index, data, 1);
      this.countIndexes.set(signature, index);
    }
    return index.counts.get(JSON.stringify(filters.map((f) => f.value))) ?? 0;
  }

  /** @internal every write of a document goes through here */
  store(collection: string, id: string, data: Data): void {
    const docs = this.docs(collection);
    const before = docs.get(id);
    for (const index of this.countIndexes.values()) {
      if (index.collection !== collection) continue;
      if (before !== undefined) bump(index, before, -1);
      bump(index, data, 1);
    }
    docs.set(id, data);
  }

  /** @internal */
  docs(collection: string): Map<string, Data> {
    let docs = this.collections.get(collection);
    if (docs === undefined) this.collections.set(collection, (docs = new Map()));
    return docs;
  }

  /** @internal waits for the lock of `path` (first come, first served); answers its release */
  async lock(path: string): Promise<() => void> {
    const before = this.locks.get(path) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const queue = before.then(() => mine);
    this.locks.set(path, queue);
    await before;
    return () => {
      release();
      if (this.locks.get(path) === queue) this.locks.delete(path);
    };
  }
}

export class ModelDocRef {
  constructor(
    private readonly db: ModelledFirestore,
    readonly collection: string,
    readonly id: string,
  ) {}

  get path(): string {
    return `${this.collection}/${this.id}`;
  }

  async get(): Promise<ModelSnapshot> {
    await this.db.charge({ reads: 1, roundTrips: 1 });
    return this.snapshot();
  }

  async set(data: Data, options?: { merge?: boolean }): Promise<void> {
    await this.db.charge({ writes: 1, roundTrips: 1 });
    this.write(data, options);
  }

  async update(data: Data): Promise<void> {
    await this.db.charge({ writes: 1, roundTrips: 1 });
    this.patch(data);
  }

  /** @internal */
  snapshot(): ModelSnapshot {
    return new ModelSnapshot(this.id, this.db.docs(this.collection).get(this.id));
  }

  /** @internal */
  write(data: Data, options?: { merge?: boolean }): void {
    const docs = this.db.docs(this.collection);
    const value = storedValue(data, this.db.clock.now()) as Data;
    const current = docs.get(this.id);
    this.db.store(this.collection, this.id, options?.merge === true && current !== undefined ? merged(current, value) : value);
  }

  /** @internal `update`: field paths (a.b.c) set inside the document, which must exist */
  patch(data: Data): void {
    const docs = this.db.docs(this.collection);
    const current = docs.get(this.id);
    if (current === undefined) throw Object.assign(new Error(`5 NOT_FOUND: no document to update: ${this.path}`), { code: 5 });
    const next = structuredCopy(current);
    for (const [path, value] of Object.entries(data)) {
      const parts = path.split('.');
      let node = next;
      for (const part of parts.slice(0, -1)) {
        if (!isMap(node[part])) node[part] = {};
        node = node[part] as Data;
      }
      node[parts[parts.length - 1]!] = storedValue(value, this.db.clock.now());
    }
    this.db.store(this.collection, this.id, next);
  }
}

export class ModelSnapshot {
  constructor(
    readonly id: string,
    private readonly stored: Data | undefined,
  ) {}

  get exists(): boolean {
    return this.stored !== undefined;
  }

  data(): Data | undefined {
    return this.stored === undefined ? undefined : structuredCopy(this.stored);
  }

  get(path: string): unknown {
    return valueAt(this.stored, path);
  }
}

export class ModelQuery {
  constructor(
    private readonly db: ModelledFirestore,
    private readonly name: string,
    private readonly filters: readonly Filter[],
  ) {}

  where(field: string, op: Op, value: unknown): ModelQuery {
    if (!['==', '<', '<=', '>', '>='].includes(op)) throw new Error(`the modelled Firestore answers no "${op}" filter`);
    return new ModelQuery(this.db, this.name, [...this.filters, { field, op, value: storedValue(value, 0) }]);
  }

  /** a projection: every field is kept (the bill is the same) */
  select(..._fields: string[]): ModelQuery {
    return this;
  }

  async get(): Promise<{ docs: ModelSnapshot[]; size: number; empty: boolean }> {
    const docs = this.matching()
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, data]) => new ModelSnapshot(id, data));
    await this.db.charge({ reads: Math.max(1, docs.length), roundTrips: 1, streamedDocs: docs.length });
    return { docs, size: docs.length, empty: docs.length === 0 };
  }

  count(): { get(): Promise<{ data(): { count: number } }> } {
    return {
      get: async () => {
        const count = this.filters.every((f) => f.op === '==') ? this.db.countEqual(this.name, this.filters) : this.matching().length;
        await this.db.charge({ reads: Math.max(1, Math.ceil(count / 1000)), roundTrips: 1 });
        return { data: () => ({ count }) };
      },
    };
  }

  /** in no particular order (a query answers by document id, get sorts them) */
  private matching(): [string, Data][] {
    const out: [string, Data][] = [];
    for (const entry of this.db.docs(this.name)) if (this.filters.every((f) => holds(valueAt(entry[1], f.field), f.op, f.value))) out.push(entry);
    return out;
  }
}

export class ModelTransaction {
  /** @internal the writes, applied at commit */
  readonly pending: (() => void)[] = [];
  private readonly held = new Map<string, () => void>();

  constructor(private readonly db: ModelledFirestore) {}

  async get(ref: ModelDocRef): Promise<ModelSnapshot> {
    const [snapshot] = await this.getAll(ref);
    return snapshot!;
  }

  async getAll(...refs: ModelDocRef[]): Promise<ModelSnapshot[]> {
    // locks taken in path order, so two transactions reading the same documents cannot deadlock
    for (const path of [...new Set(refs.map((r) => r.path))].sort()) if (!this.held.has(path)) this.held.set(path, await this.db.lock(path));
    await this.db.charge({ reads: refs.length, roundTrips: 1 });
    return refs.map((r) => r.snapshot());
  }

  set(ref: ModelDocRef, data: Data, options?: { merge?: boolean }): this {
    this.pending.push(() => ref.write(data, options));
    return this;
  }

  update(ref: ModelDocRef, data: Data): this {
    this.pending.push(() => ref.patch(data));
    return this;
  }

  /** @internal */
  release(): void {
    for (const release of this.held.values()) release();
    this.held.clear();
  }
}

function bump(index: { fields: string[]; counts: Map<string, number> }, data: Data, by: number): void {
  const key = JSON.stringify(index.fields.map((f) => valueAt(data, f) ?? null));
  index.counts.set(key, (index.counts.get(key) ?? 0) + by);
}

function valueAt(data: Data | undefined, path: string): unknown {
  let node: unknown = data;
  for (const part of path.includes('.') ? path.split('.') : [path]) node = isMap(node) ? node[part] : undefined;
  return node;
}

function isMap(value: unknown): value is Data {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Timestamp);
}

/** As Firestore stores a value: Dates become Timestamps, the server timestamp the (virtual) time of the write. */
function storedValue(value: unknown, now: number): unknown {
  if (value === undefined) throw new Error('Cannot use "undefined" as a Firestore value (the modelled Firestore refuses it as Firestore does)');
  if (value instanceof Date) return Timestamp.fromDate(value);
  if (value instanceof Timestamp) return value;
  if (value instanceof FieldValue) {
    if (value.isEqual(FieldValue.serverTimestamp())) return Timestamp.fromMillis(now);
    throw new Error('the modelled Firestore answers no FieldValue but serverTimestamp()');
  }
  if (Array.isArray(value)) return value.map((v) => storedValue(v, now));
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, storedValue(v, now)]));
  return value;
}

function structuredCopy(data: Data): Data {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => (isMap(x) ? structuredCopy(x) : x)) : isMap(v) ? structuredCopy(v) : v]));
}

function merged(target: Data, patch: Data): Data {
  const out: Data = { ...target };
  for (const [k, v] of Object.entries(patch)) out[k] = isMap(v) && isMap(out[k]) ? merged(out[k] as Data, v) : v;
  return out;
}

function comparable(value: unknown): unknown {
  return value instanceof Timestamp ? value.toMillis() : value;
}

function holds(actual: unknown, op: Op, expected: unknown): boolean {
  const a = comparable(actual);
  const e = comparable(expected);
  if (op === '==') return a === e;
  if (a === undefined || a === null || typeof a !== typeof e) return false;
  const x = a as number | string;
  const y = e as number | string;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}
