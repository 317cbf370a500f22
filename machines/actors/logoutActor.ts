import { fromPromise } from 'xstate';
import type { AccessToken, GstrProvider } from '../../src/providers/GstrProvider.js';

/** Ends the provider session where the provider offers it; leaving `loggingOut` aborts it. */
export const logoutActor = fromPromise<
  void,
  { readonly provider: GstrProvider; readonly access: AccessToken | undefined }
>(async ({ input, signal }) => {
  if (input.access && input.provider.logout) {
    await input.provider.logout({ access: input.access, signal });
  }
});
