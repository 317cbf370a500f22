import { describe, expect, it } from 'vitest';
import { coordinatorContract } from '../../src/testing/fleet/coordinatorContract.js';
import { memoryFleetStore } from '../../src/testing/fleet/memoryFleetStore.js';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { GSTIN, USERNAME, VALID_GSTINS } from '../helpers/fixtures.js';
import { sandboxManager } from './inProcess.js';
import { runRedis } from './redisServer.js';
import { useRedisStores } from './useRedisStores.js';
import { eventually } from './workers.js';

describe('memoryFleetStore', () => {
  coordinatorContract(it, () => memoryFleetStore());

  it('lets managers in one process share sessions as workers on Redis do: one OTP round', async () => {
    // Arrange
    const mock = await createMockProvider({ face: 'sandbox', otpMode: 'sandbox' });
    const shared = memoryFleetStore({ lockTtlMs: 2_000 });
    const [a, b] = [sandboxManager(mock.url, shared), sandboxManager(mock.url, shared)];
    try {
      // Act: both ask; the OTP is typed on the other one.
      a.get(GSTIN, USERNAME).start();
      b.get(GSTIN, USERNAME).start();
      await eventually(() => mock.count('getOtp') >= 1, 5_000);
      const typed = await b.submitOtp(GSTIN, USERNAME, '575757');

      // Assert
      await eventually(() => a.get(GSTIN, USERNAME).state === 'authenticated', 5_000);
      expect((await a.credentials(GSTIN, USERNAME)).authToken).toBe(typed.authToken);
      expect(mock.count('getOtp')).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await mock.close();
    }
  });

  it('checks what a worker holds by version alone: a poll with nothing changed opens no record', async () => {
    // Arrange: a worker holding three sessions, polling every 50 ms.
    const mock = await createMockProvider({ face: 'sandbox', otpMode: 'sandbox' });
    const shared = memoryFleetStore({ pollIntervalMs: 50 });
    const c = shared.coordinator as { read: typeof shared.coordinator.read };
    const versionOf = shared.coordinator.readVersion?.bind(shared.coordinator);
    let [reads, versionReads] = [0, 0];
    const read = c.read.bind(shared.coordinator);
    c.read = async (key) => {
      reads += 1;
      return read(key);
    };
    (shared.coordinator as { readVersion?: typeof versionOf }).readVersion = async (key) => {
      versionReads += 1;
      return (await versionOf?.(key)) ?? 0;
    };
    const worker = sandboxManager(mock.url, shared);
    try {
      for (const gstin of VALID_GSTINS.slice(0, 3)) {
        worker.get(gstin, USERNAME).start();
        await eventually(() => mock.otpFor(gstin) !== undefined, 5_000);
        await worker.submitOtp(gstin, USERNAME, '575757');
      }
      const before = reads;

      // Act: several polls go by.
      await eventually(() => versionReads >= 9, 5_000);

      // Assert
      expect(reads).toBe(before);
    } finally {
      await worker.close();
      await mock.close();
    }
  });
});

describe.skipIf(!runRedis)('redisStore keeps the coordinator contract', () => {
  coordinatorContract(it, useRedisStores('contract'));
});
