import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { createSessionManager } from '../../src/manager/createSessionManager.js';
import type { GstrProvider } from '../../src/providers/GstrProvider.js';
import { SignzyClient } from '../../src/providers/signzy/SignzyClient.js';
import { createGstrSession } from '../../src/session/createGstrSession.js';
import { encryptedStore } from '../../src/stores/encryptedStore.js';
import { memoryStore } from '../../src/stores/memoryStore.js';
import { createTestClock, type TestClock } from '../../src/testing/drive/createTestClock.js';
import {
  MOCK_DEFAULT_ACCOUNT,
  MOCK_FACES,
  MOCK_NIC_FACES,
  type MockProvider,
} from '../../src/testing/mock/types.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';

function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

const V1 = fixture<{
  savedAt: number;
  appKey: string;
  access: { accessToken: string; patronId: string };
  token: { authToken: string; sek: string; expiresAt: number };
  gstin: string;
  username: string;
}>('persisted-v1-authenticated.json');

describe('records saved by release 0.1.0', () => {
  let rig: TestRig | undefined;
  let mock: MockProvider | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
    mock = undefined;
  });

  async function setUp(at = V1.savedAt + 60 * 60_000): Promise<{
    clock: TestClock;
    provider: GstrProvider;
  }> {
    rig = await createTestRig({ clock: createTestClock(at) });
    mock = rig.mock;
    return { clock: rig.clock, provider: rig.provider };
  }

  it('restore a persisted v1 session with no request and the same token', async () => {
    const { clock, provider } = await setUp();
    const session = createGstrSession({
      provider,
      gstin: V1.gstin,
      username: V1.username,
      clock,
      snapshot: V1,
    });
    session.start();
    const credentials = await session.credentials();
    expect(credentials.authToken).toBe(V1.token.authToken);
    expect(credentials.sek).toBe(V1.token.sek);
    expect(credentials.appKey).toBe(V1.appKey);
    expect(credentials.accessToken).toBe(V1.access.accessToken);
    expect(credentials.details).toEqual({ patronId: V1.access.patronId });
    expect(credentials.expiresAt).toBe(V1.token.expiresAt);
    expect(mock?.requests).toEqual([]);
    // Saved again, it is the current format, and that restores to the same token too.
    const again = session.persist();
    expect(again.version).toBe(2);
    session.stop();
    const second = createGstrSession({
      provider,
      gstin: V1.gstin,
      username: V1.username,
      clock,
      snapshot: JSON.parse(JSON.stringify(again)),
    });
    second.start();
    expect(await second.credentials()).toEqual(credentials);
    expect(mock?.requests).toEqual([]);
    second.stop();
  });

  it('restore a v1 session saved mid-OTP as waiting for that OTP, with no request', async () => {
    const saved = fixture<{ savedAt: number }>('persisted-v1-otpRequested.json');
    const { clock, provider } = await setUp(saved.savedAt + 60_000);
    const session = createGstrSession({
      provider,
      gstin: V1.gstin,
      username: V1.username,
      clock,
      snapshot: saved,
    });
    session.start();
    expect(session.state).toBe('otpRequested');
    expect(mock?.requests).toEqual([]);
    session.stop();
  });

  it('restore an encryptedStore v1 record through the manager with no request', async () => {
    const { clock, provider } = await setUp();
    const { key, record } = fixture<{ key: string; record: unknown }>(
      'encrypted-v1-authenticated.json',
    );
    const inner = memoryStore();
    await inner.save({ gstin: V1.gstin, username: V1.username }, record);
    const manager = createSessionManager({ provider, clock, store: encryptedStore(inner, key) });
    const report = await manager.start();
    expect(report.restored).toBe(1);
    const credentials = await manager.credentials(V1.gstin, V1.username);
    expect(credentials.authToken).toBe(V1.token.authToken);
    expect(mock?.requests).toEqual([]);
    await manager.close();
  });
});

/** The field that restoring `snapshot` is refused for (an InvalidInputError is expected). */
function refusedField(snapshot: unknown): string {
  try {
    createGstrSession({
      provider: new SignzyClient({ ...MOCK_DEFAULT_ACCOUNT, baseUrl: 'http://127.0.0.1:9' }),
      gstin: V1.gstin,
      username: V1.username,
      snapshot,
    });
  } catch (error) {
    expect(isGstrError(error, 'InvalidInputError')).toBe(true);
    return (error as { field: string }).field;
  }
  throw new Error('expected the snapshot to be refused');
}

