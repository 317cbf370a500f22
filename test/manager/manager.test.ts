import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSessionManager } from '../../src/manager/createSessionManager.js';
import type {
  ManagedEvent,
  SessionManager,
  SessionManagerOptions,
} from '../../src/manager/types.js';
import type { GstrProvider } from '../../src/providers/GstrProvider.js';
import { memoryStore } from '../../src/stores/memoryStore.js';
import type { SessionStore } from '../../src/stores/SessionStore.js';
import { createTestClock, type TestClock } from '../../src/testing/drive/createTestClock.js';
import type { MockProvider } from '../../src/testing/mock/types.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, OTHER_GSTIN, USERNAME, VALID_GSTINS } from '../helpers/fixtures.js';
import { overriding } from '../helpers/overriding.js';
import { T0 } from '../helpers/sessionFixture.js';

const HOUR = 3_600_000;
const GSTINS = VALID_GSTINS;

interface Harness {
  readonly rig: TestRig;
  readonly mock: MockProvider;
  readonly clock: TestClock;
  readonly provider: GstrProvider;
  readonly store: SessionStore;
  readonly events: ManagedEvent[];
  manager: SessionManager;
  open(options?: Partial<SessionManagerOptions>): SessionManager;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.manager.close();
  await h?.rig.close();
  h = undefined;
});

/** A manager on the test rig (one clock), with its events recorded. */
async function harness(
  options: Partial<SessionManagerOptions> = {},
  wrap?: (p: GstrProvider) => GstrProvider,
): Promise<Harness> {
  const rig = await createTestRig({
    clock: createTestClock(T0),
    mock: { otpMode: 'sandbox' },
    providerOptions: { retry: { limit: 0 } },
  });
  const provider = wrap ? wrap(rig.provider) : rig.provider;
  const store = memoryStore();
  const events: ManagedEvent[] = [];
  const open = (more: Partial<SessionManagerOptions> = {}) => {
    const manager = rig.manager({ provider, store, ...options, ...more });
    for (const type of [
      'otp.required',
      'session.authenticated',
      'session.expiring',
      'session.expired',
    ] as const) {
      manager.on(type, (event) => events.push(event));
    }
    return manager;
  };
  h = { rig, mock: rig.mock, clock: rig.clock, provider, store, events, manager: open(), open };
  return h;
}

async function authenticate(manager: SessionManager, gstin = GSTIN): Promise<void> {
  const session = manager.get(gstin, USERNAME);
  session.start();
  await session.submitOtp('575757');
}

