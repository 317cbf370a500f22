import { randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe } from 'vitest';
import { redisStore } from '../../src/redis/index.js';
import { runRedis, startRedis, type TestRedis } from '../fleet/redisServer.js';
import { gateContract } from './gateContract.js';

let redis: TestRedis;
let client: RedisClientType;
let prefixes = 0;

describe.skipIf(!runRedis)("redisStore's account gates (the Lua copy of gateRules)", () => {
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

  gateContract(() => {
    const store = redisStore({
      client,
      sealKey: randomBytes(32).toString('base64'),
      prefix: `gate${++prefixes}`,
    });
    const gates = store.coordinator.gates;
    if (!gates) throw new Error('redisStore has no gates');
    // Redis keeps its own time: the scenarios ask again until it has passed.
    return { store: gates, pass: () => {} };
  });
});