describe('records saved by release 0.3.0 (format 2), one per provider', () => {
  let rig: TestRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it.each(MOCK_FACES)(
    'restore a %s session with no request and the same token and secrets',
    async (face) => {
      const saved = fixture<{
        savedAt: number;
        token: { authToken: string; expiresAt: number; secrets: Record<string, string> };
      }>(`persisted-v2-${face}-authenticated.json`);
      rig = await createTestRig({ clock: createTestClock(saved.savedAt + 60_000), provider: face });
      const session = rig.session({ snapshot: saved });
      session.start();
      const credentials = await session.credentials();
      expect(credentials.provider).toBe(face);
      expect(credentials.authToken).toBe(saved.token.authToken);
      expect(credentials.secrets).toEqual(saved.token.secrets);
      expect(credentials.expiresAt).toBe(saved.token.expiresAt);
      expect(rig.mock.requests).toEqual([]);
    },
  );

  it.each(MOCK_NIC_FACES)(
    'restore a %s session (0.5) with no request and the same token and SEK',
    async (face) => {
      const saved = fixture<{
        savedAt: number;
        gstin: string;
        username: string;
        token: { authToken: string; expiresAt: number; secrets: Record<string, string> };
      }>(`persisted-v2-${face}-authenticated.json`);
      rig = await createTestRig({ clock: createTestClock(saved.savedAt + 60_000), provider: face });
      const session = rig.session({
        snapshot: saved,
        gstin: saved.gstin,
        username: saved.username,
      });
      session.start();
      const credentials = await session.credentials();
      expect(credentials.provider).toBe(face);
      expect(credentials.authToken).toBe(saved.token.authToken);
      expect(credentials.secrets).toEqual(saved.token.secrets);
      expect(rig.mock.requests).toEqual([]);
    },
  );

  it('restore an e-way bill session waiting for its login retry: no request until it is due', async () => {
    const saved = fixture<{
      savedAt: number;
      gstin: string;
      username: string;
      refreshRetryAt: number;
    }>('persisted-v2-ewaybill-loginRetry.json');
    const clock = createTestClock(saved.savedAt + 1_000);
    rig = await createTestRig({ clock, provider: 'ewaybill' });
    const session = rig.session({ snapshot: saved, gstin: saved.gstin, username: saved.username });
    session.start();
    expect(session.state).toBe('expired');
    expect(rig.mock.requests).toEqual([]);
    clock.advance(saved.refreshRetryAt - clock.now() + 1);
    const credentials = await session.credentials();
    expect(rig.mock.count('authenticate')).toBe(1);
    expect(rig.mock.isAuthTokenValid(credentials.authToken)).toBe(true);
  });

  it('restore a GSTN session saved mid-OTP as waiting for that OTP, with no request', async () => {
    const saved = fixture<{ savedAt: number }>('persisted-v2-gstn-otpRequested.json');
    rig = await createTestRig({ clock: createTestClock(saved.savedAt + 60_000), provider: 'gstn' });
    const session = rig.session({ snapshot: saved });
    session.start();
    expect(session.state).toBe('otpRequested');
    expect(session.snapshot.context.challenge?.secrets).toEqual(
      (saved as unknown as { challenge: { secrets: unknown } }).challenge.secrets,
    );
    expect(rig.mock.requests).toEqual([]);
  });

  it('refuse a record of another provider, naming it', async () => {
    const saved = fixture('persisted-v2-gstn-authenticated.json');
    expect(refusedField(saved)).toBe('snapshot.provider');
  });
});

describe('a restored record that lacks what its state needs', () => {
  for (const field of ['token', 'access', 'appKey'] as const) {
    it(`is refused when an authenticated v1 record has no ${field}`, () => {
      const { [field]: _dropped, ...rest } = V1 as unknown as Record<string, unknown>;
      expect(refusedField(rest)).toBe(`snapshot.${field}`);
    });
  }

  it('is refused when its expiry is not a finite number', () => {
    expect(refusedField({ ...V1, token: { ...V1.token, expiresAt: null } })).toBe(
      'snapshot.token.expiresAt',
    );
  });
});

describe('a stored record with a time beyond the Date range', () => {
  it('is refused naming the field, so no reader has to print an impossible date', () => {
    expect(refusedField({ ...V1, token: { ...V1.token, expiresAt: 1e300 } })).toBe(
      'snapshot.token.expiresAt',
    );
  });
});
