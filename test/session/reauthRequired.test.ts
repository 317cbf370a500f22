import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import type { GstrSessionEmitted } from '../../machines/gstrSession.types.js';
import { EMITTED_EVENT_TYPES, TRANSIENT_STATES } from '../../machines/gstrSession.types.js';
import { gstr3bSummary } from '../../src/reads/builders.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { rejectionOf } from '../helpers/fixtures.js';
import { withoutRefresh } from '../helpers/overriding.js';

const HOUR = 3_600_000;

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Session = ReturnType<TestRig['session']>;

/** Every event a session emits, in order. */
function recorded(session: Session): GstrSessionEmitted[] {
  const events: GstrSessionEmitted[] = [];
  for (const type of EMITTED_EVENT_TYPES) session.on(type, (event) => events.push(event));
  return events;
}

const needs = (events: GstrSessionEmitted[]) =>
  events.filter((event) => event.type === 'reauth.required');

describe('reauth.required', () => {
  it('says expired, once, when a token that cannot be refreshed runs out', async () => {
    // Arrange
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const session = rig.session({ provider: withoutRefresh(rig.provider), reauth: 'manual' });
    const events = recorded(session);
    session.start();
    await session.submitOtp('575757');

    // Act
    rig.clock.advance(7 * HOUR);
    await rejectionOf(session.credentials());
    rig.clock.advance(HOUR);

    // Assert
    expect(session.state).toBe('expired');
    expect(needs(events)).toEqual([
      { type: 'reauth.required', gstin: session.gstin, reason: 'expired', error: undefined },
    ]);
    // After the session's own event, so a listener of both sees the cause first.
    const types = events.map((event) => event.type);
    expect(types.indexOf('session.expired')).toBeLessThan(types.indexOf('reauth.required'));
  });

  it('says revoked when GSTN refuses the token and no refresh can renew it', async () => {
    // Arrange
    rig = await createTestRig({ provider: 'gstn', mock: { otpMode: 'sandbox' } });
    const session = rig.session({ provider: withoutRefresh(rig.provider), reauth: 'manual' });
    const events = recorded(session);
    session.start();
    const { authToken } = await session.submitOtp('575757');
    rig.mock.refuseReadsWith(authToken);

    // Act
    await rejectionOf(session.call(gstr3bSummary('042024')));

    // Assert
    expect(needs(events)).toMatchObject([{ reason: 'revoked' }]);
  });

  it('says failed (not refused) when the provider was down, and carries no secret', async () => {
    // Arrange
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const session = rig.session({ reauth: 'manual' });
    const events = recorded(session);
    rig.mock.setFault('getOtp', { kind: 'status', status: 503 });

    // Act
    session.start();
    await rejectionOf(session.credentials());

    // Assert
    expect(session.state).toBe('failed');
    expect(needs(events)).toMatchObject([
      { reason: 'failed', error: { name: 'ProviderUnavailableError' } },
    ]);
    expect(JSON.stringify(needs(events))).not.toMatch(/access|appKey|sek|password/i);
  });

  it('is not announced while a refresh keeps the session alive', async () => {
    // Arrange: the taxpayer chose 30 days of API access.
    rig = await createTestRig({
      provider: 'gstn',
      mock: { otpMode: 'sandbox', accessDurationMs: 30 * 24 * HOUR },
    });
    const session = rig.session({ reauth: 'manual' });
    const events = recorded(session);
    session.start();
    await session.submitOtp('575757');

    // Act: a day of six-hour tokens, each refreshed before it ends (time stands still while
    // a refresh is in flight).
    for (let minutes = 0; minutes < 24 * 60; minutes += 5) {
      rig.clock.advance(5 * 60_000);
      await waitFor(session.actor, (s) => !TRANSIENT_STATES.has(s.value as never));
    }

    // Assert
    expect(rig.mock.count('refreshToken')).toBeGreaterThanOrEqual(3);
    expect(session.state).toBe('authenticated');
    expect(needs(events)).toEqual([]);
  });
});
