import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { EMITTED_EVENT_TYPES, TRANSIENT_STATES } from '../../machines/gstrSession.types.js';
import { isGstrError } from '../../src/errors/isGstrError.js';
import type { GstrProvider } from '../../src/providers/GstrProvider.js';
import type { NicService } from '../../src/providers/nic/options.js';
import { ewayBill, irnDetails } from '../../src/reads/nicBuilders.js';
import { createGstrSession } from '../../src/session/createGstrSession.js';
import type { GstrSession } from '../../src/session/types.js';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import { MOCK_NIC_ACCOUNT } from '../../src/testing/mock/nicFace.js';
import { MOCK_NIC_FACES, type MockFault, type MockRoute } from '../../src/testing/mock/types.js';
import { createTestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';
import { overriding } from '../helpers/overriding.js';
import { T0 } from '../helpers/sessionFixture.js';

type Action =
  | {
      readonly type:
        | 'start'
        | 'logout'
        | 'reauthenticate'
        | 'tokenRejected'
        | 'credentials'
        | 'call'
        | 'persistRestore';
    }
  | { readonly type: 'advance' | 'sleep'; readonly ms: number }
  | { readonly type: 'fault'; readonly route: MockRoute; readonly fault: MockFault };

/** NIC's faults: outages, garbage, a hang, a stale token on a read, the auth limit. */
const FAULTS: MockFault[] = [
  { kind: 'status', status: 503, times: 1 },
  { kind: 'status', status: 500, times: 2 },
  { kind: 'reset', times: 1 },
  { kind: 'malformedJson', times: 1 },
  { kind: 'hang', times: 1 },
  { kind: 'status', status: 200, code: '1005', times: 1 },
  { kind: 'status', status: 200, code: '238', times: 1 },
  { kind: 'status', status: 200, code: '118', times: 1 },
];

const simple = (type: Extract<Action, { type: string }>['type'], weight: number) => ({
  arbitrary: fc.constant({ type } as Action),
  weight,
});

const action: fc.Arbitrary<Action> = fc.oneof(
  simple('start', 3),
  simple('logout', 1),
  simple('reauthenticate', 1),
  simple('tokenRejected', 1),
  simple('credentials', 2),
  simple('call', 3),
  simple('persistRestore', 2),
  {
    arbitrary: fc
      .constantFrom(30_000, 5 * 60_000, 3_600_000, 6 * 3_600_000 - 5 * 60_000, 6 * 3_600_000)
      .map((ms) => ({ type: 'advance' as const, ms })),
    weight: 3,
  },
  {
    arbitrary: fc
      .constantFrom(3_600_000, 7 * 3_600_000)
      .map((ms) => ({ type: 'sleep' as const, ms })),
    weight: 1,
  },
  {
    arbitrary: fc
      .record({
        route: fc.constantFrom<MockRoute>('authenticate', 'call'),
        fault: fc.constantFrom(...FAULTS),
      })
      // A stale-token code answers a read, never a login.
      .filter((f) => f.route === 'call' || !('code' in f.fault) || f.fault.code === '118')
      .map((f) => ({ type: 'fault' as const, ...f })),
    weight: 2,
  },
);

const RUNS = Number(process.env.GSTR_PROPERTY_RUNS ?? 60);

describe.each(MOCK_NIC_FACES)('password session properties (%s)', (service: NicService) => {
  test.prop([fc.array(action, { minLength: 5, maxLength: 40, size: 'medium' })], {
    numRuns: RUNS,
  })(
    'never asks for an OTP, never fails for an outage, and keeps one login in flight and every secret out of sight',
    async (actions) => {
      // Arrange
      const rig = await createTestRig({
        clock: createTestClock(T0),
        provider: service,
        providerOptions: { timeoutMs: 50, retry: { limit: 1, backoffLimitMs: 5 } } as never,
      });
      const { clock, mock } = rig;
      const secrets = new Set<string>([MOCK_NIC_ACCOUNT.password, MOCK_NIC_ACCOUNT.clientSecret]);
      const violations: string[] = [];
      const channels: string[] = [];
      const pending: Promise<void>[] = [];
      const escaped: unknown[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      const counted = async <T>(run: () => Promise<T>): Promise<T> => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          const token = (await run()) as { authToken?: string; secrets?: Record<string, string> };
          if (token.authToken) secrets.add(token.authToken);
          for (const value of Object.values(token.secrets ?? {})) secrets.add(value);
          return token as T;
        } finally {
          inFlight -= 1;
        }
      };
      const inner = rig.provider;
      const provider: GstrProvider = overriding(inner, {
        requestOtp: () => {
          violations.push('an OTP was requested');
          return Promise.reject(new Error('no OTP'));
        },
        getAuthToken: () => {
          violations.push('an OTP was exchanged');
          return Promise.reject(new Error('no OTP'));
        },
        authenticate: (input, o) => counted(() => inner.authenticate?.(input, o) as never),
        ...(inner.refreshToken
          ? { refreshToken: (input, o) => counted(() => inner.refreshToken?.(input, o) as never) }
          : {}),
        read: (input, o) => {
          if (input.session.expiresAt <= clock.now())
            violations.push('a read used a token past its expiry');
          return inner.read?.(input, o) ?? Promise.reject(new Error('no read'));
        },
      });
      const newSession = (snapshot?: unknown): GstrSession => {
        const created = createGstrSession({
          provider,
          gstin: GSTIN,
          username: USERNAME,
          clock,
          reauth: 'manual',
          ...(snapshot === undefined ? {} : { snapshot }),
          logger: {
            info: (m, d) => channels.push(`${m} ${JSON.stringify(d)}`),
            warn: (m, d) => channels.push(`${m} ${JSON.stringify(d)}`),
            error: (m, d) => channels.push(`${m} ${JSON.stringify(d)}`),
          },
        });
        for (const type of EMITTED_EVENT_TYPES)
          created.on(type, (event) => channels.push(JSON.stringify(event)));
        return created;
      };
      const watch = (promise: Promise<unknown>) =>
        pending.push(
          promise.then(
            () => {},
            (error: unknown) => {
              channels.push(`${String(error)} ${JSON.stringify(error)}`);
              if (!isGstrError(error)) escaped.push(error);
            },
          ),
        );
      const read = service === 'einvoice' ? irnDetails('c'.repeat(64)) : ewayBill('331001234567');
      let session = newSession();

      // Act
      try {
        for (const a of actions) {
          switch (a.type) {
            case 'start':
              session.start();
              break;
            case 'logout':
              watch(session.logout());
              break;
            case 'reauthenticate':
              session.reauthenticate();
              break;
            case 'tokenRejected':
              mock.revokeAuthTokens();
              session.reportTokenRejected();
              break;
            case 'credentials':
              watch(session.credentials({ timeoutMs: 60_000 }));
              break;
            case 'call':
              watch(session.call(read, { waitTimeoutMs: 60_000 }));
              break;
            case 'advance':
              clock.advance(a.ms);
              break;
            case 'sleep':
              clock.suspend(a.ms);
              clock.advance(0);
              break;
            case 'fault':
              mock.setFault(a.route, a.fault);
              break;
            case 'persistRestore': {
              const saved: unknown = JSON.parse(JSON.stringify(session.persist()));
              // A record holds the token and its SEK (a store seals them), never the password.
              expect(
                leakedSecrets(JSON.stringify(saved), [
                  MOCK_NIC_ACCOUNT.password,
                  MOCK_NIC_ACCOUNT.clientSecret,
                ]),
                'the password in a record',
              ).toEqual([]);
              session.stop();
              session = newSession(saved);
              session.start();
              break;
            }
          }
          const until = Date.now() + 5_000;
          while (TRANSIENT_STATES.has(session.state) && Date.now() < until)
            await new Promise((r) => setTimeout(r, 1));

          // Assert, after every action
          const { value, context } = session.snapshot;
          if (value === 'authenticated')
            expect(context.token?.expiresAt ?? 0, 'the token is in the future').toBeGreaterThan(
              clock.now(),
            );
          // Only a refusal of the password or the client fails a password session; the
          // faults here are outages, garbage, stale tokens and the rate limit.
          expect(value, 'never failed for an outage').not.toBe('failed');
          expect(maxInFlight, 'one login at a time').toBeLessThanOrEqual(1);
          expect(violations).toEqual([]);
        }
      } finally {
        session.stop();
        await rig.close();
      }
      await Promise.all(pending);

      // Assert, at the end
      expect(escaped.map(String), 'untyped errors').toEqual([]);
      expect(leakedSecrets(channels.join('\n'), secrets), 'secrets leaked').toEqual([]);
    },
    Math.max(20_000, RUNS * 150),
  );
});
