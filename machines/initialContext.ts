import { resolveSessionConfig } from '../src/schemas/sessionConfig.js';
import type { GstrSessionContext, GstrSessionInput } from './gstrSession.types.js';

/** The context of a new session: logged out, no tokens, counters at zero, config resolved once. */
export function initialContext(input: GstrSessionInput): GstrSessionContext {
  return {
    deps: { provider: input.provider, now: input.now ?? Date.now },
    config: resolveSessionConfig(input, 'gstrSessionMachine'),
    gstin: input.gstin,
    username: input.username,
    access: undefined,
    appKey: undefined,
    otpReason: 'initial',
    otpRequestedAt: undefined,
    otpExpiresAt: undefined,
    otpAttempts: 0,
    otpResends: 0,
    token: undefined,
    expiringNotified: false,
    refreshFailed: false,
    error: undefined,
  };
}
