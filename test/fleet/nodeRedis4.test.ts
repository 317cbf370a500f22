import { randomBytes } from 'node:crypto';
import { createClient } from 'redis4';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { redisStore } from '../../src/redis/index.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';
import {
  expectFailsFastWhilePaused,
  expectSealsListsAndFences,
  expectWatchSurvivesRestart,
} from './inProcess.js';
import { runRedis, startRedis, type TestRedis } from './redisServer.js';

let redis: TestRedis;
let client: ReturnType<typeof createClient>;
let prefixes = 0;
const key = { gstin: GSTIN, username: USERNAME };

function store() {
  prefixes += 1;
  return redisStore({
    client,
    sealKey: randomBytes(32).toString('base64'),
    prefix: `r4-${prefixes}`,
    lockTtlMs: 1_000,
    commandTimeoutMs: 300,
  });
}

/**
 * node-redis 4, the oldest line of the peer range: an app on it installs the package and the
 * store works through the same adapter as on v5 and v6.
 */
describe.skipIf(!runRedis)('redisStore on node-redis 4', () => {
  beforeAll(async () => {
    redis = await startRedis();
    client = createClient({ url: redis.url, socket: { reconnectStrategy: () => 50 } });
    client.on('error', () => {});
    await client.connect();
  }, 30_000);
  afterAll(async () => {
    await client?.quit().catch(() => {});
    await redis?.stop();
  });

  it('seals, lists, fences commits and compares locks', async () => {
    await expectSealsListsAndFences(redis, store(), key);
  });

  it('announces commits to a watcher, and says when its subscription is back after a restart', async () => {
    const { coordinator } = store();
    await expectWatchSurvivesRestart(redis, coordinator, key, () => client.isReady);
  }, 30_000);

  it('fails fast with StoreUnavailableError while the server is paused, then works again', async () => {
    await expectFailsFastWhilePaused(redis, store(), key);
  });
});
