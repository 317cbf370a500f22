import * as dc from 'node:diagnostics_channel';
import type { SessionManager } from '../manager/types.js';
import type { GateTrace, ProviderCallTrace } from '../telemetry/traceChannels.js';
import { TRACE_CHANNELS } from '../telemetry/traceChannels.js';
import {
  isRefreshStep,
  isRoundCompletion,
  isRoundStart,
  isSmsStep,
} from '../telemetry/traceFacts.js';

/** The figures at the top of the console: what an operator asks on a bad day. */
export interface ConsoleFigures {
  /** Since when the figures count (the console's start). */
  readonly since: number;
  /** Sessions this worker holds, by state. */
  readonly sessionsByState: Readonly<Record<string, number>>;
  readonly smsSent: number;
  readonly otpRoundsStarted: number;
  readonly otpRoundsCompleted: number;
  readonly refreshesOk: number;
  readonly refreshesFailed: number;
  readonly providerCalls: number;
  readonly providerErrors: number;
  /** The most frequent failures, by class and code (GSTN's where there is one): is it us or GSTN? */
  readonly topErrors: readonly { readonly what: string; readonly count: number }[];
  /** Calls the account's gate refused (circuit breaker open, rate limit past the wait). */
  readonly gateRefusals: number;
}

/** Counts the trace points of this process for the console's figures, until stopped. */
export function consoleFigures(manager: SessionManager, now: () => number) {
  const since = now();
  const counts = {
    smsSent: 0,
    otpRoundsStarted: 0,
    otpRoundsCompleted: 0,
    refreshesOk: 0,
    refreshesFailed: 0,
    providerCalls: 0,
    providerErrors: 0,
    gateRefusals: 0,
  };
  const errors = new Map<string, number>();
  const handlers: [string, (message: unknown) => void][] = [
    [
      TRACE_CHANNELS.providerCallEnd,
      (message) => {
        const { step } = message as ProviderCallTrace;
        counts.providerCalls += 1;
        if (isSmsStep(step)) counts.smsSent += 1;
        if (isRefreshStep(step)) counts.refreshesOk += 1;
      },
    ],
    [
      TRACE_CHANNELS.providerCallError,
      (message) => {
        const { step, error } = message as ProviderCallTrace;
        counts.providerCalls += 1;
        counts.providerErrors += 1;
        if (isRefreshStep(step)) counts.refreshesFailed += 1;
        const what = `${error?.name ?? 'Error'} ${error?.providerCode ?? error?.code ?? ''}`.trim();
        errors.set(what, (errors.get(what) ?? 0) + 1);
      },
    ],
    [
      TRACE_CHANNELS.state,
      (message) => {
        const { from, to } = message as { from: string; to: string };
        if (isRoundStart(from, to)) counts.otpRoundsStarted += 1;
        if (isRoundCompletion(from, to)) counts.otpRoundsCompleted += 1;
      },
    ],
    [
      TRACE_CHANNELS.gate,
      (message) => {
        const { outcome } = message as GateTrace;
        if (outcome === 'circuitOpen' || outcome === 'rateLimited') counts.gateRefusals += 1;
      },
    ],
  ];
  for (const [name, handler] of handlers) dc.subscribe(name, handler);
  return {
    /** The figures now. */
    read(): ConsoleFigures {
      const sessionsByState: Record<string, number> = {};
      for (const { state } of manager.list())
        sessionsByState[state] = (sessionsByState[state] ?? 0) + 1;
      const topErrors = [...errors]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([what, count]) => ({ what, count }));
      return { since, sessionsByState, ...counts, topErrors };
    },
    stop(): void {
      for (const [name, handler] of handlers) dc.unsubscribe(name, handler);
    },
  };
}
