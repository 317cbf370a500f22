import { fromPromise } from 'xstate';
import type { AccessToken, GstrProvider } from '../../src/providers/GstrProvider.js';
import { whileRunning } from './whileRunning.js';

/** Ends the provider session where the provider offers it; leaving `loggingOut` aborts it. */
export const logoutActor = fromPromise<
  void,
  { readonly provider: GstrProvider; readonly access: AccessToken | undefined }
>(async ({ input, signal }) => {
  if (input.access && input.provider.logout) {
    const { access } = input;
    const logout = input.provider.logout.bind(input.provider);
    await whileRunning(signal, (live) => logout({ access, signal: live }));
  }
});
