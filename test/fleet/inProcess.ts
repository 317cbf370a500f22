import { expect } from 'vitest';
import {
  createSessionManager,
  type SandboxOptions,
  type SessionManager,
  type SessionManagerOptions,
  type SessionStore,
  sandboxProvider,
} from '../../src/index.js';
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
