import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { redisStore } from '../../src/redis/index.js';
import { encryptedStore } from '../../src/stores/encryptedStore.js';
import { fileStore } from '../../src/stores/fileStore.js';
import { memoryStore } from '../../src/stores/memoryStore.js';
import { memoryFleetStore } from '../../src/testing/fleet/memoryFleetStore.js';
import { storeContract } from '../../src/testing/fleet/storeContract.js';
import { runRedis, startRedis, type TestRedis } from '../fleet/redisServer.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), `gstr-store-contract-${process.pid}-`));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('memoryStore', () => storeContract(it, () => memoryStore()));
describe('fileStore', () => storeContract(it, () => fileStore(tempDir())));
describe('encryptedStore', () =>
  storeContract(it, () => encryptedStore(fileStore(tempDir()), randomBytes(32))));
describe('memoryFleetStore', () => storeContract(it, () => memoryFleetStore()));

let redis: TestRedis;
let client: RedisClientType;
let prefixes = 0;
describe.skipIf(!runRedis)('redisStore', () => {
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
  storeContract(it, () =>
    redisStore({
      client,
      sealKey: randomBytes(32).toString('base64'),
      prefix: `store${++prefixes}`,
    }),
  );
});
