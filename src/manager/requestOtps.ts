import * as v from 'valibot';
import { isGstrError } from '../errors/isGstrError.js';
import { AbortSignalSchema, countSchema, TimeoutMsSchema } from '../schemas/options.js';
import { parseOptions } from '../schemas/parse.js';
import type { SessionKey } from '../stores/SessionStore.js';
import type { ManagedSession, OtpRequestOutcome, RequestOtpsOptions } from './types.js';

/** Options of `manager.requestOtps` (see {@link RequestOtpsOptions}). */
export const RequestOtpsOptionsSchema = v.optional(
  v.object(
    {
      concurrency: v.optional(countSchema(1, 64)),
      timeoutMs: v.optional(TimeoutMsSchema),
      signal: v.optional(AbortSignalSchema),
      onOutcome: v.optional(v.function('must be a function')),
    },
    'must be an object',
  ),
);

/** What `requestOtps` needs of its manager. */
export interface OtpRequestHost {
  /** The session of a key, its stored record read first (so its state is the real one). */
  ready(key: SessionKey): Promise<ManagedSession>;
  /** Checks a key (GSTIN, username) as `get` does, before anything is sent. */
  check(key: SessionKey): SessionKey;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 120_000;

/** Whether an error is a refusal (an answer) rather than a failure to get one. */
const isRefusal = (error: unknown) =>
  isGstrError(error, 'OtpResendRefusedError') ||
  isGstrError(error, 'UnauthorizedError') ||
  isGstrError(error, 'AccessNotEnabledError') ||
  isGstrError(error, 'RateLimitedError');

/** Starts one OTP round where one is needed, and waits until its SMS is out or it failed. */
async function requestOne(
  session: ManagedSession,
  timeoutMs: number,
): Promise<Omit<OtpRequestOutcome, 'gstin' | 'username'>> {
  const state = session.state;
  if (state === 'authenticated' || state === 'refreshing') return { outcome: 'authenticated' };
  if (state === 'otpRequested' || state === 'verifyingOtp')
    return { outcome: 'pending', otpExpiresAt: session.snapshot.context.otpExpiresAt };
  if (state === 'otpExpired') {
    await session.resendOtp({ timeoutMs });
    return { outcome: 'requested', otpExpiresAt: session.snapshot.context.otpExpiresAt };
  }
  // Listening first: the SMS or the failure may come before the call returns.
  const stop = new AbortController();
  const sent = session.once('otp.required', { timeoutMs, signal: stop.signal });
  const failed = session.once('session.failed', { timeoutMs, signal: stop.signal });
  sent.catch(() => {});
  failed.catch(() => {});
  try {
    if (state === 'expired') session.reauthenticate();
    else if (state === 'loggedOut' || state === 'failed') session.start();
    // Else a round is under way (logging in, requesting): its outcome is waited for.
    const first = await Promise.race([
      sent.then((event) => ({ sent: event })),
      failed.then((event) => ({ failed: event })),
    ]);
    if ('failed' in first) throw first.failed.error;
    return { outcome: 'requested', otpExpiresAt: first.sent.otpExpiresAt };
  } finally {
    stop.abort();
  }
}

/**
 * Starts an OTP round for each session that needs one, `concurrency` at a time, and reports
 * each outcome: never a second SMS to a taxpayer whose OTP is still valid, none to one who is
 * authenticated. Every key is checked before anything is sent.
 */
export async function requestOtps(
  host: OtpRequestHost,
  keys: readonly SessionKey[],
  options?: RequestOtpsOptions,
): Promise<OtpRequestOutcome[]> {
  parseOptions(RequestOtpsOptionsSchema, options, 'requestOtps');
  const checked = keys.map((key) => host.check(key));
  const concurrency = options?.concurrency ?? DEFAULT_CONCURRENCY;
  const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const outcomes: OtpRequestOutcome[] = new Array(checked.length);
  let next = 0;
  const report = (index: number, outcome: OtpRequestOutcome) => {
    outcomes[index] = outcome;
    try {
      options?.onOutcome?.(outcome);
    } catch {
      // The app's progress callback is not the round's outcome.
    }
  };
  const worker = async () => {
    for (let index = next++; index < checked.length; index = next++) {
      const key = checked[index] as SessionKey;
      if (options?.signal?.aborted) {
        report(index, { ...key, outcome: 'skipped' });
        continue;
      }
      try {
        const session = await host.ready(key);
        report(index, { ...key, ...(await requestOne(session, timeoutMs)) });
      } catch (error) {
        report(index, { ...key, outcome: isRefusal(error) ? 'refused' : 'failed', error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, checked.length) }, worker));
  return outcomes;
}
