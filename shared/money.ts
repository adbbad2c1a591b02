/**
 * Money is integer fen (分) inside the engine and decimal yuan (元, ≤ 2 places) outside.
 * Fen are held in JS numbers that are always safe integers: every value entering is
 * checked against MAX_AMOUNT_FEN, which keeps every sum the engine forms (at most 12
 * months of day-sums, thresholds × 366 days) far below 2^53, so arithmetic stays exact.
 */
export type Fen = number;

/** 1,000,000,000,000 yuan: larger than any single customer figure a bank reports. */
export const MAX_AMOUNT_FEN: Fen = 100_000_000_000_000;

const YUAN_PATTERN = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

export type YuanParse =
  | { ok: true; fen: Fen }
  | { ok: false; problem: 'not-a-number' | 'too-many-decimals' | 'too-large' };

/**
 * Reads an amount in yuan, given as a JSON number or a decimal string, into fen without
 * ever going through floating-point arithmetic: a number is read by its shortest decimal
 * spelling (what JSON.parse saw), so `1234.1` is exactly 123410 fen.
 */
export function parseYuan(input: unknown): YuanParse {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, problem: 'not-a-number' };
    text = String(input);
    if (/e/i.test(text)) {
      // Shortest spelling uses an exponent only beyond 1e21 or below 1e-6: never a valid amount.
      return { ok: false, problem: Math.abs(input) >= 1 ? 'too-large' : 'too-many-decimals' };
    }
  } else if (typeof input === 'string') {
    text = input.trim().replace(/,/g, '');
  } else {
    return { ok: false, problem: 'not-a-number' };
  }
  const decimalsMatch = /^-?\d+\.(\d+)$/.exec(text);
  if (decimalsMatch && (decimalsMatch[1] as string).length > 2) return { ok: false, problem: 'too-many-decimals' };
  const match = YUAN_PATTERN.exec(text);
  if (!match) return { ok: false, problem: 'not-a-number' };
  const wholeDigits = (match[2] as string).replace(/^0+(?=\d)/, '');
  if (wholeDigits.length > 13) return { ok: false, problem: 'too-large' };
  const cents = ((match[3] ?? '') + '00').slice(0, 2);
  const magnitude = Number(wholeDigits) * 100 + Number(cents);
  if (magnitude > MAX_AMOUNT_FEN) return { ok: false, problem: 'too-large' };
  return { ok: true, fen: match[1] && magnitude !== 0 ? -magnitude : magnitude };
}

/** Formats fen as yuan with exactly two decimals: 12345 → "123.45", -5 → "-0.05". */
export function formatYuan(fen: Fen): string {
  const negative = fen < 0;
  const magnitude = negative ? -fen : fen;
  const whole = Math.floor(magnitude / 100);
  const cents = magnitude - whole * 100;
  return `${negative ? '-' : ''}${whole}.${cents < 10 ? '0' : ''}${cents}`;
}

/** Integer ceiling division by a positive divisor, exact for safe integers. */
export function ceilDiv(numerator: number, divisor: number): number {
  return -floorDiv(-numerator, divisor);
}

/** Integer floor division, exact for safe integers (Math.floor of the float quotient can be off by one near 2^53; we correct it). */
export function floorDiv(numerator: number, divisor: number): number {
  let quotient = Math.floor(numerator / divisor);
  if (quotient * divisor > numerator) quotient -= 1;
  else if ((quotient + 1) * divisor <= numerator) quotient += 1;
  return quotient;
}
