import { parseArgs } from 'node:util';

/** What one bench run measures; every phase gets the same copy, so they see the same customers. */
export interface BenchConfig {
  schemeId: string;
  seed: number;
  /** first fact month of every generated customer (MonthIndex) */
  firstMonth: number;
  monthsPerCustomer: number;
  customers: number;
  chunkSize: number;
  baselineSample: number;
  baselineWarmup: number;
  pipelineLines: number;
  /** Firestore phases (each with an emulator of its own); false skips them (--skip-firestore) */
  firestore: boolean;
  /** small documents for the raw batch-write rate */
  firestoreRawDocs: number;
  /** customers in the generated ingest extracts, and how many business dates are ingested */
  ingestCustomers: number;
  ingestDates: number;
  /** customers, months each and business days in each month document, seeded for the nightly read */
  readCustomers: number;
  readMonths: number;
  readDays: number;
  /** which groups of phases run (`--only engine,firestore,sheets`); null: all */
  only: BenchGroup[] | null;
  /** customers in each branch whose nightly Sheets requests are counted */
  sheetBranchSizes: number[];
  /** sequential sheetEdit requests of one row, and of `editBatchRows` rows */
  editSingleRequests: number;
  editBatchRequests: number;
  editBatchRows: number;
  /** the load phase: editors sending sheet edits at once, and for how many seconds */
  loadConcurrency: number;
  loadSeconds: number;
  /** the quota phase: branches in its night */
  quotaBranches: number;
  /** the night-sim phase: branches, customers each, and document reads a customer (2: resumed from the saved engine state) */
  nightBranches: number;
  nightCustomers: number;
  nightReadsPerCustomer: number;
}

/** Groups of phases `--only` selects: the engine trio, the Firestore trio, the two spreadsheet phases (or one of them). */
export const BENCH_GROUPS = ['engine', 'firestore', 'sheets', 'sheet-requests', 'sheet-edit', 'sheet-edit-load', 'quota', 'night-state', 'night-sim'] as const;
export type BenchGroup = (typeof BENCH_GROUPS)[number];

export const DEFAULT_CONFIG: BenchConfig = {
  schemeId: 'boc',
  seed: 20240601,
  firstMonth: 2023 * 12, // 2023-01 … 2024-12: 24 months, a leap February included
  monthsPerCustomer: 24,
  customers: 1_000_000,
  chunkSize: 10_000,
  baselineSample: 5_000,
  baselineWarmup: 250,
  pipelineLines: 200_000,
  firestore: true,
  firestoreRawDocs: 20_000,
  ingestCustomers: 20_000,
  ingestDates: 3,
  readCustomers: 100_000,
  readMonths: 2,
  // The emulator's cost grows with the days in a document (each day's fields are indexed):
  // a week keeps seeding and reading 100,000 customers inside the bench's time.
  readDays: 5,
  only: null,
  sheetBranchSizes: [10, 1_000, 10_000],
  editSingleRequests: 200,
  // a 500-row edit takes ~15 s on the emulator, on each path: 5 keeps the phase near 4 minutes; --edit-batch-requests 50 for a tail worth the name
  editBatchRequests: 5,
  editBatchRows: 500,
  loadConcurrency: 50,
  loadSeconds: 30,
  quotaBranches: 300,
  nightBranches: 10_000,
  nightCustomers: 1_000,
  nightReadsPerCustomer: 2,
};

/** Whether a group runs: selected by --only (`sheets` selects both spreadsheet phases), and emulator phases not skipped (the engine and the night simulation need none). */
export function groupRuns(config: BenchConfig, group: Exclude<BenchGroup, 'sheets'>): boolean {
  if (group !== 'engine' && group !== 'night-sim' && !config.firestore) return false;
  if (config.only === null) return true;
  return config.only.includes(group) || ((group === 'sheet-requests' || group === 'sheet-edit' || group === 'sheet-edit-load') && config.only.includes('sheets'));
}

/**
 * `--customers N --sample N --lines N --seed N`, and for the Firestore phases `--raw-docs N
 * --ingest-customers N --ingest-dates N --read-customers N --read-months N --read-days N --skip-firestore`, shrink or vary a run (for trying things out); defaults are the benchmark.
 * `--only engine,firestore,sheets` (or `sheet-requests`, `sheet-edit`, `sheet-edit-load`) runs some groups of phases;
 * `--load-concurrency N --load-seconds N` vary the load phase; `--quota-branches N` the quota phase's night (`--only quota`);
 * `--night-reads-per-customer N --night-branches N --night-customers N` the simulated night (`--only night-sim`);
 * `--sheet-branches 10,1000 --edit-requests N --edit-batch-requests N --edit-batch-rows N` vary the spreadsheet phases. */
