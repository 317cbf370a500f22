import { fromPromise } from 'xstate';
import { GstrError } from '../../src/errors/GstrError.js';
import type { AuthTokenResult, TaxpayerRef } from '../../src/providers/GstrProvider.js';
import { type AccessInput, type WithAccess, withAccess } from './withAccess.js';

/** What a refresh needs: the current token and appKey. */
export interface RefreshTokenInput extends AccessInput, TaxpayerRef {
  readonly authToken: string;
  readonly appKey: string;
}

/** Extends the auth token without an OTP; leaving `refreshing` aborts the request. */
export const refreshTokenActor = fromPromise<WithAccess<AuthTokenResult>, RefreshTokenInput>(
  ({ input, signal }) =>
    withAccess(input, signal, (access, live) => {
      const refresh = input.provider.refreshToken;
      if (!refresh) {
        throw new GstrError('refreshToken is not offered by this provider', {
          step: 'refreshToken',
        });
      }
      return refresh.call(
        input.provider,
        {
          gstin: input.gstin,
          username: input.username,
          authToken: input.authToken,
          appKey: input.appKey,
        },
        { access, signal: live },
      );
    }),
);
