import type { GstrStep } from '../../src/errors/GstrError.js';
import type { TaxpayerSession } from '../../src/providers/GstrProvider.js';
import { checkExpiresAt } from '../../src/schemas/expiresAt.js';
import type { WithAccess } from './withAccess.js';

/**
 * A token answer from any provider, refused when it is dead on arrival or never dies: the
 * session never resolves `submitOtp()` with a token past its expiry, nor persists `Infinity`.
 * The portal access duration, where reported, is held to the same rule.
 */
export function checkedToken(
  result: WithAccess<TaxpayerSession>,
  step: GstrStep,
  now: number,
): WithAccess<TaxpayerSession> {
  checkExpiresAt(result.value.expiresAt, now, { field: 'expiresAt', step });
  if (result.value.accessExpiresAt !== undefined) {
    checkExpiresAt(result.value.accessExpiresAt, now, { field: 'accessExpiresAt', step });
  }
  return result;
}
