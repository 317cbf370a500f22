import type * as v from 'valibot';
import type { GstrStep } from '../../src/errors/GstrError.js';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { AccessTokenSchema } from '../../src/providers/contractSchemas.js';
import type { AccessToken, GstrProvider } from '../../src/providers/GstrProvider.js';
import { parseResponse } from '../../src/schemas/parse.js';
import { secretValuesIn } from '../../src/secrets/redactDeep.js';
import { scrubError } from '../../src/secrets/scrubError.js';
import { traceProviderCall } from '../../src/telemetry/traceChannels.js';
import { isAccessFresh } from '../sessionRules.js';
import { whileRunning } from './whileRunning.js';

/** What an authenticated step needs to run with a fresh access token. */
export interface AccessInput {
  readonly provider: GstrProvider;
  /** Which try of its step this is in the session (1: the first), for the trace points. */
  readonly attempt?: number | undefined;
  readonly access: AccessToken | undefined;
  readonly now: () => number;
  readonly accessTokenSkewMs: number;
}

/**
 * A step's value together with the access token it was made with (possibly renewed; none for
 * a provider without a login).
 */
export interface WithAccess<T> {
  readonly access: AccessToken | undefined;
  readonly value: T;
}

/**
 * Runs one provider call for the machine: follows the state's signal while it runs, and
 * turns any failure into a GstrError with every secret of `input` (and of `extra`, e.g. a
 * renewed access token) blanked. Whatever provider the app plugs in, its errors reach the
 * machine, the logs and the inspector scrubbed.
 */
export async function runProviderCall<T>(
  step: GstrStep,
  input: unknown,
  signal: AbortSignal,
  run: (signal: AbortSignal, extra: Set<string>) => Promise<T>,
): Promise<T> {
  const extra = new Set<string>();
  const fields = input as {
    provider?: { name?: unknown };
    gstin?: unknown;
    attempt?: unknown;
  } | null;
  const provider = fields?.provider?.name;
  const call = {
    provider: typeof provider === 'string' ? provider : 'unknown',
    gstin: typeof fields?.gstin === 'string' ? fields.gstin : undefined,
    attempt: typeof fields?.attempt === 'number' ? fields.attempt : undefined,
  };
  return traceProviderCall(step, call, async () => {
    try {
      return await whileRunning(signal, (live) => run(live, extra));
    } catch (error) {
      throw scrubError(error, step, secretValuesIn(input, extra));
    }
  });
}

/**
 * Logs in through any provider and checks its answer against the provider contract; a
 * provider without a login (its capabilities say so) has no access token.
 */
export async function loginChecked(
  provider: GstrProvider,
  signal: AbortSignal | undefined,
  secrets: Set<string>,
): Promise<AccessToken | undefined> {
  if (!provider.capabilities.login || !provider.login) return undefined;
  const access = parseResponse(AccessTokenSchema, await provider.login({ signal }), 'login');
  secrets.add(access.accessToken);
  return access;
}

/**
 * The one rule of access tokens around a provider call, for the chart's actors and for reads:
 * log in first when the token is missing or about to go stale (`isAccessFresh`, with the
 * sessions' `accessTokenSkewMs`), and after a 401 log in once more and call once more
 * (providers with a login; the others are called as they are). A 401 answers before the call
 * took effect, so the second call cannot send a second SMS; a second 401 is the call's
 * `UnauthorizedError`. Renewed access tokens join `secrets`.
 */
export async function callWithFreshAccess<T>(
  input: AccessInput,
  signal: AbortSignal | undefined,
  secrets: Set<string>,
  call: (access: AccessToken | undefined) => Promise<T>,
): Promise<WithAccess<T>> {
  const hasLogin = input.provider.capabilities.login;
  let access = hasLogin ? input.access : undefined;
  const login = async () => {
    access = await loginChecked(input.provider, signal, secrets);
  };
  if (hasLogin && !isAccessFresh(access, input.accessTokenSkewMs, input.now())) await login();
  try {
    return { access, value: await call(access) };
  } catch (error) {
    if (!hasLogin || !isGstrError(error, 'UnauthorizedError')) throw error;
    await login();
    return { access, value: await call(access) };
  }
}

/**
 * Runs an authenticated step of the chart with a usable access token
 * ({@link callWithFreshAccess}); the step's answer is checked against `schema`.
 */
export function withAccess<S extends v.GenericSchema>(
  step: GstrStep,
  input: AccessInput,
  signal: AbortSignal,
  schema: S,
  call: (access: AccessToken | undefined, signal: AbortSignal) => Promise<unknown>,
): Promise<WithAccess<v.InferOutput<S>>> {
  return runProviderCall(step, input, signal, async (live, secrets) => {
    const { access, value } = await callWithFreshAccess(input, live, secrets, (fresh) =>
      call(fresh, live),
    );
    return { access, value: parseResponse(schema, value, step) };
  });
}
