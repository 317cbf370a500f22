import { describe } from 'vitest';
import { runRedis } from '../fleet/redisServer.js';
import { useRedisStores } from '../fleet/useRedisStores.js';
import { gateContract } from './gateContract.js';

describe.skipIf(!runRedis)("redisStore's account gates (the Lua copy of gateRules)", () => {
  const store = useRedisStores('gate');
  gateContract(() => {
    const gates = store().coordinator.gates;
    if (!gates) throw new Error('redisStore has no gates');
    // Redis keeps its own time: the scenarios ask again until it has passed.
    return { store: gates, pass: () => {} };
  });
});
