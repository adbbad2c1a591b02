import type { BenchConfig } from './bench-config.js';
import { bundledScheme } from '../../shared/bundled-schemes.js';
import type { Scheme } from '../../shared/scheme.schema.js';
import { createTierEngine } from '../../shared/tier-engine.js';
import { averageThresholdsOf, createCustomerGenerator, nextChunk } from './generate-customers.js';
import { collectGarbage, MemoryProbe, type MemoryPeak } from './memory-probe.js';

/** Phase 1: engine.assess (replay + watch + gap) over the whole generated population. */
export interface EngineBenchResult {
  customers: number;
  assessments: number;
  assessSeconds: number;
  generateSeconds: number;
  customersPerSecond: number;
  memory: MemoryPeak;
  /** customers per final tier, by tier code */
  finalTiers: Record<string, number>;
  onWatch: number;
  everRetained: number;
  everDowngraded: number;
}

export function schemeFor(config: BenchConfig): Scheme {
  const scheme = bundledScheme(config.schemeId);
  if (scheme === null) throw new Error(`no bundled scheme "${config.schemeId}"`);
  return scheme;
}

export function runEngineBench(config: BenchConfig): EngineBenchResult {
  const scheme = schemeFor(config);
  const engine = createTierEngine(scheme);
  const next = createCustomerGenerator({ ...config, averageThresholds: averageThresholdsOf(scheme) });
  const probe = new MemoryProbe();
  const tierCounts = new Array<number>(scheme.tiers.length).fill(0);
  let assessNs = 0n;
  let generateNs = 0n;
  let assessments = 0;
  let onWatch = 0;
  let everRetained = 0;
  let everDowngraded = 0;

  for (let done = 0; done < config.customers; ) {
    const size = Math.min(config.chunkSize, config.customers - done);
    const generateStart = process.hrtime.bigint();
    const chunk = nextChunk(next, size);
    generateNs += process.hrtime.bigint() - generateStart;
    probe.sample();
    // The generator's garbage is not the engine's: clear it before the clock starts.
    collectGarbage();

    const start = process.hrtime.bigint();
    for (let i = 0; i < size; i++) {
      const a = engine.assess(chunk[i]!);
      tierCounts[a.tier]!++;
      assessments += a.tiers.length;
      if (a.watch) onWatch++;
      // From the typed arrays, not the decision strings: the tally must cost next to nothing inside the clock.
      const { levels, tiers } = a;
      let retained = 0;
      let downgraded = 0;
      for (let k = 0; k < tiers.length; k++) {
        if (tiers[k]! > levels[k]!) retained = 1;
        if (k > 0 && tiers[k]! < tiers[k - 1]!) downgraded = 1;
      }
      everRetained += retained;
      everDowngraded += downgraded;
    }
    assessNs += process.hrtime.bigint() - start;
    probe.sample();
    done += size;
  }

  const assessSeconds = Number(assessNs) / 1e9;
  return {
    customers: config.customers,
    assessments,
    assessSeconds,
    generateSeconds: Number(generateNs) / 1e9,
    customersPerSecond: config.customers / assessSeconds,
    memory: probe.peak(),
    finalTiers: Object.fromEntries(scheme.tiers.map((t, i) => [t.code, tierCounts[i]!])),
    onWatch,
    everRetained,
    everDowngraded,
  };
}
