import { afterEach, describe, expect, it, vi } from 'vitest';
import { isGstrError } from '../../src/errors/isGstrError.js';
import type { SessionManager } from '../../src/manager/types.js';
import { encryptedStore } from '../../src/stores/encryptedStore.js';
import { memoryStore } from '../../src/stores/memoryStore.js';
import type { SessionStore } from '../../src/stores/SessionStore.js';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, rejectionOf, USERNAME } from '../helpers/fixtures.js';
import { T0 } from '../helpers/sessionFixture.js';

describe('the session manager, used as an attacker would', () => {
  let rig: TestRig | undefined;
  let manager: SessionManager | undefined;
  afterEach(async () => {
    await manager?.close();
    await rig?.close();
    manager = undefined;
    rig = undefined;
    vi.restoreAllMocks();
  });

  async function open(store: SessionStore = memoryStore()) {
    const r = await createTestRig({ clock: createTestClock(T0), mock: { otpMode: 'sandbox' } });
    rig = r;
    const make = (s: SessionStore = store) => r.manager({ store: s, reauth: 'auto' });
    manager = make();
    return { clock: r.clock, store, make, mock: r.mock };
  }

  async function authenticated(m: SessionManager): Promise<void> {
    const session = m.get(GSTIN, USERNAME);
    session.start();
    await session.submitOtp('575757');
  }

  it('makes a handle kept after remove() inert, with no second SMS', async () => {
    const { store, mock: mk } = await open();
    const m = manager as SessionManager;
    const handle = m.get(GSTIN, USERNAME);
    handle.start();
    await vi.waitFor(() => expect(handle.state).toBe('otpRequested'));
    await m.remove(GSTIN, USERNAME);
    for (const call of [
      () => handle.credentials(),
      () => handle.submitOtp('575757'),
      () => handle.resendOtp(),
      () => handle.logout(),
    ]) {
      const error = await rejectionOf(call());
      expect(isGstrError(error, 'SessionStateError')).toBe(true);
      expect((error as { state: string }).state).toBe('removed');
    }
    expect(() => handle.start()).toThrow(/removed/);
    expect(await store.list()).toEqual([]);
    expect(mk.count('getOtp')).toBe(1);
  });

  it('closes at the end of an `await using` scope', async () => {
    await open();
    const m = manager as SessionManager;
    await authenticated(m);
    await m[Symbol.asyncDispose]();
    const error = await rejectionOf(m.credentials(GSTIN, USERNAME));
    expect(isGstrError(error, 'SessionStateError')).toBe(true);
  });

  it('rejects credentials() after close(), also for a dormant authenticated session', async () => {
    await open();
    const m = manager as SessionManager;
    await authenticated(m);
    await m.credentials(GSTIN, USERNAME);
    await m.close();
    const error = await rejectionOf(m.credentials(GSTIN, USERNAME));
    expect(isGstrError(error, 'SessionStateError')).toBe(true);
    expect((error as Error).message).toContain('closed');
    const viaHandle = await rejectionOf(m.get(GSTIN, USERNAME).credentials());
    expect(isGstrError(viaHandle, 'SessionStateError')).toBe(true);
  });

  it('reports each unreadable record, and credentials() for it rejects with that StoreError', async () => {
    const inner = memoryStore();
    const { make } = await open(encryptedStore(inner, Buffer.alloc(32, 1)));
    await authenticated(manager as SessionManager);
    await (manager as SessionManager).close();
    // A restart with the wrong store key and no logger.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    manager = make(encryptedStore(inner, Buffer.alloc(32, 2)));
    const report = await manager.start();
    expect(report.skipped).toBe(1);
    expect(report.skippedRecords[0]?.reason).toContain('cannot decrypt');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('could not be read');
    const error = await rejectionOf(manager.credentials(GSTIN, USERNAME));
    expect(isGstrError(error, 'StoreError')).toBe(true);
    expect((error as Error).message).toContain('could not be read');
    expect((error as Error).message).not.toContain('start()');
  });

  it('keeps a handle subscription across dormancy and the wake that follows', async () => {
    const { clock } = await open();
    const m = manager as SessionManager;
    const handle = m.get(GSTIN, USERNAME);
    const states: string[] = [];
    handle.subscribe((s) => states.push(String(s.value)));
    await authenticated(m);
    await vi.waitFor(() => expect(m.list()[0]?.live).toBe(false)); // dormant
    clock.advance(6 * 60 * 60_000); // expiry wakes it; auto mode asks for a new OTP
    await vi.waitFor(() => expect(handle.state).toBe('otpRequested'));
    const afterDormancy = states.slice(states.lastIndexOf('authenticated') + 1);
    expect(afterDormancy).toContain('otpRequested');
  });
});

