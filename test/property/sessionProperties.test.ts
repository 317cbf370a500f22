import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { EMITTED_EVENT_TYPES, TRANSIENT_STATES } from '../../machines/gstrSession.types.js';
import { isGstrError } from '../../src/errors/isGstrError.js';
import type { GstrProvider } from '../../src/providers/GstrProvider.js';
import { gstr3bSummary } from '../../src/reads/builders.js';
import type { ProviderName } from '../../src/registry/providers.js';
import { createGstrSession } from '../../src/session/createGstrSession.js';
import type { GstrSession } from '../../src/session/types.js';
import { createTestClock, type TestClock } from '../../src/testing/drive/createTestClock.js';
import { MOCK_GSTN_CLIENT } from '../../src/testing/mock/gstnFace.js';
import { MOCK_SANDBOX_ACCOUNT } from '../../src/testing/mock/sandboxFace.js';
import {
  MOCK_DEFAULT_ACCOUNT,
  MOCK_FACES,
  type MockFault,
  type MockProvider,
  type MockRoute,
} from '../../src/testing/mock/types.js';
import { wrongOtpFor } from '../../src/testing/mock/wrongOtp.js';
import { createTestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';
import { withoutRefresh } from '../helpers/overriding.js';
import { T0 } from '../helpers/sessionFixture.js';

const OTP_VALIDITY_MS = 10 * 60_000;
type Action =
  | {
      readonly type:
        | 'start'
        | 'submitRight'
        | 'submitWrong'
        | 'submitMalformed'
        | 'resend'
        | 'logout'
        | 'reauthenticate'
        | 'tokenRejected'
        | 'credentials'
        | 'call'
        | 'persistRestore';
    }
  | { readonly type: 'advance'; readonly ms: number }
  | { readonly type: 'sleep'; readonly ms: number }
  | { readonly type: 'fault'; readonly route: MockRoute; readonly fault: MockFault };

const FAULTS: MockFault[] = [
  { kind: 'status', status: 503, times: 1 },
  { kind: 'status', status: 500, times: 1 },
  { kind: 'status', status: 401, times: 1 },
  { kind: 'reset', times: 1 },
  { kind: 'malformedJson', times: 1 },
  { kind: 'missingField', field: 'result.appKey', times: 1 },
  { kind: 'missingField', field: 'result.authToken', times: 1 },
  { kind: 'hang', times: 1 },
  // GSTN refuses the token on a read (RET11402), or has nothing to return (RET11416).
  { kind: 'status', status: 200, code: 'RET11402', times: 1 },
  { kind: 'status', status: 200, code: 'RET11416', times: 1 },
];

const simple = (type: Extract<Action, { type: string }>['type'], weight: number) => ({
  arbitrary: fc.constant({ type } as Action),
  weight,
});

// Weighted so that runs get past the OTP often: most interesting states lie beyond it.
const action: fc.Arbitrary<Action> = fc.oneof(
  simple('start', 3),
  simple('submitRight', 4),
  simple('submitWrong', 1),
  simple('submitMalformed', 1),
  simple('resend', 1),
  simple('logout', 1),
  simple('reauthenticate', 1),
  simple('tokenRejected', 1),
  simple('credentials', 1),
  simple('call', 2),
  simple('persistRestore', 2),
  {
    arbitrary: fc
      .constantFrom(30_000, 5 * 60_000, OTP_VALIDITY_MS, 3_600_000, 6 * 3_600_000)
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
        route: fc.constantFrom<MockRoute>(
          'login',
          'getOtp',
          'getAuthToken',
          'refreshToken',
          'logout',
          'call',
        ),
        fault: fc.constantFrom(...FAULTS),
      })
      .map((f) => ({ type: 'fault' as const, ...f })),
    weight: 2,
  },
);

/** What a run observes through a wrapped provider: secrets, requests in flight, OTP requests and their causes. */
interface Observed {
  secrets: Set<string>;
  live: Set<AbortSignal>;
  maxLive: number;
  otpIssuedAt: number | undefined;
  otpConsumed: boolean;
  violations: string[];
  /** The tokens each call read with, by the call's signal. */
  tokensPerCall: Map<AbortSignal, Set<string>>;
  /** The signals of calls: their requests (a re-login) run beside the session's own. */
  callSignals: WeakSet<AbortSignal>;
}

