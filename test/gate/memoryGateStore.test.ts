import { describe } from 'vitest';
import { memoryGateStore } from '../../src/gate/memoryGateStore.js';
import { gateContract } from './gateContract.js';

describe('memoryGateStore', () => {
  gateContract(() => {
    let now = Date.UTC(2027, 0, 1);
    return {
      store: memoryGateStore(() => now),
      pass: (ms) => {
        now += ms;
      },
    };
  });
});
