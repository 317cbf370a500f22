import type { GstrError, GstrStep } from '../src/errors/GstrError.js';
import { secretValuesIn } from '../src/secrets/redactDeep.js';
import { scrubError } from '../src/secrets/scrubError.js';
import type { GstrSessionContext } from './gstrSession.types.js';

/** The `error` of an actor's error event (XState types named guards/actions by machine events only). */
export function errorOf(event: unknown): unknown {
  return (event as { error?: unknown }).error;
}

/**
 * Makes any failure a {@link GstrError} that holds none of the secrets the context holds
 * (access token, appKey, auth token, sek), whatever provider raised it.
 */
export function asGstrError(
  error: unknown,
  step: GstrStep,
  context: GstrSessionContext,
): GstrError {
  return scrubError(error, step, secretValuesIn(context));
}
