import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { TRANSIENT_STATES } from '../../machines/gstrSession.types.js';
import { isGstrError } from '../../src/errors/isGstrError.js';
import type { SessionManager } from '../../src/manager/types.js';
import { memoryStore } from '../../src/stores/memoryStore.js';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import { MOCK_FACES } from '../../src/testing/mock/types.js';
import { createTestRig } from '../../src/testing/rig/createTestRig.js';
import { VALID_GSTINS } from '../helpers/fixtures.js';
import { T0 } from '../helpers/sessionFixture.js';

const USERS = [
  { gstin: VALID_GSTINS[0], username: 'alpha' },
  { gstin: VALID_GSTINS[1], username: 'beta' },
  { gstin: VALID_GSTINS[2], username: 'gamma' },
] as const;
type Step =
  | {
      readonly type:
        | 'start'
        | 'submitRight'
        | 'submitWrong'
        | 'credentials'
        | 'logout'
        | 'reauthenticate';
      readonly who: number;
    }
  | { readonly type: 'advance'; readonly ms: number }
  | { readonly type: 'restart' };

const who = fc.integer({ min: 0, max: USERS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({
      type: fc.constantFrom(
        'start',
        'submitRight',
        'submitWrong',
        'credentials',
        'logout',
        'reauthenticate',
      ),
      who,
    }),
    weight: 6,
  },
  {
    arbitrary: fc
      .constantFrom(60_000, 5 * 60_000, 3_600_000, 6 * 3_600_000)
      .map((ms) => ({ type: 'advance' as const, ms })),
    weight: 2,
  },
  { arbitrary: fc.constant({ type: 'restart' as const }), weight: 1 },
);

async function quiet(manager: SessionManager): Promise<void> {
  const until = Date.now() + 5_000;
  while (manager.list().some((s) => TRANSIENT_STATES.has(s.state)) && Date.now() < until)
    await new Promise((r) => setTimeout(r, 1));
  await new Promise((r) => setTimeout(r, 0));
}

describe.each(MOCK_FACES)('session manager properties (%s)', (face) => {
  test.prop(
    [
      fc.constantFrom<'auto' | 'manual'>('auto', 'manual'),
      fc.array(step, { minLength: 5, maxLength: 30, size: 'medium' }),
    ],
    { numRuns: 30 },
  )(
    'keeps sessions valid, typed and restorable without a request, across restarts',
    async (reauth, steps) => {
      const rig = await createTestRig({
        clock: createTestClock(T0),
        provider: face,
        mock: { otpMode: 'sandbox' },
        providerOptions: { retry: { limit: 0 } },
      });
      const { clock, mock } = rig;
      const store = memoryStore();
      const open = () => rig.manager({ store, reauth });
      let manager = open();
      const escaped: unknown[] = [];
      const pending: Promise<unknown>[] = [];
      const watch = (promise: Promise<unknown>) =>
        pending.push(
          promise.catch((error: unknown) => (isGstrError(error) ? undefined : escaped.push(error))),
        );
      try {
        for (const s of steps) {
          if (s.type === 'advance') clock.advance(s.ms);
          else if (s.type === 'restart') {
            await manager.close();
            const before = mock.requests.length;
            const expected = manager
              .list()
              .filter((x) => x.state === 'authenticated' && (x.expiresAt ?? 0) > clock.now());
            manager = open();
            await manager.start();
            // Restoring sends nothing, and every live token is still there.
            expect(mock.requests.length).toBe(before);
            for (const x of expected)
              expect(manager.get(x.gstin, x.username).state).toBe('authenticated');
          } else {
            const user = USERS[s.who] ?? USERS[0];
            const session = manager.get(user.gstin, user.username);
            try {
              if (s.type === 'start') session.start();
              if (s.type === 'reauthenticate') session.reauthenticate();
              if (s.type === 'submitRight') watch(session.submitOtp('575757'));
              if (s.type === 'submitWrong') watch(session.submitOtp('000000'));
              if (s.type === 'logout') watch(session.logout());
              if (s.type === 'credentials') {
                watch(
                  manager.credentials(user.gstin, user.username, { timeoutMs: 1_000 }).then((c) => {
                    // Whatever it hands out is alive, at the provider too.
                    expect(c.expiresAt).toBeGreaterThan(clock.now());
                    expect(mock.isAuthTokenValid(c.authToken)).toBe(true);
                  }),
                );
              }
            } catch (error) {
              if (!isGstrError(error)) escaped.push(error);
            }
          }
          await quiet(manager);
          for (const x of manager.list()) {
            if (x.state === 'authenticated') expect(x.expiresAt ?? 0).toBeGreaterThan(clock.now());
          }
        }
      } finally {
        clock.advance(2_000); // lets the waits above time out
        await manager.close();
        await rig.close();
      }
      await Promise.all(pending);
      expect(escaped.map(String)).toEqual([]);
    },
    30_000,
  );
});
