import type { GstrSessionContext, GstrSessionInput } from './gstrSession.types.js';
import { EMPTY_RECORD } from './sessionRecord.js';
import { sessionConfigFor } from './sessionRules.js';

/** The context of a new session: logged out, no tokens, counters at zero, config resolved once. */
export function initialContext(input: GstrSessionInput): GstrSessionContext {
  return {
    deps: { provider: input.provider, now: input.now ?? Date.now },
    config: sessionConfigFor(input, 'gstrSessionMachine', input.provider),
    gstin: input.gstin,
    username: input.username,
    ...EMPTY_RECORD,
    error: undefined,
  };
}