function observing(
  inner: GstrProvider,
  seen: Observed,
  clock: TestClock,
  cause: () => string,
  manual: boolean,
): GstrProvider {
  async function track<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    if (signal && seen.callSignals.has(signal)) return call();
    if (signal) seen.live.add(signal);
    seen.maxLive = Math.max(seen.maxLive, [...seen.live].filter((s) => !s.aborted).length);
    try {
      return await call();
    } finally {
      if (signal) seen.live.delete(signal);
    }
  }
  const login = inner.login;
  const secretsOf = (record: { readonly secrets: Readonly<Record<string, string>> }): void => {
    for (const value of Object.values(record.secrets)) seen.secrets.add(value);
  };
  return {
    name: inner.name,
    capabilities: inner.capabilities,
    ...(login
      ? {
          login: (o) =>
            track(o?.signal, async () => {
              const access = await login.call(inner, o);
              seen.secrets.add(access.accessToken);
              return access;
            }),
        }
      : {}),
    requestOtp: (input, o) =>
      track(o.signal, async () => {
        const valid =
          seen.otpIssuedAt !== undefined &&
          !seen.otpConsumed &&
          clock.now() - seen.otpIssuedAt < OTP_VALIDITY_MS;
        const asked = ['start', 'resend', 'reauthenticate'].includes(cause());
        if (valid && !asked)
          seen.violations.push(`an OTP was requested on "${cause()}" while another was valid`);
        if (manual && cause() === 'call')
          seen.violations.push('a read caused an OTP request in manual mode');
        const result = await inner.requestOtp(input, o);
        secretsOf(result);
        seen.otpIssuedAt = clock.now();
        seen.otpConsumed = false;
        return result;
      }),
    getAuthToken: (input, o) =>
      track(o.signal, async () => {
        seen.secrets.add(input.otp);
        const token = await inner.getAuthToken(input, o);
        seen.secrets.add(token.authToken);
        secretsOf(token);
        seen.otpConsumed = true;
        return token;
      }),
    ...(inner.read
      ? {
          // Reads run beside the session's own requests (not counted as in flight): an app
          // may read while a person resends an OTP.
          read: (input, o) => {
            if (input.session.expiresAt <= clock.now())
              seen.violations.push('a read used a token past its expiry');
            if (o.signal) {
              // One retry with a renewed token at most (a 401's silent re-login reuses the token).
              const tokens = seen.tokensPerCall.get(o.signal) ?? new Set<string>();
              tokens.add(input.session.authToken);
              seen.tokensPerCall.set(o.signal, tokens);
              if (tokens.size > 2)
                seen.violations.push(`a call read with ${tokens.size} tokens (at most one retry)`);
            }
            return inner.read?.call(inner, input, o) ?? Promise.reject(new Error('no read'));
          },
        }
      : {}),
    ...(inner.logout
      ? {
          logout: (i, o) =>
            track(o.signal, () => inner.logout?.call(inner, i, o) ?? Promise.resolve()),
        }
      : {}),
    ...(inner.refreshToken
      ? {
          refreshToken: (input, o) =>
            track(o.signal, async () => {
              const token = await (inner.refreshToken?.call(inner, input, o) ??
                Promise.reject(new Error('no refresh')));
              seen.secrets.add(token.authToken);
              secretsOf(token);
              return token;
            }),
        }
      : {}),
  };
}

/** What a run's session is configured with, drawn at random too. */
interface RunConfig {
  readonly refresh: boolean;
  readonly reauth: 'auto' | 'manual';
}

interface Run {
  readonly config: RunConfig;
  session: GstrSession;
  readonly mock: MockProvider;
  readonly clock: TestClock;
  provider: GstrProvider;
  readonly seen: Observed;
  readonly channels: string[];
  readonly pending: Promise<void>[];
  readonly escaped: unknown[];
  current: string;
}

function newSession(run: Omit<Run, 'session'>, snapshot?: unknown): GstrSession {
  const session = createGstrSession({
    provider: run.provider,
    gstin: GSTIN,
    username: USERNAME,
    clock: run.clock,
    reauth: run.config.reauth,
    otpResendCooldownMs: 30_000,
    ...(snapshot === undefined ? {} : { snapshot }),
    logger: {
      info: (m, d) => run.channels.push(`${m} ${JSON.stringify(d)}`),
      warn: (m, d) => run.channels.push(`${m} ${JSON.stringify(d)}`),
      error: (m, d) => run.channels.push(`${m} ${JSON.stringify(d)}`),
    },
  });
  for (const type of EMITTED_EVENT_TYPES) {
    session.on(type, (event) => run.channels.push(JSON.stringify(event)));
  }
  return session;
}

/** Records how a facade promise ends: every failure must be a typed error. */
function watch(run: Run, promise: Promise<unknown>): void {
  run.pending.push(
    promise.then(
      () => {},
      (error: unknown) => {
        run.channels.push(`${String(error)} ${JSON.stringify(error)}`);
        if (!isGstrError(error)) run.escaped.push(error);
      },
    ),
  );
}

function call(run: Run, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    if (!isGstrError(error)) run.escaped.push(error);
  }
}

async function settle(session: GstrSession): Promise<void> {
  const until = Date.now() + 5_000;
  while (TRANSIENT_STATES.has(session.state) && Date.now() < until)
    await new Promise((r) => setTimeout(r, 1));
}

