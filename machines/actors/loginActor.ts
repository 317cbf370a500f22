import { fromPromise } from 'xstate';
import type { AccessToken, GstrProvider } from '../../src/providers/GstrProvider.js';

/** Logs in to the provider; leaving `loggingIn` aborts the request. */
export const loginActor = fromPromise<AccessToken, { readonly provider: GstrProvider }>(
  ({ input, signal }) => input.provider.login({ signal }),
);
