import { resolveSessionConfig } from '../src/schemas/sessionConfig.js';
import type { GstrSessionContext, GstrSessionInput } from './gstrSession.types.js';
import { EMPTY_RECORD } from './sessionRecord.js';

/** The context of a new session: logged out, no tokens, counters at zero, config resolved once. */
export function initialContext(input: GstrSessionInput): GstrSessionContext {
  return {
    deps: { provider: input.provider, now: input.now ?? Date.now },
    config: resolveSessionConfig(input, 'gstrSessionMachine'),
    gstin: input.gstin,
    username: input.username,
    ...EMPTY_RECORD,
    error: undefined,
  };
}