async function perform(run: Run, a: Action): Promise<void> {
  run.current = a.type;
  const { session, mock } = run;
  switch (a.type) {
    case 'start':
      call(run, () => session.start());
      break;
    case 'submitRight':
      watch(run, session.submitOtp(mock.otpFor(GSTIN) ?? '123456'));
      break;
    case 'submitWrong':
      watch(run, session.submitOtp(wrongOtpFor(mock.otpFor(GSTIN))));
      break;
    case 'submitMalformed':
      watch(run, session.submitOtp('12a456'));
      break;
    case 'resend':
      watch(run, session.resendOtp());
      break;
    case 'logout':
      watch(run, session.logout());
      break;
    case 'reauthenticate':
      call(run, () => session.reauthenticate());
      break;
    case 'tokenRejected':
      call(run, () => session.reportTokenRejected());
      break;
    case 'credentials':
      watch(run, session.credentials({ timeoutMs: 60_000 }));
      break;
    case 'call':
      // Each call has its own signal: the provider's reads are counted per call.
      {
        const { signal } = new AbortController();
        run.seen.callSignals.add(signal);
        watch(run, session.call(gstr3bSummary('042024'), { signal, waitTimeoutMs: 60_000 }));
      }
      break;
    case 'advance':
      run.clock.advance(a.ms);
      break;
    case 'sleep':
      // A suspend, then the wake-up: the first due timer runs.
      run.clock.suspend(a.ms);
      run.clock.advance(0);
      break;
    case 'fault':
      mock.setFault(a.route, a.fault);
      break;
    case 'persistRestore': {
      const saved: unknown = JSON.parse(JSON.stringify(session.persist()));
      session.stop();
      run.session = newSession(run, saved);
      call(run, () => run.session.start());
      break;
    }
  }
  await settle(run.session);
}

function checkInvariants(run: Run): void {
  const { session, clock, seen } = run;
  const { value, context } = session.snapshot;
  if (value === 'authenticated') {
    expect(context.token, 'authenticated holds a token').toBeDefined();
    expect(context.token?.expiresAt ?? 0, 'the token is in the future').toBeGreaterThan(
      clock.now(),
    );
  }
  expect(seen.maxLive, 'at most one request in flight').toBeLessThanOrEqual(1);
  expect(seen.violations, `OTP requests: ${seen.violations.join('; ')}`).toEqual([]);
  expect(run.escaped.map(String), 'untyped errors').toEqual([]);
}

const RUNS = Number(process.env.GSTR_PROPERTY_RUNS ?? 100);

/** Each provider's own secret of the API account, known to the run from the start. */
const ACCOUNT_SECRET: Readonly<Record<ProviderName, string>> = {
  signzy: MOCK_DEFAULT_ACCOUNT.password,
  gstn: MOCK_GSTN_CLIENT.clientSecret,
  sandbox: MOCK_SANDBOX_ACCOUNT.apiSecret,
};

describe.each(MOCK_FACES)('gstr session properties (%s)', (face) => {
  const config = fc.record({
    refresh: fc.boolean(),
    reauth: fc.constantFrom<'auto' | 'manual'>('auto', 'manual'),
  });
  test.prop([config, fc.array(action, { minLength: 5, maxLength: 40, size: 'medium' })], {
    // More runs on demand: GSTR_PROPERTY_RUNS=2000 npx vitest run test/property
    numRuns: RUNS,
  })(
    'keeps its invariants under random users, time, faults and restarts',
    async (runConfig, actions) => {
      const refreshTask = runConfig.refresh ? { refreshTask: 'refreshAuthToken' } : {};
      const rig = await createTestRig({
        clock: createTestClock(T0),
        provider: face,
        mock: refreshTask,
        providerOptions: { timeoutMs: 50, retry: { limit: 1, backoffLimitMs: 5 } },
      });
      const { clock, mock } = rig;
      const seen: Observed = {
        secrets: new Set<string>([ACCOUNT_SECRET[face]]),
        live: new Set(),
        maxLive: 0,
        otpIssuedAt: undefined,
        otpConsumed: false,
        violations: [],
        tokensPerCall: new Map(),
        callSignals: new WeakSet(),
      };
      const base = {
        config: runConfig,
        mock,
        clock,
        seen,
        channels: [] as string[],
        pending: [] as Promise<void>[],
        escaped: [] as unknown[],
        current: 'none',
      };
      // The machine is told only what the provider declares: without refresh, none is shown.
      const client = runConfig.refresh ? rig.provider : withoutRefresh(rig.provider);
      const run: Run = { ...base, provider: client, session: undefined as unknown as GstrSession };
      run.provider = observing(
        client,
        seen,
        clock,
        () => run.current,
        runConfig.reauth === 'manual',
      );
      run.session = newSession(run);
      try {
        for (const a of actions) {
          await perform(run, a);
          checkInvariants(run);
        }
      } finally {
        run.session.stop();
        await rig.close();
      }
      await Promise.all(run.pending);
      expect(run.escaped.map(String)).toEqual([]);
      // Report leaks by index, so that a failing run never prints a secret.
      expect(leakedSecrets(run.channels.join('\n'), seen.secrets), 'secrets leaked').toEqual([]);
    },
    Math.max(20_000, RUNS * 100),
  );
});
