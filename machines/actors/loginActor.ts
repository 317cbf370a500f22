import { fromPromise } from 'xstate';
import type { AccessToken, GstrProvider } from '../../src/providers/GstrProvider.js';
import { loginChecked, runProviderCall } from './withAccess.js';

/**
 * Logs in to the provider; leaving `loggingIn` aborts the request. A provider without a login
 * (GSTN direct) has nothing to do here: the session goes straight on to the OTP, and no
 * provider call is traced (a span would count a login that never went out).
 */
export const loginActor = fromPromise<AccessToken | undefined, { readonly provider: GstrProvider }>(
  async ({ input, signal }) => {
    if (!input.provider.capabilities.login || !input.provider.login) return undefined;
    return runProviderCall('login', input, signal, (live, secrets) =>
      loginChecked(input.provider, live, secrets),
    );
  },
);
