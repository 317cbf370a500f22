import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import type { GstrSessionEmitted } from '../../machines/gstrSession.types.js';
import { EMITTED_EVENT_TYPES, TRANSIENT_STATES } from '../../machines/gstrSession.types.js';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import type { MockFaceName } from '../../src/testing/mock/types.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { T0 } from '../helpers/sessionFixture.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ACCESS_DAYS = 30;

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe.each(['gstn', 'sandbox'] as MockFaceName[])(
  'a refresh-capable provider over a whole access duration (%s)',
  (face) => {
    it('keeps the session alive 30 days with one OTP, about four refreshes a day, none past the end', async () => {
      // Arrange: the taxpayer chose 30 days of API access on the portal.
      rig = await createTestRig({
        clock: createTestClock(T0),
        provider: face,
        mock: { accessDurationMs: ACCESS_DAYS * DAY },
      });
      const r = rig;
      const session = r.session({ reauth: 'auto', clockCheckMs: MINUTE });
      const events: GstrSessionEmitted[] = [];
      for (const type of EMITTED_EVENT_TYPES) session.actor.on(type, (e) => events.push(e));
      const noticedAt: number[] = [];
      session.actor.on('access.expiring', () => noticedAt.push(r.clock.now()));
      session.start();
      await waitFor(session.actor, (s) => s.value === 'otpRequested', { timeout: 5_000 });
      const first = await session.submitOtp(r.otp());
      const accessEnd = T0 + ACCESS_DAYS * DAY;
      expect(first.accessExpiresAt).toBe(accessEnd);

      // Act: 31 days in five-minute steps; time stands still while a request is in flight.
      for (let t = 0; t < (ACCESS_DAYS + 1) * DAY; t += 5 * MINUTE) {
        r.clock.advance(5 * MINUTE);
        await waitFor(session.actor, (s) => !TRANSIENT_STATES.has(s.value as never), {
          timeout: 10_000,
        });
      }

      // Assert
      const refreshes = r.mock.requests.filter((q) => q.route === 'refreshToken');
      const otps = r.mock.requests.filter((q) => q.route === 'getOtp');
      // One OTP for the whole access duration; the next only once it is over.
      expect(otps.filter((q) => q.at < accessEnd)).toHaveLength(1);
      expect(otps.filter((q) => q.at >= accessEnd)).toHaveLength(1);
      // No refresh after the access duration ended, and none refused for it.
      expect(refreshes.every((q) => q.at < accessEnd)).toBe(true);
      expect(refreshes.every((q) => q.status === 200)).toBe(true);
      // About four a day: a six-hour token is refreshed 10 to 15 minutes before its end.
      const perDay = Array.from(
        { length: ACCESS_DAYS },
        (_, day) => refreshes.filter((q) => Math.floor((q.at - T0) / DAY) === day).length,
      );
      expect(Math.min(...perDay.slice(0, -1))).toBeGreaterThanOrEqual(4);
      expect(Math.max(...perDay)).toBeLessThanOrEqual(5);
      expect(refreshes.length / ACCESS_DAYS).toBeGreaterThan(3.9);
      expect(refreshes.length / ACCESS_DAYS).toBeLessThan(4.3);
      // The session never expired within the window: the app never lost its token.
      const expiredAt = events.filter((e) => e.type === 'session.expired');
      expect(expiredAt).toHaveLength(1);
      expect(events.filter((e) => e.type === 'otp.required')).toHaveLength(2);
      // The end was announced once, 3 days ahead (the default notice) within one token's
      // lifetime, and the person was asked for once, because the access duration ended.
      expect(events.filter((e) => e.type === 'access.expiring')).toEqual([
        { type: 'access.expiring', gstin: session.gstin, accessExpiresAt: accessEnd },
      ]);
      const noticeLead = accessEnd - (noticedAt[0] ?? 0);
      expect(noticeLead).toBeLessThanOrEqual(3 * DAY);
      expect(noticeLead).toBeGreaterThan(3 * DAY - 6 * 60 * MINUTE);
      expect(events.filter((e) => e.type === 'reauth.required')).toMatchObject([
        { reason: 'accessEnded' },
      ]);
      // Nobody typed the second OTP: a day later it has run out, and no SMS was sent by itself.
      expect(session.state).toBe('otpExpired');
    }, 60_000);
  },
);
