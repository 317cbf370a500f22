import { randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import { type RedisSessionStore, redisStore } from '../../src/redis/redisStore.js';
import { startRedis, type TestRedis } from './redisServer.js';

/**
 * Inside a `describe`: a redis-server and a connected client of the block's own, started
 * before its tests and stopped after them. Each call of the returned function is a new
 * `redisStore` under a prefix (and seal key) of its own, so tests share the server and
 * nothing else.
 */
export function useRedisStores(name: string): () => RedisSessionStore {
  let redis: TestRedis | undefined;
  let client: RedisClientType | undefined;
  let prefixes = 0;
  beforeAll(async () => {
    redis = await startRedis();
    client = createClient({ url: redis.url });
    client.on('error', () => {});
    await client.connect();
  }, 30_000);
  afterAll(async () => {
    await client?.close().catch(() => {});
    await redis?.stop();
  });
  return () => {
    if (!client) throw new Error('useRedisStores: the server is not started yet');
    prefixes += 1;
    return redisStore({
      client,
      sealKey: randomBytes(32).toString('base64'),
      prefix: `${name}${prefixes}`,
    });
  };
}
