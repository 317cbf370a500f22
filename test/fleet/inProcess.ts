import { expect } from 'vitest';
import {
  createSessionManager,
  type SandboxOptions,
  type SessionManager,
  type SessionManagerOptions,
  type SessionStore,
  sandboxProvider,
} from '../../src/index.js';
import type { RedisSessionStore } from '../../src/redis/redisStore.js';
import type { SessionCoordinator } from '../../src/stores/SessionCoordinator.js';
import type { SessionKey } from '../../src/stores/SessionStore.js';
import { MOCK_SANDBOX_ACCOUNT } from '../../src/testing/mock/sandboxFace.js';
import type { TestRedis } from './redisServer.js';
import { eventually } from './workers.js';

/**
 * A manager in this process on the mock's Sandbox face, over `store` (one worker of a fleet,
 * as an app builds it). `provider` adds to the client's options, the rest to the manager's.
 */
export function sandboxManager(
  baseUrl: string,
  store: SessionStore,
  options: Partial<Omit<SessionManagerOptions, 'provider' | 'store'>> & {
    readonly provider?: Partial<SandboxOptions>;
  } = {},
): SessionManager {
  const { provider, ...rest } = options;
  return createSessionManager({
    provider: sandboxProvider({ ...MOCK_SANDBOX_ACCOUNT, baseUrl, ...provider }),
    store,
    ...rest,
  });
}

/**
 * Asserts that `store` fails fast and typed while `redis` is paused (a client that queues
 * commands would hang), then works again once it is resumed.
 */
export async function expectFailsFastWhilePaused(
  redis: TestRedis,
  store: SessionStore,
  key: SessionKey,
): Promise<void> {
  redis.pause();
  try {
    const started = Date.now();
    await expect(store.load(key)).rejects.toMatchObject({ name: 'StoreUnavailableError' });
    expect(Date.now() - started).toBeLessThan(2_000);
  } finally {
    redis.resume();
  }
  await store.save(key, { back: true });
  expect(await store.load(key)).toEqual({ back: true });
}

/**
 * Asserts that a coordinator's watcher hears each commit, and after a restart of `redis` says
 * its subscription is back (`onReady` again) and hears commits again; `isReady` tells when the
 * store's own client has reconnected.
 */
export async function expectWatchSurvivesRestart(
  redis: TestRedis,
  coordinator: SessionCoordinator,
  key: SessionKey,
  isReady: () => boolean,
): Promise<void> {
  const seen: number[] = [];
  let ready = 0;
  const stop = await coordinator.watch(
    (change) => seen.push(change.version),
    () => {
      ready += 1;
    },
  );
  try {
    expect(ready).toBe(1);
    await coordinator.commit(key, { n: 1 }, 0, undefined);
    await eventually(() => seen.length === 1, 5_000);
    await redis.restart();
    // The subscriber reconnects and resubscribes by itself; `onReady` asks for a re-read.
    await eventually(() => ready === 2, 10_000);
    await eventually(isReady, 10_000);
    await coordinator.commit(key, { n: 2 }, 0, undefined);
    await eventually(() => seen.length === 2, 5_000);
    expect(seen).toEqual([1, 1]);
  } finally {
    await stop();
  }
}

/**
 * Asserts what every client line must give the store: records sealed at rest and listed,
 * locks compared, and commits fenced by version and lock owner.
 */
export async function expectSealsListsAndFences(
  redis: TestRedis,
  store: RedisSessionStore,
  key: SessionKey,
): Promise<void> {
  await store.save(key, { secret: 'tok-SECRET-1234567890' });
  expect(await store.load(key)).toEqual({ secret: 'tok-SECRET-1234567890' });
  expect(await store.list()).toEqual([key]);
  expect(redis.cli(['HGETALL', store.recordKeyOf(key)])).not.toContain('tok-SECRET');
  const { coordinator } = store;
  const { version } = await coordinator.read(key);
  const owner = await coordinator.lock(key, 5_000);
  expect(owner).toBeDefined();
  expect(await coordinator.lock(key, 5_000)).toBeUndefined();
  expect(await coordinator.commit(key, { n: 'other' }, version, undefined)).toBeUndefined();
  expect(await coordinator.commit(key, { n: 2 }, version, owner)).toBe(version + 1);
  expect(await coordinator.commit(key, { n: 'stale' }, version, undefined)).toBeUndefined();
  expect((await coordinator.read(key)).record).toEqual({ n: 2 });
}
