import { GstrError, type GstrStep, isGstrError } from '../src/errors/GstrError.js';
import { redactText } from '../src/redact.js';
import type { GstrSessionContext } from './gstrSession.types.js';

/** The `error` of an actor's error event (XState types named guards/actions by machine events only). */
export function errorOf(event: unknown): unknown {
  return (event as { error?: unknown }).error;
}

/** The secrets a context holds, for blanking them out of foreign error messages. */
export function secretsOf(context: GstrSessionContext): string[] {
  return [
    context.access?.accessToken,
    context.appKey,
    context.token?.authToken,
    context.token?.sek,
  ].filter((s): s is string => typeof s === 'string');
}

/**
 * Makes any failure a {@link GstrError}. A custom provider may throw its own errors; their
 * message is kept with the session's secrets blanked out.
 */
export function asGstrError(
  error: unknown,
  step: GstrStep,
  context: GstrSessionContext,
): GstrError {
  if (isGstrError(error)) return error;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new GstrError(`${step} failed: ${redactText(what, secretsOf(context))}`, {
    step,
    cause: error,
  });
}
