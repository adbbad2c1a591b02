/**
 * Runs many branches with at most `concurrency` at once (the local stand-in for one function
 * instance per Pub/Sub message). A branch that fails is counted and the others go on; the
 * progress callback sees every start and finish, with an ETA from the mean duration so far.
 */

export interface BranchOutcome {
  branchId: string;
  status: 'done' | 'failed' | 'skipped';
  durationMs: number;
  error?: string;
}

export interface PoolProgress {
  total: number;
  finished: number;
  failed: number;
  running: readonly string[];
  /** milliseconds left at the pace so far; null until one branch has finished */
  etaMs: number | null;
  last: BranchOutcome | null;
}

export interface PoolOptions {
  concurrency: number;
  now: () => number;
  onProgress?: (p: PoolProgress) => void;
}

export async function runBranchPool(branchIds: readonly string[], runOne: (branchId: string) => Promise<BranchOutcome>, options: PoolOptions): Promise<BranchOutcome[]> {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const outcomes: BranchOutcome[] = [];
  const running = new Set<string>();
  const started = options.now();
  let next = 0;
  let failed = 0;
  const report = (last: BranchOutcome | null) => {
    if (!options.onProgress) return;
    const finished = outcomes.length;
    const elapsed = options.now() - started;
    // Branches run `concurrency` at a time: the time left is the remaining share at the rate so far.
    const etaMs = finished === 0 ? null : Math.round((elapsed / finished) * (branchIds.length - finished));
    options.onProgress({ total: branchIds.length, finished, failed, running: [...running], etaMs, last });
  };
  const worker = async () => {
    while (next < branchIds.length) {
      const branchId = branchIds[next++] as string;
      running.add(branchId);
      report(null);
      const t0 = options.now();
      let outcome: BranchOutcome;
      try {
        outcome = await runOne(branchId);
      } catch (error) {
        // runOne should record its own failure; anything it lets through is still one branch's failure.
        outcome = { branchId, status: 'failed', durationMs: options.now() - t0, error: (error as Error).message };
      }
      running.delete(branchId);
      if (outcome.status === 'failed') failed++;
      outcomes.push(outcome);
      report(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, branchIds.length) }, worker));
  return outcomes;
}
