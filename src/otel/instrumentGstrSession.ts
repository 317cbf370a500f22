import * as dc from 'node:diagnostics_channel';
import {
  type Attributes,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type { SessionManager } from '../manager/types.js';
import type {
  GateTrace,
  LockWaitTrace,
  ProviderCallTrace,
  ScheduleClaimTrace,
} from '../telemetry/traceChannels.js';
import { allowGstinInTraces, TRACE_CHANNELS } from '../telemetry/traceChannels.js';
import {
  isRefreshStep,
  isRoundCompletion,
  isRoundStart,
  isSmsStep,
} from '../telemetry/traceFacts.js';
import { VERSION } from '../version.js';
import { OTEL_SPAN_ATTRIBUTES as A, OTEL_METRICS } from './otelNames.js';

/** Options of {@link instrumentGstrSession}. */
export interface GstrOtelOptions {
  /** Where spans go. Default the global tracer provider (`trace.setGlobalTracerProvider`). */
  readonly tracerProvider?: TracerProvider;
  /** Where metrics go. Default the global meter provider. */
  readonly meterProvider?: MeterProvider;
  /** Put the session's GSTIN on provider-call spans (`gstr.gstin`). Default false. */
  readonly includeGstin?: boolean;
  /** Managers whose sessions are counted by state (`gstr.sessions`). Default none. */
  readonly managers?: readonly SessionManager[];
}

/** What {@link instrumentGstrSession} returns: stop it to unsubscribe. */
export interface GstrOtelInstrumentation {
  /** Unsubscribes from every trace point; spans in flight are ended as they come. */
  stop(): void;
}

const seconds = (ms: number) => ms / 1000;

/**
 * Maps the library's trace points (`TRACE_CHANNELS`) to OpenTelemetry: a span per provider
 * call (step, provider, HTTP status, GSTN code, duration; never a secret or an OTP, the GSTIN
 * only with `includeGstin`), and the metrics an operator watches (`OTEL_METRICS`). Spans start
 * in the caller's active context, so they nest under the app's own. Nothing is recorded before
 * this is called, and the trace points cost nothing while nobody listens.
 *
 * @example
 * ```ts
 * import { instrumentGstrSession } from 'gstr-session/otel';
 * const otel = instrumentGstrSession({ managers: [manager] }); // global providers
 * // ...
 * otel.stop();
 * ```
 */
export function instrumentGstrSession(options: GstrOtelOptions = {}): GstrOtelInstrumentation {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
    'gstr-session',
    VERSION,
  );
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(
    'gstr-session',
    VERSION,
  );
  const calls = meter.createCounter(OTEL_METRICS.providerCalls, {
    description: 'Provider calls by step and outcome',
  });
  const callDuration = meter.createHistogram(OTEL_METRICS.providerCallDuration, {
    description: 'How long provider calls took',
    unit: 's',
  });
  const sms = meter.createCounter(OTEL_METRICS.smsSent, {
    description: 'OTP requests the provider accepted (an SMS to a taxpayer each)',
  });
  const roundsStarted = meter.createCounter(OTEL_METRICS.otpRoundsStarted, {
    description: 'OTP rounds started',
  });
  const roundsCompleted = meter.createCounter(OTEL_METRICS.otpRoundsCompleted, {
    description: 'OTP rounds completed with a token',
  });
  const refreshes = meter.createCounter(OTEL_METRICS.refreshes, {
    description: 'Token refreshes by outcome',
  });
  const transitions = meter.createCounter(OTEL_METRICS.stateTransitions, {
    description: 'Moves of sessions between states',
  });
  const lockWait = meter.createHistogram(OTEL_METRICS.lockWait, {
    description: 'Waits for a fleet lock',
    unit: 's',
  });
  const gateEvents = meter.createCounter(OTEL_METRICS.gateEvents, {
    description: "What the account's gate did to auth calls",
  });
  const gateWait = meter.createHistogram(OTEL_METRICS.gateWait, {
    description: "How long the account's gate held auth calls",
    unit: 's',
  });
  const claimed = meter.createCounter(OTEL_METRICS.scheduleClaimed, {
    description: 'Due sessions claimed from the shared schedule',
  });
  const managers = options.managers ?? [];
  const sessions = meter.createObservableGauge(OTEL_METRICS.sessions, {
    description: 'Sessions held by the instrumented managers, by state',
  });
  const observeSessions = (result: {
    observe(value: number, attributes?: Attributes): void;
  }): void => {
    const byState = new Map<string, number>();
    for (const manager of managers)
      for (const { state } of manager.list()) byState.set(state, (byState.get(state) ?? 0) + 1);
    for (const [state, count] of byState) result.observe(count, { 'gstr.state': state });
  };
  if (managers.length > 0) sessions.addCallback(observeSessions);

  const open = new Map<number, Span>();
  const callAttributes = (m: ProviderCallTrace): Attributes => ({
    [A.step]: m.step,
    [A.provider]: m.provider,
  });

  const handlers: [string, (message: unknown) => void][] = [
    [
      TRACE_CHANNELS.providerCallStart,
      (message) => {
        const m = message as ProviderCallTrace;
        const attributes = callAttributes(m);
        if (options.includeGstin && m.gstin) attributes[A.gstin] = m.gstin;
        if (m.attempt !== undefined) attributes[A.attempt] = m.attempt;
        open.set(
          m.id,
          tracer.startSpan(`gstr-session ${m.step}`, { kind: SpanKind.CLIENT, attributes }),
        );
      },
    ],
    [
      TRACE_CHANNELS.providerCallEnd,
      (message) => {
        const m = message as ProviderCallTrace;
        const outcome = { ...callAttributes(m), 'gstr.outcome': 'ok' };
        calls.add(1, outcome);
        callDuration.record(seconds(m.durationMs ?? 0), outcome);
        if (isSmsStep(m.step)) sms.add(1, { [A.provider]: m.provider });
        if (isRefreshStep(m.step)) refreshes.add(1, { 'gstr.outcome': 'ok' });
        open.get(m.id)?.end();
        open.delete(m.id);
      },
    ],
    [
      TRACE_CHANNELS.providerCallError,
      (message) => {
        const m = message as ProviderCallTrace;
        const error = m.error;
        const failure: Attributes = {
          ...(error ? { [A.errorType]: error.name } : {}),
          ...(error?.code ? { [A.errorCode]: error.code } : {}),
          ...(error?.status ? { [A.httpStatus]: error.status } : {}),
          ...(error?.providerCode ? { [A.gstnCode]: error.providerCode } : {}),
        };
        const outcome = { ...callAttributes(m), 'gstr.outcome': 'error' };
        calls.add(1, { ...outcome, ...failure });
        callDuration.record(seconds(m.durationMs ?? 0), outcome);
        if (isRefreshStep(m.step)) refreshes.add(1, { 'gstr.outcome': 'error' });
        const span = open.get(m.id);
        open.delete(m.id);
        if (!span) return;
        span.setAttributes(failure);
        // The code, never the message: a provider's message may quote what it was sent.
        span.setStatus({ code: SpanStatusCode.ERROR, message: error?.code ?? error?.name ?? '' });
        span.end();
      },
    ],
    [
      TRACE_CHANNELS.state,
      (message) => {
        const { from, to } = message as { from: string; to: string };
        transitions.add(1, { 'gstr.from': from, 'gstr.to': to });
        if (isRoundStart(from, to)) roundsStarted.add(1);
        if (isRoundCompletion(from, to)) roundsCompleted.add(1);
      },
    ],
    [
      TRACE_CHANNELS.lockWait,
      (message) => {
        const m = message as LockWaitTrace;
        lockWait.record(seconds(m.waitedMs), { 'gstr.lock': m.lock, 'gstr.outcome': m.outcome });
      },
    ],
    [
      TRACE_CHANNELS.gate,
      (message) => {
        const m = message as GateTrace;
        const attributes = {
          [A.step]: m.step,
          'gstr.outcome': m.outcome,
          ...(m.why ? { 'gstr.why': m.why } : {}),
        };
        gateEvents.add(1, attributes);
        if (m.outcome === 'admitted') gateWait.record(seconds(m.waitedMs), attributes);
      },
    ],
    [
      TRACE_CHANNELS.scheduleClaim,
      (message) => claimed.add((message as ScheduleClaimTrace).claimed),
    ],
  ];
  for (const [name, handler] of handlers) dc.subscribe(name, handler);
  const disallowGstin = options.includeGstin ? allowGstinInTraces() : undefined;
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      for (const [name, handler] of handlers) dc.unsubscribe(name, handler);
      disallowGstin?.();
      if (managers.length > 0) sessions.removeCallback(observeSessions);
    },
  };
}
