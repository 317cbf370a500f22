import type { ResolvedLimits } from './accountLimits.js';
import type { GateDecision, GateOutcome } from './gateRules.js';

/**
 * Where the gates of API accounts are kept: in this process (`memoryGateStore`), or in a store
 * every worker shares (`redisStore`'s coordinator has one), so that four workers together keep
 * one account's limits. Each method is one atomic step of `gateRules.ts`.
 */
export interface GateStore {
  /** Asks to start a call of `account` in slot `slot` (a fresh id per call). */
  enter(
    account: string,
    slot: string,
    slotTtlMs: number,
    limits: ResolvedLimits,
  ): Promise<GateDecision>;
  /** Ends the call of slot `slot`, with how it went. */
  leave(
    account: string,
    slot: string,
    outcome: GateOutcome,
    holdMs: number,
    limits: ResolvedLimits,
  ): Promise<void>;
}
