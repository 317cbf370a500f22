import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { gstr3bSummary } from '../../src/reads/builders.js';
import { TRACE_CHANNELS } from '../../src/telemetry/traceChannels.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN } from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';

let rig: TestRig | undefined;
const listeners: [string, (message: unknown) => void][] = [];
afterEach(async () => {
  for (const [name, listener] of listeners.splice(0)) unsubscribe(name, listener);
  await rig?.close();
  rig = undefined;
});

/** Everything published on the library's channels, by channel. */
function listen(): Record<string, Record<string, unknown>[]> {
  const heard: Record<string, Record<string, unknown>[]> = {};
  for (const name of Object.values(TRACE_CHANNELS)) {
    const listener = (message: unknown) => {
      heard[name] = [...(heard[name] ?? []), message as Record<string, unknown>];
    };
    subscribe(name, listener);
    listeners.push([name, listener]);
  }
  return heard;
}

describe('the trace points (diagnostics_channel)', () => {
  it('trace every provider call and state change of a session, with no secret and no GSTIN', async () => {
    // Arrange
    const heard = listen();
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const session = rig.session();

    // Act: a wrong OTP, the right one, a read.
    session.start();
    await session.submitOtp('000000').catch(() => {});
    const credentials = await session.submitOtp('575757');
    await session.call(gstr3bSummary('042024'));
    session.stop();

    // Assert: each call's start has its end or its error, by id.
    const starts = heard[TRACE_CHANNELS.providerCallStart] ?? [];
    const ends = heard[TRACE_CHANNELS.providerCallEnd] ?? [];
    const errors = heard[TRACE_CHANNELS.providerCallError] ?? [];
    expect(starts.map((m) => m.step)).toEqual([
      'login',
      'requestOtp',
      'getAuthToken',
      'getAuthToken',
      'call',
    ]);
    expect(new Set([...ends, ...errors].map((m) => m.id))).toEqual(
      new Set(starts.map((m) => m.id)),
    );
    expect(errors).toEqual([
      expect.objectContaining({
        step: 'getAuthToken',
        provider: 'signzy',
        error: expect.objectContaining({ name: 'OtpRejectedError', code: 'GSTR_OTP_REJECTED' }),
      }),
    ]);
    expect(ends.every((m) => typeof m.durationMs === 'number' && m.durationMs >= 0)).toBe(true);
    const moves = (heard[TRACE_CHANNELS.state] ?? []).map((m) => `${m.from}>${m.to}`);
    expect(moves).toContain('verifyingOtp>authenticated');
    const everything = JSON.stringify(heard);
    expect(everything).not.toContain(GSTIN);
    expect(
      leakedSecrets(everything, [
        credentials.authToken,
        credentials.sek ?? '',
        credentials.appKey ?? '',
        '575757',
      ]),
    ).toEqual([]);
  });
});
