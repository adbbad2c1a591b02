import type { Fen } from '../money.js';

/**
 * Day rates to CNY, held exactly as integers of 1/1,000,000 (rates are published to at most
 * six decimals). Conversion is done once, at ingest, with the day's rate; the engine only
 * ever sees CNY-equivalent fen.
 */
export const RATE_SCALE = 1_000_000n;

/** "7.123456" → 7123456n; null when it is not a positive decimal with ≤ 6 places. */
export function parseRate(text: string): bigint | null {
  const match = /^(\d{1,6})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) return null;
  const micro = BigInt(match[1] as string) * RATE_SCALE + BigInt(((match[2] ?? '') + '000000').slice(0, 6));
  return micro > 0n ? micro : null;
}

export type Rates = ReadonlyMap<string, bigint>;

/** Amount in CNY fen, rounded half away from zero to the fen; CNY passes unchanged; null when the day has no rate. */
export function toCnyFen(amount: Fen, currency: string, rates: Rates): Fen | null {
  if (currency === 'CNY') return amount;
  const rate = rates.get(currency);
  if (rate === undefined) return null;
  const scaled = BigInt(amount) * rate;
  const negative = scaled < 0n;
  const magnitude = negative ? -scaled : scaled;
  const rounded = (magnitude + RATE_SCALE / 2n) / RATE_SCALE;
  return Number(negative ? -rounded : rounded);
}
