import { fromPromise } from 'xstate';
import type { AccessToken, GstrProvider } from '../../src/providers/GstrProvider.js';
import { whileRunning } from './whileRunning.js';

/** Logs in to the provider; leaving `loggingIn` aborts the request. */
export const loginActor = fromPromise<AccessToken, { readonly provider: GstrProvider }>(
  ({ input, signal }) => whileRunning(signal, (live) => input.provider.login({ signal: live })),
);
