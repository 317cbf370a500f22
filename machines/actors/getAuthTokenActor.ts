import { fromPromise } from 'xstate';
import { AuthTokenResultSchema } from '../../src/providers/contractSchemas.js';
import type { AuthTokenResult, TaxpayerRef } from '../../src/providers/GstrProvider.js';
import { checkedToken } from './checkedToken.js';
import { type AccessInput, type WithAccess, withAccess } from './withAccess.js';

/** What the exchange needs: the OTP comes from the `otp.submit` event and is never stored. */
export interface GetAuthTokenInput extends AccessInput, TaxpayerRef {
  readonly otp: string;
  readonly appKey: string;
}

/** Exchanges OTP and appKey for the auth token; leaving `verifyingOtp` aborts the request. */
export const getAuthTokenActor = fromPromise<WithAccess<AuthTokenResult>, GetAuthTokenInput>(
  async ({ input, signal }) =>
    checkedToken(
      await withAccess('getAuthToken', input, signal, AuthTokenResultSchema, (access, live) =>
        input.provider.getAuthToken(
          { gstin: input.gstin, username: input.username, otp: input.otp, appKey: input.appKey },
          { access, signal: live },
        ),
      ),
      'getAuthToken',
      input.now(),
    ),
);
