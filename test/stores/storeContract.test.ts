import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { encryptedStore } from '../../src/stores/encryptedStore.js';
import { fileStore } from '../../src/stores/fileStore.js';
import { memoryStore } from '../../src/stores/memoryStore.js';
import { memoryFleetStore } from '../../src/testing/fleet/memoryFleetStore.js';
import { storeContract } from '../../src/testing/fleet/storeContract.js';
import { runRedis } from '../fleet/redisServer.js';
import { useRedisStores } from '../fleet/useRedisStores.js';

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

describe.skipIf(!runRedis)('redisStore', () => storeContract(it, useRedisStores('store')));