export function parseBenchArgs(args: string[]): BenchConfig {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string' },
      sample: { type: 'string' },
      lines: { type: 'string' },
      seed: { type: 'string' },
      'raw-docs': { type: 'string' },
      'ingest-customers': { type: 'string' },
      'ingest-dates': { type: 'string' },
      'read-customers': { type: 'string' },
      'read-months': { type: 'string' },
      'read-days': { type: 'string' },
      'skip-firestore': { type: 'boolean' },
      only: { type: 'string' },
      'sheet-branches': { type: 'string' },
      'edit-requests': { type: 'string' },
      'edit-batch-requests': { type: 'string' },
      'edit-batch-rows': { type: 'string' },
      'load-concurrency': { type: 'string' },
      'load-seconds': { type: 'string' },
      'quota-branches': { type: 'string' },
      'night-reads-per-customer': { type: 'string' },
      'night-branches': { type: 'string' },
      'night-customers': { type: 'string' },
    },
    strict: true,
  });
  const whole = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got "${text}"`);
    return n;
  };
  return {
    ...DEFAULT_CONFIG,
    customers: whole('customers', values.customers, DEFAULT_CONFIG.customers),
    baselineSample: whole('sample', values.sample, DEFAULT_CONFIG.baselineSample),
    pipelineLines: whole('lines', values.lines, DEFAULT_CONFIG.pipelineLines),
    seed: whole('seed', values.seed, DEFAULT_CONFIG.seed),
    firestore: values['skip-firestore'] !== true,
    firestoreRawDocs: whole('raw-docs', values['raw-docs'], DEFAULT_CONFIG.firestoreRawDocs),
    ingestCustomers: whole('ingest-customers', values['ingest-customers'], DEFAULT_CONFIG.ingestCustomers),
    ingestDates: whole('ingest-dates', values['ingest-dates'], DEFAULT_CONFIG.ingestDates),
    readCustomers: whole('read-customers', values['read-customers'], DEFAULT_CONFIG.readCustomers),
    readMonths: whole('read-months', values['read-months'], DEFAULT_CONFIG.readMonths),
    readDays: Math.min(20, whole('read-days', values['read-days'], DEFAULT_CONFIG.readDays)),
    only: values.only === undefined ? null : values.only.split(',').map((name) => {
      const group = name.trim();
      if (!(BENCH_GROUPS as readonly string[]).includes(group)) throw new Error(`--only takes ${BENCH_GROUPS.join(', ')} (comma-separated), got "${group}"`);
      return group as BenchGroup;
    }),
    sheetBranchSizes: values['sheet-branches'] === undefined ? DEFAULT_CONFIG.sheetBranchSizes : values['sheet-branches'].split(',').map((n) => whole('sheet-branches', n.trim(), 0)),
    editSingleRequests: whole('edit-requests', values['edit-requests'], DEFAULT_CONFIG.editSingleRequests),
    editBatchRequests: whole('edit-batch-requests', values['edit-batch-requests'], DEFAULT_CONFIG.editBatchRequests),
    // sheetEdit takes at most 5,000 rows a request
    editBatchRows: Math.min(5_000, whole('edit-batch-rows', values['edit-batch-rows'], DEFAULT_CONFIG.editBatchRows)),
    loadConcurrency: whole('load-concurrency', values['load-concurrency'], DEFAULT_CONFIG.loadConcurrency),
    loadSeconds: whole('load-seconds', values['load-seconds'], DEFAULT_CONFIG.loadSeconds),
    quotaBranches: whole('quota-branches', values['quota-branches'], DEFAULT_CONFIG.quotaBranches),
    nightBranches: whole('night-branches', values['night-branches'], DEFAULT_CONFIG.nightBranches),
    nightCustomers: whole('night-customers', values['night-customers'], DEFAULT_CONFIG.nightCustomers),
    nightReadsPerCustomer: whole('night-reads-per-customer', values['night-reads-per-customer'], DEFAULT_CONFIG.nightReadsPerCustomer),
  };
}
