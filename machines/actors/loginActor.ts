import { fromPromise } from 'xstate';
import type { AccessToken, GstrProvider } from '../../src/providers/GstrProvider.js';
import { loginChecked, runProviderCall } from './withAccess.js';

/** Logs in to the provider; leaving `loggingIn` aborts the request. */
export const loginActor = fromPromise<AccessToken, { readonly provider: GstrProvider }>(
  ({ input, signal }) =>
    runProviderCall('login', input, signal, (live, secrets) =>
      loginChecked(input.provider, live, secrets),
    ),
);
