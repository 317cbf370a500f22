import type { GstrStep } from '../errors/GstrError.js';
import { ResponseValidationError } from '../errors/ResponseValidationError.js';
import { MAX_EPOCH_MS } from '../time/delays.js';

/**
 * Checks a token's expiry as the provider gave it: a finite epoch-ms time after `receivedAt`
 * and within the `Date` range. A token that is dead on arrival (an `expiry` of 0, negative or
 * in the past) or that never dies (`Infinity`, beyond year 275 760) is a broken answer, never
 * a token: it would be handed out expired, trigger an unasked SMS, or fail to persist.
 */
export function checkExpiresAt(
  expiresAt: number,
  receivedAt: number,
  where: { readonly field: string; readonly step: GstrStep },
): number {
  const problem = !Number.isFinite(expiresAt)
    ? 'is not a finite time'
    : expiresAt <= receivedAt
      ? 'is not in the future'
      : expiresAt > MAX_EPOCH_MS
        ? 'is beyond the range of a date'
        : undefined;
  if (problem) throw new ResponseValidationError(where.field, problem, { step: where.step });
  return expiresAt;
}
