import type { Fen } from '../../shared/money.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * A customer's monthly daily-average financial assets over the demo's history, shaped by a
 * story so that every kind of decision shows up in the demo: most customers hold steady,
 * some grow across a threshold (promotions), some sit just under one (closest to the next
 * tier), and some fall below theirs (watch, then downgrade after the retention window).
 * Amounts are whole fen; floating point only shapes the draw, never decides a tier.
 */

export const STORIES = ['steady', 'near', 'grower', 'decliner', 'newcomer'] as const;
export type Story = (typeof STORIES)[number];

const STORY_WEIGHTS: Readonly<Record<Story, number>> = { steady: 72, near: 6, grower: 7, decliner: 9, newcomer: 6 };

/** Growers, near-misses and decliners are aimed at a tier above base; lower tiers are commoner. */
const TARGET_WEIGHTS = [0, 70, 24, 6] as const;

/** Median and spread of the steady customers' assets: most are mass customers, a long tail is rich. */
const MEDIAN_ASSETS_FEN = 8_000_000;
const LOG_SIGMA = 1.6;
const MAX_ASSETS_FEN = 20_000_000_000;

export interface AssetTrajectory {
  story: Story;
  /** the tier a grower / near-miss / decliner is aimed at; 0 for steady customers */
  targetTier: number;
  /** index into the history of the first month with an account (0 unless a newcomer) */
  openedAt: number;
  /** daily average in fen for each month of the history (0 before openedAt) */
  averages: Fen[];
}

/** thresholds[t] is the daily average that qualifies for tier t (thresholds[0] = 0). */
export function drawAssetTrajectory(random: SeededRandom, months: number, thresholds: readonly Fen[]): AssetTrajectory {
  const story = random.weighted(STORY_WEIGHTS);
  const top = thresholds.length - 1;
  const targetTier = story === 'steady' || story === 'newcomer' ? 0 : drawTarget(random, top);
  const threshold = thresholds[targetTier] as Fen;
  const averages: Fen[] = [];
  let openedAt = 0;
  switch (story) {
    case 'steady':
    case 'newcomer': {
      openedAt = story === 'newcomer' ? random.int(1, months - 4) : 0;
      let level = Math.min(MAX_ASSETS_FEN, Math.exp(Math.log(MEDIAN_ASSETS_FEN) + LOG_SIGMA * random.normal()));
      const drift = random.between(-0.01, 0.015);
      for (let m = 0; m < months; m++) {
        averages.push(m < openedAt ? 0 : fen(level * Math.exp(0.04 * random.normal())));
        level *= 1 + drift;
      }
      break;
    }
    case 'near': {
      // Just under the line all along: the ones a manager can lift with one phone call.
      const level = threshold * random.between(0.88, 0.99);
      const ceiling = fen(threshold * random.between(0.97, 0.999));
      for (let m = 0; m < months; m++) averages.push(Math.min(ceiling, fen(level * (1 + 0.01 * random.normal()))));
      break;
    }
    case 'grower': {
      // Below the line until the crossing month, above it from then on; crossing in the last
      // month makes an upgrade at the latest assessment.
      const cross = months - 1 - random.pick([0, 0, 0, 1, 2, 4]);
      const start = threshold * random.between(0.45, 0.8);
      const below = threshold * 0.97;
      const after = threshold * random.between(1.02, 1.3);
      for (let m = 0; m < months; m++) {
        if (m < cross) averages.push(fen(start * Math.pow(below / start, cross <= 1 ? 1 : m / (cross - 1))));
        else averages.push(fen(after * (1 + 0.01 * (m - cross))));
      }
      break;
    }
    case 'decliner': {
      // Above the line, then below it for the last `below` months: 3–5 puts the customer on
      // watch, 6 or more (BOC retains 6) ends in a downgrade.
      const belowMonths = random.pick([1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 9]);
      const high = threshold * random.between(1.1, 1.6);
      const low = threshold * random.between(0.4, 0.92);
      for (let m = 0; m < months; m++) {
        const inDecline = m >= months - belowMonths;
        averages.push(fen((inDecline ? low : high) * (1 + 0.01 * random.normal())));
      }
      clampBelow(averages, months - belowMonths, threshold);
      break;
    }
  }
  return { story, targetTier, openedAt, averages };
}

function drawTarget(random: SeededRandom, top: number): number {
  const weights: Record<string, number> = {};
  for (let t = 1; t <= top; t++) weights[String(t)] = TARGET_WEIGHTS[t] ?? 1;
  return Number(random.weighted(weights));
}

/** Noise must not lift a decliner back over the line: the story is "below for n months". */
function clampBelow(averages: Fen[], from: number, threshold: Fen): void {
  for (let m = from; m < averages.length; m++) averages[m] = Math.min(averages[m] as Fen, threshold - 100);
}

function fen(value: number): Fen {
  return Math.max(0, Math.round(value));
}
