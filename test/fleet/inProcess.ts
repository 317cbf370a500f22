import { expect } from 'vitest';
import {
  createSessionManager,
  type SandboxOptions,
  type SessionManager,
  type SessionManagerOptions,
  type SessionStore,
  sandboxProvider,
} from '../../src/index.js';
import type { SessionKey } from '../../src/stores/SessionStore.js';
import { MOCK_SANDBOX_ACCOUNT } from '../../src/testing/mock/sandboxFace.js';
import type { TestRedis } from './redisServer.js';

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
