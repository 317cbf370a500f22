import type { GateStore } from './GateStore.js';
import { enterGate, type GateState, leaveGate, newGateState } from './gateRules.js';

/**
 * The gates of one process: the rules of `gateRules.ts` over a map, on `now` (the manager's
 * clock, so that a test's simulated hours open and close a breaker as real ones would).
 */
export function memoryGateStore(now: () => number): GateStore {
  const gates = new Map<string, GateState>();
  const gateOf = (account: string, limits: Parameters<typeof newGateState>[0]) => {
    let state = gates.get(account);
    if (!state) {
      state = newGateState(limits, now());
      gates.set(account, state);
    }
    return state;
  };
  return {
    async enter(account, slot, slotTtlMs, limits) {
      return enterGate(gateOf(account, limits), now(), slot, slotTtlMs, limits);
    },
    async leave(account, slot, outcome, holdMs, limits) {
      leaveGate(gateOf(account, limits), now(), slot, outcome, holdMs, limits);
    },
  };
}
