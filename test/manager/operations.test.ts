import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import type { OtpRequestOutcome, SessionManager } from '../../src/manager/types.js';
import { memoryStore } from '../../src/stores/memoryStore.js';
import type { SessionStore } from '../../src/stores/SessionStore.js';
import { createTestRig, RIG_GSTIN, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { OTHER_GSTIN, rejectionOf } from '../helpers/fixtures.js';

const DAY = 86_400_000;

let rig: TestRig | undefined;
const managers: SessionManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  await rig?.close();
  rig = undefined;
});

/** A manager of the rig, closed after the test. */
function managerOf(r: TestRig, store: SessionStore) {
  const manager = r.manager({ store });
  managers.push(manager);
  return manager;
}

/** Sessions in four states on one store: authenticated, otpRequested, failed, loggedOut. */
async function fleetOfFour(r: TestRig, manager: SessionManager) {
  const authenticated = manager.get(RIG_GSTIN, 'clerk-a');
  authenticated.start();
  const { authToken } = await authenticated.submitOtp('575757');
  const waiting = manager.get(RIG_GSTIN, 'clerk-b');
  waiting.start();
  await waitFor(waiting.actor, (s) => s.value === 'otpRequested');
  r.mock.setFault('getOtp', { kind: 'status', status: 503 });
  const failed = manager.get(RIG_GSTIN, 'clerk-c');
  failed.start();
  await waitFor(failed.actor, (s) => s.value === 'failed');
  r.mock.setFault('getOtp', undefined);
  manager.get(OTHER_GSTIN, 'clerk-d');
  await manager.flush();
  return { authToken };
}

describe('manager.sessions', () => {
  it('lists sessions by state and need of a person, with their deadlines and no secret', async () => {
    // Arrange
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const manager = managerOf(rig, memoryStore());
    const { authToken } = await fleetOfFour(rig, manager);

    // Act
    const needy = await manager.sessions({ needsPerson: true });
    const live = await manager.sessions({ state: 'authenticated' });
    const failed = await manager.sessions({ failed: true });
    const outage = await manager.sessions({ error: 'ProviderUnavailableError' });
    const refused = await manager.sessions({ error: 'OtpRejectedError' });

    // Assert
    expect(needy.sessions.map((s) => s.username).sort()).toEqual(['clerk-b', 'clerk-c']);
    expect(live.sessions).toMatchObject([
      { username: 'clerk-a', state: 'authenticated', needsPerson: false },
    ]);
    const [held] = live.sessions;
    expect(held?.expiresAt).toBeGreaterThan(rig.clock.now());
    expect(held?.refreshAt).toBeLessThan(held?.expiresAt ?? 0);
    expect(failed.sessions).toMatchObject([
      { username: 'clerk-c', error: { name: 'ProviderUnavailableError', step: 'requestOtp' } },
    ]);
    expect(outage.sessions.map((s) => s.username)).toEqual(['clerk-c']);
    expect(refused.sessions).toEqual([]);
    expect(JSON.stringify([needy, live, failed])).not.toContain(authToken);
    expect(JSON.stringify([needy, live, failed])).not.toMatch(/"message"|appKey|sek/);
  });

  it('pages through a store it never loaded, without holding the sessions', async () => {
    // Arrange: one manager wrote twelve sessions; another, fresh, only reads the store.
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const store = memoryStore();
    const writer = managerOf(rig, store);
    for (let i = 0; i < 12; i += 1) {
      const session = writer.get(RIG_GSTIN, `clerk-${String(i).padStart(2, '0')}`);
      session.start();
      await session.submitOtp('575757');
    }
    await writer.flush();
    const reader = managerOf(rig, store);

    // Act
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await reader.sessions({ limit: 5, cursor });
      seen.push(...page.sessions.map((s) => s.username));
      cursor = page.cursor;
      pages += 1;
    } while (cursor);

    // Assert
    expect(pages).toBe(3);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(reader.list()).toEqual([]);
  });

  it('finds who will need an OTP when their portal access ends', async () => {
    // Arrange: 30 days of API access.
    rig = await createTestRig({
      provider: 'gstn',
      mock: { otpMode: 'sandbox', accessDurationMs: 30 * DAY },
    });
    const manager = managerOf(rig, memoryStore());
    const session = manager.get(RIG_GSTIN, 'clerk-a');
    session.start();
    await session.submitOtp('575757');
    const now = rig.clock.now();

    // Act
    const thisMonth = await manager.sessions({ accessEndsBefore: now + 31 * DAY });
    const thisWeek = await manager.sessions({ accessEndsBefore: now + 7 * DAY });

    // Assert
    expect(thisMonth.sessions).toMatchObject([{ accessExpiresAt: now + 30 * DAY }]);
    expect(thisWeek.sessions).toEqual([]);
  });

  it('refuses a bad query before it reads anything', async () => {
    // Arrange
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const manager = managerOf(rig, memoryStore());

    // Act
    const error = await rejectionOf(manager.sessions({ state: 'refreshing' as never, limit: 0 }));

    // Assert
    expect(error).toMatchObject({ name: 'InvalidInputError' });
    expect(String((error as Error).message)).toContain('sessions');
  });
});

describe('manager.requestOtps', () => {
  it('sends one SMS to each session that needs one, none to one holding a token or a valid OTP', async () => {
    // Arrange
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const manager = managerOf(rig, memoryStore());
    await fleetOfFour(rig, manager);
    const smsBefore = rig.mock.count('getOtp');
    const progress: OtpRequestOutcome[] = [];

    // Act
    const outcomes = await manager.requestOtps(
      ['clerk-a', 'clerk-b', 'clerk-c']
        .map((username) => ({ gstin: RIG_GSTIN, username }))
        .concat([{ gstin: OTHER_GSTIN, username: 'clerk-d' }]),
      { concurrency: 2, onOutcome: (o) => progress.push(o) },
    );

    // Assert
    expect(outcomes.map((o) => `${o.username} ${o.outcome}`)).toEqual([
      'clerk-a authenticated',
      'clerk-b pending',
      'clerk-c requested',
      'clerk-d requested',
    ]);
    expect(rig.mock.count('getOtp') - smsBefore).toBe(2);
    expect(progress).toHaveLength(4);
    expect(outcomes.find((o) => o.username === 'clerk-c')?.otpExpiresAt).toBeGreaterThan(
      rig.clock.now(),
    );
  });

  it('reports a failure per session and goes on with the others', async () => {
    // Arrange
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const manager = managerOf(rig, memoryStore());
    rig.mock.setFault('getOtp', { kind: 'status', status: 503, times: 1 });

    // Act
    const outcomes = await manager.requestOtps(
      [
        { gstin: RIG_GSTIN, username: 'clerk-1' },
        { gstin: RIG_GSTIN, username: 'clerk-2' },
      ],
      { concurrency: 1 },
    );

    // Assert
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['failed', 'requested']);
    expect(outcomes.find((o) => o.outcome === 'failed')?.error).toMatchObject({
      name: 'ProviderUnavailableError',
    });
  });

  it('checks every key before any SMS goes out', async () => {
    // Arrange
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const manager = managerOf(rig, memoryStore());

    // Act
    const error = await rejectionOf(
      manager.requestOtps([
        { gstin: RIG_GSTIN, username: 'clerk-1' },
        { gstin: '27AAPFU0939F1ZX', username: 'clerk-2' },
      ]),
    );

    // Assert
    expect(error).toMatchObject({ name: 'InvalidInputError' });
    expect(rig.mock.requests).toEqual([]);
  });
});
