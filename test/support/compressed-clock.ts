/**
 * A clock that runs `factor` times faster than real time, for the Sheets API test server's quota
 * and the code paced against it, so a night of many minutes of quota takes seconds: now() is
 * real elapsed time × factor (from `start`), sleep(ms) waits ms / factor, skip(ms) jumps ahead.
 */
export function compressedClock(factor: number, start = Date.UTC(2026, 10, 10, 18, 0, 0)) {
  const realStart = Date.now();
  let offset = 0;
  return {
    now: () => start + (Date.now() - realStart) * factor + offset,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms / factor))),
    skip: (ms: number) => void (offset += ms),
  };
}
