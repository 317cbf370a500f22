import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { TRANSIENT_STATES } from '../../machines/gstrSession.types.js';
import {
  type GstrOtelInstrumentation,
  instrumentGstrSession,
  OTEL_METRICS,
} from '../../src/otel/index.js';
import { gstr3bSummary } from '../../src/reads/builders.js';
import { memoryStore } from '../../src/stores/memoryStore.js';
import { TRACE_CHANNELS } from '../../src/telemetry/traceChannels.js';
import { memoryFleetStore } from '../../src/testing/fleet/memoryFleetStore.js';
import { createTestRig, RIG_GSTIN, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { rejectionOf } from '../helpers/fixtures.js';

const HOUR = 3_600_000;

let rig: TestRig | undefined;
let otel: GstrOtelInstrumentation | undefined;
afterEach(async () => {
  otel?.stop();
  otel = undefined;
  await rig?.close();
  rig = undefined;
});

/** An OpenTelemetry SDK that keeps what it records in memory. */
function sdk() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  /** Each metric's data points, by name. */
  const metricPoints = async () => {
    const { resourceMetrics } = await reader.collect();
    const points = new Map<string, { attributes: Record<string, unknown>; value: unknown }[]>();
    for (const scope of resourceMetrics.scopeMetrics)
      for (const metric of scope.metrics)
        points.set(
          metric.descriptor.name,
          metric.dataPoints.map((p) => ({
            attributes: p.attributes as Record<string, unknown>,
            value: p.value,
          })),
        );
    return points;
  };
  /** The sum of a counter's points whose attributes include `where`. */
  const total = async (name: string, where: Record<string, unknown> = {}) =>
    ((await metricPoints()).get(name) ?? [])
      .filter((p) => Object.entries(where).every(([k, v]) => p.attributes[k] === v))
      .reduce((sum, p) => sum + (p.value as number), 0);
  return {
    tracerProvider,
    meterProvider,
    spans: () => spans.getFinishedSpans(),
    metricPoints,
    total,
  };
}

const spanLine = (span: ReadableSpan) => `${span.name} ${span.status.code === 2 ? 'error' : 'ok'}`;

