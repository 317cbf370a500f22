/**
 * How a provider's `result.expiry` is to be read. GSTN's is minutes of lifetime (normally
 * 360); the Signzy docs do not say, so the unit is an option.
 */
export type ExpiryUnit = 'minutes' | 'seconds' | 'epoch-ms';

/** Every {@link ExpiryUnit}. */
export const EXPIRY_UNITS: readonly ExpiryUnit[] = ['minutes', 'seconds', 'epoch-ms'];

/** Turns a provider's `expiry` into an absolute expiry time in epoch milliseconds. */
export function toExpiresAt(expiry: number, unit: ExpiryUnit, receivedAt: number): number {
  switch (unit) {
    case 'minutes':
      return receivedAt + expiry * 60_000;
    case 'seconds':
      return receivedAt + expiry * 1_000;
    case 'epoch-ms':
      return expiry;
  }
}
