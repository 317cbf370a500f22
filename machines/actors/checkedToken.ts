import type { GstrStep } from '../../src/errors/GstrError.js';
import type { AuthTokenResult } from '../../src/providers/GstrProvider.js';
import { checkExpiresAt } from '../../src/schemas/expiresAt.js';
import type { WithAccess } from './withAccess.js';

/**
 * A token answer from any provider, refused when it is dead on arrival or never dies: the
 * session never resolves `submitOtp()` with a token past its expiry, nor persists `Infinity`.
 */
export function checkedToken(
  result: WithAccess<AuthTokenResult>,
  step: GstrStep,
  now: number,
): WithAccess<AuthTokenResult> {
  checkExpiresAt(result.value.expiresAt, now, { field: 'expiresAt', step });
  return result;
}
