import { fromPromise } from 'xstate';
import type { AccessToken, GstrProvider } from '../../src/providers/GstrProvider.js';
import { loginChecked, runProviderCall } from './withAccess.js';

/**
 * Logs in to the provider; leaving `loggingIn` aborts the request. A provider without a login
 * (GSTN direct) has nothing to do here: the session goes straight on to the OTP.
 */
export const loginActor = fromPromise<AccessToken | undefined, { readonly provider: GstrProvider }>(
  ({ input, signal }) =>
    runProviderCall('login', input, signal, (live, secrets) =>
      loginChecked(input.provider, live, secrets),
    ),
);
