import { isGstrError } from '../../src/errors/GstrError.js';
import type { AccessToken, GstrProvider } from '../../src/providers/GstrProvider.js';
import { whileRunning } from './whileRunning.js';

/** What an authenticated step needs to run with a fresh access token. */
export interface AccessInput {
  readonly provider: GstrProvider;
  readonly access: AccessToken | undefined;
  readonly now: () => number;
  readonly accessTokenSkewMs: number;
}

/** A step's value together with the access token it was made with (possibly renewed). */
export interface WithAccess<T> {
  readonly access: AccessToken;
  readonly value: T;
}

/**
 * Runs an authenticated step with a usable access token: logs in first when the token is
 * missing or about to go stale, and after a 401 logs in once more and retries the step once.
 * A 401 answers before the step took effect, so the retry cannot send a second SMS; a second
 * 401 is the step's `UnauthorizedError`.
 */
export function withAccess<T>(
  input: AccessInput,
  signal: AbortSignal,
  step: (access: AccessToken, signal: AbortSignal) => Promise<T>,
): Promise<WithAccess<T>> {
  return whileRunning(signal, (live) => withAccessNow(input, live, step));
}

async function withAccessNow<T>(
  input: AccessInput,
  signal: AbortSignal,
  step: (access: AccessToken, signal: AbortSignal) => Promise<T>,
): Promise<WithAccess<T>> {
  let access = input.access;
  if (!access || access.expiresAt - input.accessTokenSkewMs <= input.now()) {
    access = await input.provider.login({ signal });
  }
  try {
    return { access, value: await step(access, signal) };
  } catch (error) {
    if (!isGstrError(error, 'UnauthorizedError')) throw error;
    const renewed = await input.provider.login({ signal });
    return { access: renewed, value: await step(renewed, signal) };
  }
}
