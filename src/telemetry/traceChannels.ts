import type * as DiagnosticsChannel from 'node:diagnostics_channel';
import { type ErrorSummary, errorSummaryOf } from './errorSummary.js';

/**
 * The trace points of the library, on Node.js's `diagnostics_channel`: an app (or the
 * OpenTelemetry bridge, `gstr-session/otel`) subscribes by these names. Nothing is built or
 * sent while nobody listens. No message carries a secret or an OTP, nor a GSTIN unless the
 * app allowed it ({@link allowGstinInTraces}).
 */
export const TRACE_CHANNELS = {
  /** A provider call begins: `{ id, step, provider, gstin?, attempt? }`. */
  providerCallStart: 'gstr-session:provider-call:start',
  /** It ended well: `{ id, step, provider, gstin?, durationMs }`. */
  providerCallEnd: 'gstr-session:provider-call:end',
  /** It failed: `{ id, step, provider, gstin?, durationMs, error: { name, code, status?, providerCode? } }`. */
  providerCallError: 'gstr-session:provider-call:error',
  /** A session moved: `{ from, to }` (state names). */
  state: 'gstr-session:state',
  /** A worker took a fleet lock (a session's, or the account's login): `{ lock, waitedMs, outcome }`. */
  lockWait: 'gstr-session:lock-wait',
  /** The account's gate held or refused an auth call: `{ step, outcome, waitedMs, why? }`. */
  gate: 'gstr-session:gate',
  /** A worker claimed due sessions from the shared schedule: `{ claimed, limit }`. */
  scheduleClaim: 'gstr-session:schedule-claim',
} as const;

/** A fleet lock taken (or given up): how long the worker waited for it. */
export interface LockWaitTrace {
  readonly lock: 'session' | 'login';
  readonly waitedMs: number;
  /** `acquired`; `superseded` (another worker's commit made the call needless); `gaveUp`. */
  readonly outcome: 'acquired' | 'superseded' | 'gaveUp';
}

/**
 * What the account's gate did to an auth call: `admitted` after a wait (`why`: `inFlight`,
 * `rate`, `held`...), refused as `circuitOpen` or `rateLimited` (waited past `maxWaitMs`), or
 * `held`: a provider's rate limit now holds every call for `waitedMs`.
 */
export interface GateTrace {
  readonly step: string;
  readonly outcome: 'admitted' | 'circuitOpen' | 'rateLimited' | 'held';
  readonly waitedMs: number;
  readonly why?: string | undefined;
}

/** A batch of due sessions a worker claimed from the shared schedule. */
export interface ScheduleClaimTrace {
  readonly claimed: number;
  readonly limit: number;
}

/** What a provider call's messages say of it. */
export interface ProviderCallTrace {
  readonly id: number;
  readonly step: string;
  readonly provider: string;
  /** The session's GSTIN, only while the app allows it (none for the account's login). */
  readonly gstin?: string | undefined;
  /** Which try of its step this is in the session (1: the first; a resend, a retry count up). */
  readonly attempt?: number | undefined;
  readonly durationMs?: number;
  readonly error?: ErrorSummary;
}

// Reached through the runtime, not imported: the core runs in browsers too, where there is
// no diagnostics_channel and every trace point is a no-op.
const dc = (
  globalThis as {
    process?: { getBuiltinModule?: (name: string) => unknown };
  }
).process?.getBuiltinModule?.('node:diagnostics_channel') as typeof DiagnosticsChannel | undefined;

const channels = dc
  ? {
      start: dc.channel(TRACE_CHANNELS.providerCallStart),
      end: dc.channel(TRACE_CHANNELS.providerCallEnd),
      error: dc.channel(TRACE_CHANNELS.providerCallError),
      state: dc.channel(TRACE_CHANNELS.state),
      lockWait: dc.channel(TRACE_CHANNELS.lockWait),
      gate: dc.channel(TRACE_CHANNELS.gate),
      scheduleClaim: dc.channel(TRACE_CHANNELS.scheduleClaim),
    }
  : undefined;

let lastId = 0;
/** How many parts of the app allowed GSTINs in trace messages now. */
let gstinAllowed = 0;

/**
 * Lets provider-call trace messages carry the session's GSTIN (a taxpayer's public registry
 * number, but one that names a business) until the returned function is called. Off by
 * default: a subscriber the app did not mean to tell (an agent listening to every channel)
 * never learns whose session it is. `gstr-session/otel` calls it for `includeGstin: true`.
 */
export function allowGstinInTraces(): () => void {
  gstinAllowed += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    gstinAllowed -= 1;
  };
}

/**
 * Runs one provider call under the provider-call trace points (start, then end or error,
 * with its duration). `run`'s failure must already be scrubbed: only its class, code and
 * statuses are published, never its message.
 */
export async function traceProviderCall<T>(
  step: string,
  call: {
    readonly provider: string;
    readonly gstin?: string | undefined;
    readonly attempt?: number | undefined;
  },
  run: () => Promise<T>,
): Promise<T> {
  const { provider, gstin, attempt } = call;
  if (
    !channels ||
    !(channels.start.hasSubscribers || channels.end.hasSubscribers || channels.error.hasSubscribers)
  )
    return run();
  lastId += 1;
  const id = lastId;
  const who = {
    ...(gstinAllowed > 0 && gstin !== undefined ? { gstin } : {}),
    ...(attempt === undefined ? {} : { attempt }),
  };
  const startedAt = performance.now();
  channels.start.publish({ id, step, provider, ...who } satisfies ProviderCallTrace);
  try {
    const value = await run();
    const durationMs = performance.now() - startedAt;
    channels.end.publish({ id, step, provider, ...who, durationMs } satisfies ProviderCallTrace);
    return value;
  } catch (error) {
    const durationMs = performance.now() - startedAt;
    channels.error.publish({
      id,
      step,
      provider,
      ...who,
      durationMs,
      error: errorSummaryOf(error),
    } satisfies ProviderCallTrace);
    throw error;
  }
}

/** Publishes a session's move from one state to another (when someone listens). */
export function traceState(from: string, to: string): void {
  if (channels?.state.hasSubscribers) channels.state.publish({ from, to });
}

/** Publishes a fleet lock's wait (when someone listens). */
export function traceLockWait(message: LockWaitTrace): void {
  if (channels?.lockWait.hasSubscribers) channels.lockWait.publish(message);
}

/** Publishes what the account's gate did to a call (when someone listens). */
export function traceGate(message: GateTrace): void {
  if (channels?.gate.hasSubscribers) channels.gate.publish(message);
}

/** Publishes a claim of due sessions (when someone listens). */
export function traceScheduleClaim(message: ScheduleClaimTrace): void {
  if (channels?.scheduleClaim.hasSubscribers) channels.scheduleClaim.publish(message);
}
