import { fromPromise } from 'xstate';
import type {
  AccessToken,
  GstrProvider,
  TaxpayerRef,
  TaxpayerSession,
} from '../../src/providers/GstrProvider.js';
import { runProviderCall } from './withAccess.js';

/** What a logout needs: the provider's access token and the taxpayer session being ended. */
export interface LogoutInput extends TaxpayerRef {
  readonly provider: GstrProvider;
  readonly access: AccessToken | undefined;
  readonly session: TaxpayerSession | undefined;
}

/** Ends what the provider holds, where it can; leaving `loggingOut` aborts it. */
export const logoutActor = fromPromise<void, LogoutInput>(async ({ input, signal }) => {
  const { access, provider, session } = input;
  if (!provider.capabilities.logout || !provider.logout) return;
  // Nothing was ever opened at the provider: nothing to end.
  if (!access && !session) return;
  const logout = provider.logout.bind(provider);
  await runProviderCall('logout', input, signal, (live) =>
    logout({ gstin: input.gstin, username: input.username, session }, { access, signal: live }),
  );
});
