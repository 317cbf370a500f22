import type * as DiagnosticsChannel from 'node:diagnostics_channel';
import { type ErrorSummary, errorSummaryOf } from './errorSummary.js';

/**
 * The trace points of the library, on Node.js's `diagnostics_channel`: an app (or an
 * OpenTelemetry bridge) subscribes by these names. Nothing is built or sent while nobody
 * listens. No message carries a secret, an OTP or a GSTIN.
 */
export const TRACE_CHANNELS = {
  /** A provider call begins: `{ id, step, provider }`. */
  providerCallStart: 'gstr-session:provider-call:start',
  /** It ended well: `{ id, step, provider, durationMs }`. */
  providerCallEnd: 'gstr-session:provider-call:end',
  /** It failed: `{ id, step, provider, durationMs, error: { name, code, status?, providerCode? } }`. */
  providerCallError: 'gstr-session:provider-call:error',
  /** A session moved: `{ from, to }` (state names). */
  state: 'gstr-session:state',
} as const;

/** What a provider call's messages say of it. */
export interface ProviderCallTrace {
  readonly id: number;
  readonly step: string;
  readonly provider: string;
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
    }
  : undefined;

let lastId = 0;

/**
 * Runs one provider call under the provider-call trace points (start, then end or error,
 * with its duration). `run`'s failure must already be scrubbed: only its class, code and
 * statuses are published, never its message.
 */
export async function traceProviderCall<T>(
  step: string,
  provider: string,
  run: () => Promise<T>,
): Promise<T> {
  if (
    !channels ||
    !(channels.start.hasSubscribers || channels.end.hasSubscribers || channels.error.hasSubscribers)
  )
    return run();
  lastId += 1;
  const id = lastId;
  const startedAt = performance.now();
  channels.start.publish({ id, step, provider } satisfies ProviderCallTrace);
  try {
    const value = await run();
    const durationMs = performance.now() - startedAt;
    channels.end.publish({ id, step, provider, durationMs } satisfies ProviderCallTrace);
    return value;
  } catch (error) {
    const durationMs = performance.now() - startedAt;
    channels.error.publish({
      id,
      step,
      provider,
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