describe('gstr-session/otel', () => {
  it('names in the guide every metric it records', () => {
    // Arrange
    const guide = readFileSync(new URL('../../docs/guide.md', import.meta.url), 'utf8');

    // Act
    const missing = Object.values(OTEL_METRICS).filter((name) => !guide.includes(`\`${name}\``));

    // Assert
    expect(missing).toEqual([]);
  });

  it('makes a span per provider call with its step, codes and status, and no secret or GSTIN', async () => {
    // Arrange
    const o = sdk();
    otel = instrumentGstrSession(o);
    rig = await createTestRig({ provider: 'gstn' });
    const session = rig.session({ reauth: 'manual' });

    // Act: one wrong OTP, the right one, a read.
    session.start();
    await waitFor(session.actor, (s) => s.value === 'otpRequested');
    const otp = rig.otp();
    await rejectionOf(session.submitOtp(rig.wrongOtp()));
    const credentials = await session.submitOtp(otp);
    await session.call(gstr3bSummary('042024'));

    // Assert
    const spans = o.spans();
    expect(spans.map(spanLine)).toEqual([
      'gstr-session requestOtp ok',
      'gstr-session getAuthToken error',
      'gstr-session getAuthToken ok',
      'gstr-session call ok',
    ]);
    const refused = spans[1];
    expect(refused?.attributes).toMatchObject({
      'gstr.step': 'getAuthToken',
      'gstr.provider': 'gstn',
      'error.type': 'OtpRejectedError',
      'gstr.error.code': 'GSTR_OTP_REJECTED',
    });
    expect(String(refused?.attributes['gstr.gstn_code'])).toMatch(/^AUTH/);
    // The wrong OTP was the first try of the exchange, the right one the second.
    expect(spans.map((s) => s.attributes['gstr.attempt'])).toEqual([1, 1, 2, undefined]);
    expect(refused?.status.message).toBe('GSTR_OTP_REJECTED');
    const exported = JSON.stringify(
      spans.map((s) => ({ name: s.name, attributes: s.attributes, status: s.status })),
    );
    for (const secret of [otp, credentials.authToken, credentials.sek, credentials.appKey])
      if (secret) expect(exported).not.toContain(secret);
    expect(exported).not.toContain(RIG_GSTIN);
  });

  it('puts the GSTIN on spans only when the app allows it', async () => {
    // Arrange
    const o = sdk();
    otel = instrumentGstrSession({ ...o, includeGstin: true });
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const session = rig.session({ reauth: 'manual' });

    // Act
    session.start();
    await session.submitOtp('575757');

    // Assert
    const requested = o.spans().find((s) => s.name === 'gstr-session requestOtp');
    expect(requested?.attributes['gstr.gstin']).toBe(RIG_GSTIN);
  });

  it('takes the GSTIN off every trace message again once stopped', async () => {
    // Arrange: an app's own subscriber, and an instrumentation that allowed GSTINs, stopped.
    const heard: unknown[] = [];
    const listen = (message: unknown) => heard.push(message);
    subscribe(TRACE_CHANNELS.providerCallStart, listen);
    instrumentGstrSession({ ...sdk(), includeGstin: true }).stop();
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const session = rig.session({ reauth: 'manual' });

    // Act
    try {
      session.start();
      await session.submitOtp('575757');
    } finally {
      unsubscribe(TRACE_CHANNELS.providerCallStart, listen);
    }

    // Assert
    expect(heard.length).toBeGreaterThan(0);
    expect(JSON.stringify(heard)).not.toContain(RIG_GSTIN);
  });

  it('counts SMS, OTP rounds, refreshes and provider calls as an operator reads them', async () => {
    // Arrange
    const o = sdk();
    otel = instrumentGstrSession(o);
    rig = await createTestRig({
      provider: 'gstn',
      mock: { otpMode: 'sandbox', accessDurationMs: 30 * 24 * HOUR },
    });
    const r = rig;
    const session = r.session({ reauth: 'manual' });

    // Act: an OTP round, then six hours (a refresh comes before the token ends).
    session.start();
    await rejectionOf(session.submitOtp('000000'));
    await session.submitOtp('575757');
    for (let minutes = 0; minutes < 6 * 60; minutes += 5) {
      r.clock.advance(5 * 60_000);
      await waitFor(session.actor, (s) => !TRANSIENT_STATES.has(s.value as never));
    }

    // Assert
    expect(await o.total(OTEL_METRICS.smsSent)).toBe(r.mock.count('getOtp'));
    expect(await o.total(OTEL_METRICS.smsSent)).toBe(1);
    expect(await o.total(OTEL_METRICS.otpRoundsStarted)).toBe(1);
    expect(await o.total(OTEL_METRICS.otpRoundsCompleted)).toBe(1);
    expect(await o.total(OTEL_METRICS.refreshes, { 'gstr.outcome': 'ok' })).toBe(
      r.mock.count('refreshToken'),
    );
    expect(r.mock.count('refreshToken')).toBeGreaterThanOrEqual(1);
    expect(
      await o.total(OTEL_METRICS.providerCalls, {
        'gstr.step': 'getAuthToken',
        'gstr.outcome': 'error',
        'error.type': 'OtpRejectedError',
      }),
    ).toBe(1);
    const durations = (await o.metricPoints()).get(OTEL_METRICS.providerCallDuration) ?? [];
    expect(durations.length).toBeGreaterThan(0);
  });

  it("counts the sessions a manager holds by state, and what the account's gate did", async () => {
    // Arrange: one auth call in flight at a time, and the breaker opens after one outage.
    const o = sdk();
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const manager = rig.manager({
      store: memoryStore(),
      limits: { maxInFlight: 1, breakerFaults: 1, breakerOpenMs: 60_000 },
    });
    otel = instrumentGstrSession({ ...o, managers: [manager] });
    const keys = ['a', 'b', 'c'].map((u) => ({ gstin: RIG_GSTIN, username: `clerk-${u}` }));

    // Act: three rounds through one slot, then an outage that opens the breaker.
    const outcomes = await manager.requestOtps(keys, { concurrency: 3 });
    rig.mock.setFault('getOtp', { kind: 'status', status: 503 });
    const failing = await manager.requestOtps([{ gstin: RIG_GSTIN, username: 'clerk-d' }]);
    const refused = await manager.requestOtps([{ gstin: RIG_GSTIN, username: 'clerk-e' }]);

    // Assert
    expect(outcomes.map((x) => x.outcome)).toEqual(['requested', 'requested', 'requested']);
    expect(failing[0]?.outcome).toBe('failed');
    expect(refused[0]?.error).toMatchObject({ circuitOpen: true });
    expect(await o.total(OTEL_METRICS.sessions, { 'gstr.state': 'otpRequested' })).toBe(3);
    expect(await o.total(OTEL_METRICS.sessions, { 'gstr.state': 'failed' })).toBe(2);
    expect(await o.total(OTEL_METRICS.gateEvents, { 'gstr.outcome': 'admitted' })).toBeGreaterThan(
      0,
    );
    expect(await o.total(OTEL_METRICS.gateEvents, { 'gstr.outcome': 'circuitOpen' })).toBe(1);
    await manager.close();
  });

  it('times the waits for a fleet lock: two workers, one account login', async () => {
    // Arrange: two workers on one shared store, a provider that answers in 50 ms.
    const o = sdk();
    otel = instrumentGstrSession(o);
    rig = await createTestRig({ mock: { otpMode: 'sandbox', latencyMs: 50 } });
    const shared = memoryFleetStore();
    const a = rig.manager({ store: shared });
    const b = rig.manager({ store: shared });

    // Act: both need the account's access token at once.
    await Promise.all([
      a.requestOtps([{ gstin: RIG_GSTIN, username: 'clerk-a' }]),
      b.requestOtps([{ gstin: RIG_GSTIN, username: 'clerk-b' }]),
    ]);

    // Assert: one logged in, the other waited for its token (one login in all); each OTP
    // request took its session's lock.
    const waits = (await o.metricPoints()).get(OTEL_METRICS.lockWait) ?? [];
    expect(
      waits.map((w) => `${w.attributes['gstr.lock']} ${w.attributes['gstr.outcome']}`).sort(),
    ).toEqual(['login acquired', 'login superseded', 'session acquired']);
    expect(rig.mock.count('login')).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('records nothing once stopped', async () => {
    // Arrange
    const o = sdk();
    otel = instrumentGstrSession(o);
    otel.stop();
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const session = rig.session({ reauth: 'manual' });

    // Act
    session.start();
    await session.submitOtp('575757');

    // Assert
    expect(o.spans()).toEqual([]);
    expect(await o.total(OTEL_METRICS.smsSent)).toBe(0);
  });
});
