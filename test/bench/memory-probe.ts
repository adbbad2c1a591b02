/**
 * Peak memory of this process. maxRSS comes from the kernel (the true peak); V8's heap has
 * no peak counter, so it is sampled wherever the caller calls sample() (e.g. once a chunk).
 */
export interface MemoryPeak {
  maxRssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  rssMiB: number;
}

const MIB = 1024 * 1024;

export class MemoryProbe {
  private heapUsed = 0;
  private heapTotal = 0;
  private rss = 0;

  sample(): void {
    const usage = process.memoryUsage();
    if (usage.heapUsed > this.heapUsed) this.heapUsed = usage.heapUsed;
    if (usage.heapTotal > this.heapTotal) this.heapTotal = usage.heapTotal;
    if (usage.rss > this.rss) this.rss = usage.rss;
  }

  peak(): MemoryPeak {
    this.sample();
    return {
      // resourceUsage().maxRSS is in kibibytes
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      heapUsedMiB: this.heapUsed / MIB,
      heapTotalMiB: this.heapTotal / MIB,
      rssMiB: this.rss / MIB,
    };
  }
}

export function rssMiB(): number {
  return process.memoryUsage.rss() / MIB;
}

/** Full collection when the run has --expose-gc, so one phase's garbage is not billed to the next measurement. */
export function collectGarbage(): void {
  globalThis.gc?.();
}
