import {
  DEFAULT_SESSION_CONFIG,
  type GstrSessionContext,
  type GstrSessionInput,
  type SessionConfig,
} from './gstrSession.types.js';

/** The config options an object sets (and nothing else it holds). */
export function pickSessionConfig(input: Partial<SessionConfig>): Partial<SessionConfig> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_SESSION_CONFIG) as (keyof SessionConfig)[]) {
    if (input[key] !== undefined) picked[key] = input[key];
  }
  return picked as Partial<SessionConfig>;
}

/** The config of a session: each option from the input, or its default. */
export function sessionConfig(input: Partial<SessionConfig>): SessionConfig {
  return { ...DEFAULT_SESSION_CONFIG, ...pickSessionConfig(input) };
}

/** The context of a new session: logged out, no tokens, counters at zero. */
export function initialContext(input: GstrSessionInput): GstrSessionContext {
  return {
    deps: { provider: input.provider, now: input.now ?? Date.now },
    config: sessionConfig(input),
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
