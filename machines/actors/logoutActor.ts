import { fromPromise } from 'xstate';
import type { AccessToken, GstrProvider } from '../../src/providers/GstrProvider.js';
import { runProviderCall } from './withAccess.js';

/** Ends the provider session where the provider offers it; leaving `loggingOut` aborts it. */
export const logoutActor = fromPromise<
  void,
  { readonly provider: GstrProvider; readonly access: AccessToken | undefined }
>(async ({ input, signal }) => {
  const { access, provider } = input;
  if (!access || !provider.logout) return;
  const logout = provider.logout.bind(provider);
  await runProviderCall('logout', input, signal, (live) => logout({ access, signal: live }));
});
