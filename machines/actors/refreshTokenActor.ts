import { fromPromise } from 'xstate';
import { GstrError } from '../../src/errors/GstrError.js';
import { TaxpayerSessionSchema } from '../../src/providers/contractSchemas.js';
import type { TaxpayerRef, TaxpayerSession } from '../../src/providers/GstrProvider.js';
import { checkedToken } from './checkedToken.js';
import { type AccessInput, type WithAccess, withAccess } from './withAccess.js';

/** What a refresh needs: the taxpayer session being extended. */
export interface RefreshTokenInput extends AccessInput, TaxpayerRef {
  readonly session: TaxpayerSession | undefined;
}

/** Extends the taxpayer session without an OTP; leaving `refreshing` aborts the request. */
export const refreshTokenActor = fromPromise<WithAccess<TaxpayerSession>, RefreshTokenInput>(
  async ({ input, signal }) =>
    checkedToken(
      await withAccess('refreshToken', input, signal, TaxpayerSessionSchema, (access, live) => {
        const refresh = input.provider.refreshToken;
        const { session } = input;
        if (!refresh || !session) {
          throw new GstrError('refreshToken is not offered by this provider', {
            step: 'refreshToken',
          });
        }
        return refresh.call(
          input.provider,
          { gstin: input.gstin, username: input.username, session },
          { access, signal: live },
        );
      }),
      'refreshToken',
      input.now(),
    ),
);
