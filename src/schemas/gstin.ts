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

/**
 * A GSTIN: ASCII only (checked first, so that lookalikes such as `ſ`, `ı` or `ﬀ` cannot
 * upper-case into ASCII letters), trimmed, upper-cased, then checked for its 15-character
 * shape and its check character. Messages never repeat the value.
 */
export const GstinSchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^[\x20-\x7e\t\r\n]*$/, 'must contain only ASCII characters'),
  v.trim(),
  v.toUpperCase(),
  v.length(15, 'must be 15 characters'),
  v.regex(GSTIN_PATTERN, 'does not have the shape of a GSTIN'),
  v.check(
    (gstin) => gstinCheckCharacter(gstin.slice(0, 14)) === gstin.charAt(14),
    'has a wrong check character',
  ),
);

/**
 * Whether a GSTIN is accepted by the session: exactly what {@link GstinSchema} accepts
 * (surrounding whitespace and lower case are normalised; anything non-ASCII is refused).
 *
 * @example
 * ```ts
 * isValidGstin('27AAPFU0939F1ZV'); // true
 * isValidGstin('27AAPFU0939F1ZX'); // false: wrong check character
 * ```
 */
export function isValidGstin(gstin: unknown): boolean {
  return v.is(GstinSchema, gstin);
}
