import type { ResolvedLimits } from './accountLimits.js';

/**
 * One API account's gate: what the in-flight cap, the token bucket, a provider's hold and the
 * circuit breaker know. This file is the rule; the Redis store's scripts (`src/redis/
 * gateScripts.ts`) are the same rule in Lua, and one contract suite runs both.
 */
export interface GateState {
  /** Tokens left in the bucket at `at` (fractions refill between calls). */
  tokens: number;
  /** When `tokens` was counted (epoch ms). */
  at: number;
  /** Nothing starts before this (a provider's `Retry-After`, held for every caller). */
  holdUntil: number;
  /** The breaker is open until this; 0: closed. Past it (and not 0): half-open, one probe. */
  openUntil: number;
  /** While a probe is out: until when its slot lives. */
  probeUntil: number;
  /** Outages in a row. */
  faults: number;
  /** The calls in flight: slot id to when its slot lapses (a worker that died holds none). */
  readonly slots: Map<string, number>;
}

/** Why a call waits. */
export type GateWait = 'held' | 'open' | 'probing' | 'busy' | 'rate';

/** The gate's answer to a call that asks to start. */
export type GateDecision =
  | { readonly admitted: true; readonly probe: boolean }
  | { readonly admitted: false; readonly why: GateWait; readonly waitMs: number };

/**
 * How a call ended, for the breaker and the hold: `ok` (the provider answered, whatever it
 * said), `fault` (an outage), `limited` (a rate limit: everyone waits `holdMs`), `none` (no
 * answer to judge: the caller gave up).
 */
export type GateOutcome = 'ok' | 'fault' | 'limited' | 'none';

/** The longest a caller waits between two asks when the gate is full (a slot may free sooner). */
export const GATE_POLL_MS = 250;

/** A new account's gate: a full bucket, closed breaker. */
export function newGateState(limits: ResolvedLimits, now: number): GateState {
  return {
    tokens: limits.burst,
    at: now,
    holdUntil: 0,
    openUntil: 0,
    probeUntil: 0,
    faults: 0,
    slots: new Map(),
  };
}

/**
 * Asks to start a call: admitted (and counted: a slot taken, a token spent, and while the
 * breaker is half-open, the probe), or told why not and how long to wait.
 */
export function enterGate(
  state: GateState,
  now: number,
  slot: string,
  slotTtlMs: number,
  limits: ResolvedLimits,
): GateDecision {
  if (state.holdUntil > now) return { admitted: false, why: 'held', waitMs: state.holdUntil - now };
  let probe = false;
  if (state.openUntil > 0) {
    if (state.openUntil > now)
      return { admitted: false, why: 'open', waitMs: state.openUntil - now };
    if (state.probeUntil > now)
      return { admitted: false, why: 'probing', waitMs: state.probeUntil - now };
    probe = true;
  }
  for (const [id, lapses] of state.slots) if (lapses <= now) state.slots.delete(id);
  if (state.slots.size >= limits.maxInFlight) {
    const first = Math.min(...state.slots.values());
    return {
      admitted: false,
      why: 'busy',
      waitMs: Math.max(1, Math.min(first - now, GATE_POLL_MS)),
    };
  }
  const tokens = Math.min(
    limits.burst,
    state.tokens + (Math.max(0, now - state.at) * limits.ratePerSecond) / 1000,
  );
  if (tokens < 1)
    return {
      admitted: false,
      why: 'rate',
      waitMs: Math.max(1, Math.ceil(((1 - tokens) * 1000) / limits.ratePerSecond)),
    };
  state.tokens = tokens - 1;
  state.at = now;
  if (probe) state.probeUntil = now + slotTtlMs;
  state.slots.set(slot, now + slotTtlMs);
  return { admitted: true, probe };
}

/**
 * Ends a call: its slot is freed; an answer closes the breaker and clears the outage count;
 * an outage counts, and opens the breaker at `breakerFaults` in a row (or at once when it was
 * the probe); a rate limit holds every caller for `holdMs`.
 */
export function leaveGate(
  state: GateState,
  now: number,
  slot: string,
  outcome: GateOutcome,
  holdMs: number,
  limits: ResolvedLimits,
): void {
  state.slots.delete(slot);
  if (outcome === 'ok') {
    state.faults = 0;
    state.openUntil = 0;
    state.probeUntil = 0;
  } else if (outcome === 'fault') {
    state.faults += 1;
    const probing = state.openUntil > 0;
    if (limits.breakerFaults > 0 && (probing || state.faults >= limits.breakerFaults)) {
      state.openUntil = now + limits.breakerOpenMs;
      state.probeUntil = 0;
    }
  } else if (outcome === 'limited') {
    state.holdUntil = Math.max(state.holdUntil, now + holdMs);
    // A rate limit is an answer: the provider is up.
    state.faults = 0;
    state.openUntil = 0;
    state.probeUntil = 0;
  } else if (state.openUntil > 0) {
    // A call given up says nothing of the provider; were it the probe, another may go.
    state.probeUntil = 0;
  }
}