describe('createSessionManager', () => {
  it('holds one session per GSTIN and username', async () => {
    const { manager } = await harness();
    const a = manager.get(GSTIN, USERNAME);
    expect(manager.get(' 27aapfu0939f1zv ', USERNAME)).toBe(a);
    expect(manager.get(GSTIN, 'someone-else')).not.toBe(a);
    expect(manager.get(OTHER_GSTIN, USERNAME)).not.toBe(a);
    expect(manager.list()).toHaveLength(3);
    expect(() => manager.get('27AAPFU0939F1ZX', USERNAME)).toThrow('Invalid gstin');
  });

  it('authenticates, goes dormant, and answers credentials without a request or an actor', async () => {
    const { manager, mock, events } = await harness();
    await authenticate(manager);
    await new Promise((r) => setTimeout(r, 0));
    expect(manager.list()).toEqual([
      expect.objectContaining({ gstin: GSTIN, state: 'authenticated', live: false }),
    ]);
    const requests = mock.requests.length;
    const credentials = await manager.credentials(GSTIN, USERNAME);
    expect(mock.isAuthTokenValid(credentials.authToken)).toBe(true);
    expect(mock.requests.length).toBe(requests);
    expect(manager.list()[0]?.live).toBe(false);
    expect(events.find((e) => e.type === 'session.authenticated')).toMatchObject({
      gstin: GSTIN,
      username: USERNAME,
    });
  });

  it('wakes a dormant session at its lead time and at expiry, then re-authenticates (auto)', async () => {
    const { manager, mock, events, clock } = await harness({ reauth: 'auto' });
    await authenticate(manager);
    await new Promise((r) => setTimeout(r, 0));
    clock.advance(6 * HOUR - 5 * 60_000);
    await new Promise((r) => setTimeout(r, 0));
    expect(events.some((e) => e.type === 'session.expiring')).toBe(true);
    expect(manager.list()[0]).toMatchObject({ state: 'authenticated', live: false });
    clock.advance(5 * 60_000);
    await waitUntil(() => events.filter((e) => e.type === 'otp.required').length === 2);
    expect(events.find((e) => e.type === 'session.expired')).toMatchObject({ username: USERNAME });
    expect(mock.count('getOtp')).toBe(2);
  });

  it('shares one flow between concurrent credentials() calls of a session', async () => {
    const { manager, mock } = await harness();
    const session = manager.get(GSTIN, USERNAME);
    session.start();
    const waits = [1, 2, 3, 4, 5].map(() => manager.credentials(GSTIN, USERNAME));
    await session.submitOtp('575757');
    const all = await Promise.all(waits);
    expect(new Set(all.map((c) => c.authToken)).size).toBe(1);
    expect([mock.count('login'), mock.count('getOtp'), mock.count('getAuthToken')]).toEqual([
      1, 1, 1,
    ]);
  });

  it('shares one provider login among every session of the API account', async () => {
    let running = 0;
    let most = 0;
    const { manager, mock } = await harness({ loginConcurrency: 3 }, (inner) =>
      overriding(inner, {
        login: async (o) => {
          running += 1;
          most = Math.max(most, running);
          try {
            return await (inner.login?.(o) ?? Promise.reject(new Error('no login')));
          } finally {
            running -= 1;
          }
        },
      }),
    );
    mock.setFault('login', { kind: 'delay', ms: 30 });
    for (const gstin of GSTINS) manager.get(gstin, USERNAME).start();
    await waitUntil(() => mock.count('getOtp') === GSTINS.length);
    expect(mock.count('login')).toBe(1);
    expect(most).toBe(1);
  });

  it('logs in again once when the shared access token is refused', async () => {
    const { manager, mock } = await harness();
    manager.get(GSTINS[0] ?? GSTIN, USERNAME).start();
    await waitUntil(() => mock.count('getOtp') === 1);
    mock.expireAccessTokens();
    for (const gstin of GSTINS.slice(1)) manager.get(gstin, USERNAME).start();
    // Refused requests count too: wait for the sessions, not for a number of requests.
    await waitUntil(() =>
      GSTINS.every((gstin) => manager.get(gstin, USERNAME).state === 'otpRequested'),
    );
    // One login at first, one after the refusal: not one per session.
    expect(mock.count('login')).toBe(2);
  });

  it('writes every state change to the store', async () => {
    const { manager, store } = await harness();
    const session = manager.get(GSTIN, USERNAME);
    session.start();
    await waitUntil(() => session.state === 'otpRequested');
    await manager.flush();
    expect(await store.load({ gstin: GSTIN, username: USERNAME })).toMatchObject({
      state: 'otpRequested',
    });
    await session.submitOtp('575757');
    await manager.flush();
    expect(await store.load({ gstin: GSTIN, username: USERNAME })).toMatchObject({
      state: 'authenticated',
    });
    await session.logout();
    await manager.flush();
    const saved = (await store.load({ gstin: GSTIN, username: USERNAME })) as Record<
      string,
      unknown
    >;
    expect(saved.state).toBe('loggedOut');
    expect(saved.token).toBeUndefined();
  });

  it('restores every saved session after a restart without a login or an OTP', async () => {
    const harnessed = await harness({ reauth: 'manual' });
    for (const gstin of GSTINS.slice(0, 3)) await authenticate(harnessed.manager, gstin);
    const before = await harnessed.manager.credentials(GSTINS[0] ?? '', USERNAME);
    await harnessed.manager.close();
    const requests = harnessed.mock.requests.length;

    harnessed.manager = harnessed.open();
    const report = await harnessed.manager.start();

    expect(report).toEqual({ restored: 3, skipped: 0, skippedRecords: [] });
    expect(harnessed.manager.list().map((s) => s.state)).toEqual([
      'authenticated',
      'authenticated',
      'authenticated',
    ]);
    expect(await harnessed.manager.credentials(GSTINS[0] ?? '', USERNAME)).toEqual(before);
    expect(harnessed.mock.requests.length).toBe(requests);
    // Their deadlines are re-armed: in manual mode they expire and wait for a person.
    harnessed.clock.advance(6 * HOUR);
    await waitUntil(() => harnessed.manager.list().every((s) => s.state === 'expired'));
    expect(harnessed.mock.count('getOtp')).toBe(3);
  });

  it('restores expired sessions as expired, asking for an OTP only in auto mode', async () => {
    const harnessed = await harness({ reauth: 'manual' });
    await authenticate(harnessed.manager);
    await harnessed.manager.close();
    harnessed.clock.advance(7 * HOUR);

    harnessed.manager = harnessed.open();
    await harnessed.manager.start();
    // Restored past its expiry: it expires at its wake-up, and (manual mode) nothing is sent.
    harnessed.clock.advance(0); // the scheduler's due timers run
    const restored = harnessed.manager;
    await vi.waitFor(() => expect(restored.get(GSTIN, USERNAME).state).toBe('expired'), {
      timeout: 10_000,
    });
    expect(harnessed.mock.count('getOtp')).toBe(1);
    await expect(harnessed.manager.credentials(GSTIN, USERNAME)).rejects.toMatchObject({
      name: 'ReauthenticationRequiredError',
    });

    await harnessed.manager.close();
    harnessed.manager = harnessed.open({ reauth: 'auto' });
    await harnessed.manager.start();
    harnessed.clock.advance(0); // the scheduler's due timers run
    await waitUntil(() => harnessed.manager.get(GSTIN, USERNAME).state === 'otpRequested');
    expect(harnessed.mock.count('getOtp')).toBe(2);
  });

  it('skips a record it cannot validate, and says so', async () => {
    const harnessed = await harness();
    await harnessed.store.save({ gstin: GSTIN, username: USERNAME }, { version: 99 });
    const logs: string[] = [];
    harnessed.manager = harnessed.open({ logger: { warn: (m) => logs.push(m) } });
    const report = await harnessed.manager.start();
    expect(report).toMatchObject({ restored: 0, skipped: 1 });
    expect(report.skippedRecords).toEqual([
      expect.objectContaining({
        gstin: GSTIN,
        username: USERNAME,
        reason: expect.stringContaining('version 2'),
      }),
    ]);
    expect(logs[0]).toContain(`skipped ${GSTIN}/${USERNAME}`);
  });

  it('asks for no OTP by itself by default: an expired session needs a person', async () => {
    const { manager, mock, clock } = await harness();
    await authenticate(manager);
    clock.advance(6 * HOUR);
    await vi.waitFor(() => expect(manager.get(GSTIN, USERNAME).state).toBe('expired'), {
      timeout: 10_000,
    });
    const error = await manager.credentials(GSTIN, USERNAME).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ReauthenticationRequiredError' });
    expect(mock.count('getOtp')).toBe(1);
    // A person asks: one new round.
    manager.get(GSTIN, USERNAME).reauthenticate();
    await waitUntil(() => manager.get(GSTIN, USERNAME).state === 'otpRequested');
    expect(mock.count('getOtp')).toBe(2);
  });

  it('checks its session options when created, not later in a timer', async () => {
    const { provider } = await harness();
    expect(() => createSessionManager({ provider, maxOtpAttempts: 0 })).toThrow(
      'Invalid maxOtpAttempts',
    );
  });

  it('rejects calls with a typed error once closed', async () => {
    const { manager } = await harness();
    const session = manager.get(GSTIN, USERNAME);
    await manager.close();
    await expect(session.submitOtp('575757')).rejects.toMatchObject({
      name: 'SessionStateError',
      state: 'closed',
    });
    await expect(manager.credentials(GSTIN, USERNAME)).rejects.toMatchObject({
      name: 'SessionStateError',
    });
  });

  it('removes a session and its record', async () => {
    const { manager, store } = await harness();
    await authenticate(manager);
    await manager.remove(GSTIN, USERNAME);
    expect(manager.list()).toEqual([]);
    expect(await store.load({ gstin: GSTIN, username: USERNAME })).toBeUndefined();
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  const until = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}
