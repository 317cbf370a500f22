import * as v from 'valibot';

/** The 36 characters of GSTIN's check-character alphabet, in value order. */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The common shape: state code, PAN, entity number, `Z` (or a digit/letter), check character. */
const GSTIN_PATTERN = /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z][Z1-9ABD-J][0-9A-Z]$/;

/**
 * Computes the GSTIN check character (mod 36, weights 1,2,1,2... from the left) for the
 * first 14 characters of a GSTIN. Returns `undefined` when a character is outside `0-9A-Z`.
 *
 * @example
 * ```ts
 * gstinCheckCharacter('27AAPFU0939F1Z'); // 'V'
 * ```
 */
export function gstinCheckCharacter(first14: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < first14.length; i++) {
    const value = ALPHABET.indexOf(first14.charAt(i));
    if (value < 0) return undefined;
    const product = value * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return ALPHABET.charAt((36 - (sum % 36)) % 36);
}

/** Whether a normalised (trimmed, upper-case) GSTIN has the right shape and check character. */
export function isValidGstin(gstin: string): boolean {
  return GSTIN_PATTERN.test(gstin) && gstinCheckCharacter(gstin.slice(0, 14)) === gstin.charAt(14);
}

/**
 * A GSTIN: trimmed, upper-cased, then checked for its 15-character shape and its check
 * character. Messages never repeat the value.
 */
export const GstinSchema = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.toUpperCase(),
  v.length(15, 'must be 15 characters'),
  v.regex(GSTIN_PATTERN, 'does not have the shape of a GSTIN'),
  v.check(
    (gstin) => gstinCheckCharacter(gstin.slice(0, 14)) === gstin.charAt(14),
    'has a wrong check character',
  ),
);
