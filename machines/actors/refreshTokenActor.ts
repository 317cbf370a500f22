import { fromPromise } from 'xstate';
import { GstrError } from '../../src/errors/GstrError.js';
import { AuthTokenResultSchema } from '../../src/providers/contractSchemas.js';
import type { AuthTokenResult, TaxpayerRef } from '../../src/providers/GstrProvider.js';
import { checkedToken } from './checkedToken.js';
import { type AccessInput, type WithAccess, withAccess } from './withAccess.js';

/** What a refresh needs: the current token, its sek and the appKey. */
export interface RefreshTokenInput extends AccessInput, TaxpayerRef {
  readonly authToken: string;
  /** Not sent by every provider; known here so that an error that echoes it is blanked. */
  readonly sek: string;
  readonly appKey: string;
}

/** Extends the auth token without an OTP; leaving `refreshing` aborts the request. */
export const refreshTokenActor = fromPromise<WithAccess<AuthTokenResult>, RefreshTokenInput>(
  async ({ input, signal }) =>
    checkedToken(
      await withAccess('refreshToken', input, signal, AuthTokenResultSchema, (access, live) => {
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
      'refreshToken',
      input.now(),
    ),
);