describe('the session manager, asked for a session nobody started', () => {
  let rig: TestRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('starts one OTP round for many callers in auto mode; the OTP reaches it through the manager', async () => {
    rig = await createTestRig({ clock: createTestClock(T0), mock: { otpMode: 'sandbox' } });
    const manager = rig.manager({ reauth: 'auto' });
    const asked = [1, 2, 3].map(() => manager.credentials(GSTIN, USERNAME));
    await vi.waitFor(() => expect(manager.get(GSTIN, USERNAME).state).toBe('otpRequested'));
    await manager.submitOtp(GSTIN, USERNAME, '575757');
    const tokens = new Set((await Promise.all(asked)).map((c) => c.authToken));
    expect(tokens.size).toBe(1);
    expect(rig.mock.count('getOtp')).toBe(1);
    expect(rig.mock.count('getAuthToken')).toBe(1);
  });

  it('asks for a person in manual mode (the default), with no request', async () => {
    rig = await createTestRig({ clock: createTestClock(T0) });
    const manager = rig.manager();
    const error = await rejectionOf(manager.credentials(GSTIN, USERNAME));
    expect(isGstrError(error, 'ReauthenticationRequiredError')).toBe(true);
    expect(rig.mock.requests).toEqual([]);
    // A person is there: the round starts on purpose, and the manager takes the OTP.
    manager.get(GSTIN, USERNAME).start();
    await vi.waitFor(() => expect(manager.get(GSTIN, USERNAME).state).toBe('otpRequested'));
    await manager.submitOtp(GSTIN, USERNAME, rig.otp());
    await expect(manager.credentials(GSTIN, USERNAME)).resolves.toMatchObject({ gstin: GSTIN });
  });

  it('resends an OTP through the manager, refused within the cooldown', async () => {
    rig = await createTestRig({ clock: createTestClock(T0) });
    const manager = rig.manager();
    manager.get(GSTIN, USERNAME).start();
    await vi.waitFor(() => expect(manager.get(GSTIN, USERNAME).state).toBe('otpRequested'));
    const early = await rejectionOf(manager.resendOtp(GSTIN, USERNAME));
    expect(isGstrError(early, 'OtpResendRefusedError')).toBe(true);
    rig.clock.advance(30_000);
    await manager.resendOtp(GSTIN, USERNAME);
    expect(rig.mock.count('getOtp')).toBe(2);
  });
});

describe('the session manager, reading through to its store', () => {
  let rig: TestRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('serves a stored session it never loaded, with no request and no start()', async () => {
    rig = await createTestRig({ clock: createTestClock(T0), mock: { otpMode: 'sandbox' } });
    const store = memoryStore();
    const first = rig.manager({ store });
    first.get(GSTIN, USERNAME).start();
    const issued = await first.submitOtp(GSTIN, USERNAME, '575757');
    await first.close();
    const before = rig.mock.requests.length;
    // Another process (or a restart) that skips start(): the record is read on first use.
    const second = rig.manager({ store, reauth: 'auto' });
    const [a, b] = await Promise.all([
      second.credentials(GSTIN, USERNAME),
      second.credentials(GSTIN, USERNAME),
    ]);
    expect(a.authToken).toBe(issued.authToken);
    expect(b.authToken).toBe(issued.authToken);
    expect(rig.mock.requests.length).toBe(before);
  });

  it('never sends an OTP for start() of a stored authenticated session it never loaded', async () => {
    rig = await createTestRig({ clock: createTestClock(T0), mock: { otpMode: 'sandbox' } });
    const store = memoryStore();
    const first = rig.manager({ store });
    first.get(GSTIN, USERNAME).start();
    await first.submitOtp(GSTIN, USERNAME, '575757');
    await first.close();
    const second = rig.manager({ store });
    second.get(GSTIN, USERNAME).start();
    await vi.waitFor(() => expect(second.get(GSTIN, USERNAME).state).toBe('authenticated'));
    expect(rig.mock.count('getOtp')).toBe(1);
  });

  it('fails fast with a typed StoreError while the store is down, and reads again once it is back', async () => {
    rig = await createTestRig({ clock: createTestClock(T0), mock: { otpMode: 'sandbox' } });
    const inner = memoryStore();
    let down = false;
    const flaky: SessionStore = {
      save: (k, r) => inner.save(k, r),
      load: async (k) => {
        if (down) throw new Error('connection refused');
        return inner.load(k);
      },
      delete: (k) => inner.delete(k),
      list: () => inner.list(),
    };
    const first = rig.manager({ store: flaky });
    first.get(GSTIN, USERNAME).start();
    const issued = await first.submitOtp(GSTIN, USERNAME, '575757');
    await first.close();
    const before = rig.mock.requests.length;
    down = true;
    const manager = rig.manager({ store: flaky, reauth: 'auto' });
    const error = await rejectionOf(manager.credentials(GSTIN, USERNAME));
    expect(isGstrError(error, 'StoreError')).toBe(true);
    expect((error as Error).message).toContain('could not be reached');
    expect(rig.mock.requests.length).toBe(before);
    down = false;
    await expect(manager.credentials(GSTIN, USERNAME)).resolves.toMatchObject({
      authToken: issued.authToken,
    });
    expect(rig.mock.requests.length).toBe(before);
  });
});
