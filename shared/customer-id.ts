/**
 * What a customer number (客户号) may be. It names the customer's document in the store
 * (customers/{customerId}), so it must be a valid Firestore document id: no "/", not "." or
 * "..", not of the reserved form __…__, at most 1,500 bytes. A core-banking customer number is
 * far shorter; 100 characters of printable text is the rule, so a pasted paragraph, a stray
 * control character or mojibake of a whole line is refused where it is read, with why, and
 * never reaches the store to fail a whole batch there.
 */

export const MAX_CUSTOMER_ID_LENGTH = 100;

/** Why `id` cannot be a customer number (English, for logs and reject files), or null when it can. */
export function customerIdProblem(id: string): string | null {
  if (id === '') return 'is empty';
  if (id.length > MAX_CUSTOMER_ID_LENGTH) return `is ${id.length} characters long; a customer number has at most ${MAX_CUSTOMER_ID_LENGTH}`;
  if (id.includes('/')) return 'must not contain "/"';
  if (id === '.' || id === '..') return 'must not be "." or ".."';
  if (/^__.*__$/.test(id)) return 'must not be of the form __…__ (reserved)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) return 'must not contain control characters';
  if (!isWellFormed(id)) return 'is not valid text (a lone UTF-16 surrogate)';
  return null;
}

function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}
