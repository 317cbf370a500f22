import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { GstrError } from '../../src/errors/GstrError.js';
import type { GstrProvider } from '../../src/providers/GstrProvider.js';
import { createGstrSession } from '../../src/session/createGstrSession.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';

describe('a session over a custom provider', () => {
  it('turns its own errors into GstrErrors with the secrets blanked out', async () => {
    const accessToken = 'custom-access-token-0042';
    const provider: GstrProvider = {
      name: 'custom',
      capabilities: {
        login: true,
        refresh: false,
        logout: false,
        accessDuration: false,
        reads: false,
      },
      login: async () => ({ accessToken, expiresAt: Date.now() + 60_000 }),
      requestOtp: async () => {
        throw new RangeError(`upstream refused token ${accessToken}`);
      },
      getAuthToken: async () => {
        throw new Error('unreachable');
      },
    };
    const session = createGstrSession({ provider, gstin: GSTIN, username: USERNAME });
    session.start();
    await waitFor(session.actor, (s) => s.value === 'failed', { timeout: 2_000 });
    const error = session.snapshot.context.error;
    expect(error).toBeInstanceOf(GstrError);
    expect(error?.step).toBe('requestOtp');
    expect(error?.message).toBe('requestOtp failed: RangeError: upstream refused token [redacted]');
    // The raw error held the token in its message: it is not kept as the cause.
    expect(error?.cause).toBeUndefined();
    session.stop();
  });

  it('keeps a foreign cause that holds no secret', async () => {
    const provider: GstrProvider = {
      name: 'custom',
      capabilities: {
        login: true,
        refresh: false,
        logout: false,
        accessDuration: false,
        reads: false,
      },
      login: async () => ({
        accessToken: 'tok-0042-xyz',

        expiresAt: Date.now() + 60_000,
      }),
      requestOtp: async () => {
        throw new RangeError('upstream is down');
      },
      getAuthToken: async () => {
        throw new Error('unreachable');
      },
    };
    const session = createGstrSession({ provider, gstin: GSTIN, username: USERNAME });
    session.start();
    await waitFor(session.actor, (s) => s.value === 'failed', { timeout: 2_000 });
    expect(session.snapshot.context.error?.cause).toBeInstanceOf(RangeError);
    session.stop();
  });
});
