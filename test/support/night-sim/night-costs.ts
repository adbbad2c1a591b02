import type { FirestoreCosts } from './modelled-firestore.js';
import type { SheetsLatency } from './modelled-sheets.js';

/**
 * What each modelled step of a night costs, from figures measured on this project's own runs
 * (docs/performance.md) where there is one, each named with where it comes from. These are
 * figures of the local stand-ins (the Firestore emulator, the Sheets API test server on
 * loopback), not of Google's services: the simulation's night is bounded by the Sheets quota,
 * which it models exactly, and these costs move only how busy the function instances are.
 */

export interface NightCosts {
  firestore: FirestoreCosts;
  sheets: SheetsLatency;
  /** customers a second the tier engine evaluates */
  engineCustomersPerSecond: number;
  /** a Pub/Sub publish, until the client's promise resolves */
  publishMs: number;
}

export const MEASURED_COSTS: NightCosts = {
  firestore: {
    // docs/performance.md, "Sheet-edit latency": the emulator answers a query in 22 ms on an
    // empty database (62 ms with 80,000 other documents); taken for every round trip
    roundTripMs: 22,
    // docs/performance.md, "Firestore and ingest", nightly read: 100,000 customers × 2 month
    // documents + profiles by getAll in 17.50 s, 17,146 docs/s with profiles
    readDocsPerSecond: 17_146,
    // docs/performance.md, "Firestore and ingest": ingest document writes, 11,296 docs/s
    writeDocsPerSecond: 11_296,
  },
  sheets: {
    // docs/performance.md, "Sheets requests per branch per nightly run", 1,000 customers:
    // the same day again is 1 request (the get) with 0.04 s in Sheets calls;
    readMs: 40,
    // the next day is 2 requests (get, values) with 0.07 s: the values write about 0.03 s
    writeMs: 30,
  },
  // docs/performance.md, "Toward a bank's scale": 307,948 customers/s (24 months replayed, at
  // load 3.2), the lower of the engine's measured rates; a resumed customer costs less
  engineCustomersPerSecond: 307_948,
  // not measured: @google-cloud/pubsub holds a publish up to 10 ms to batch it (its default
  // maxMilliseconds), plus a round trip of about 20 ms assumed
  publishMs: 30,
};

/**
 * The deployment the simulation runs as (README, "Going to production"): nightlyBranchTask
 * deployed with --max-instances 8 --timeout 540s, one message at a time per instance (the
 * 2nd-gen default concurrency); the start and the consolidation one instance each, 540 s.
 */
export const DEPLOYMENT = { branchInstances: 8, timeoutMs: 540_000 } as const;

/**
 * Cells a next day's run changes per customer: docs/performance.md, "Sheets requests per
 * branch per nightly run", cells written by the next day's run: 2,296 for 1,000 customers.
 */
export const CHANGED_CELLS_PER_CUSTOMER = 2.296;
