import { fromPromise } from 'xstate';
import { TaxpayerSessionSchema } from '../../src/providers/contractSchemas.js';
import type {
  OtpChallenge,
  TaxpayerRef,
  TaxpayerSession,
} from '../../src/providers/GstrProvider.js';
import { checkedToken } from './checkedToken.js';
import { type AccessInput, type WithAccess, withAccess } from './withAccess.js';

/** What the exchange needs: the OTP comes from the `otp.submit` event and is never stored. */
export interface GetAuthTokenInput extends AccessInput, TaxpayerRef {
  readonly otp: string;
  readonly challenge: OtpChallenge;
}

/** Exchanges the OTP and its challenge for a taxpayer session; leaving `verifyingOtp` aborts it. */
export const getAuthTokenActor = fromPromise<WithAccess<TaxpayerSession>, GetAuthTokenInput>(
  async ({ input, signal }) =>
    checkedToken(
      await withAccess('getAuthToken', input, signal, TaxpayerSessionSchema, (access, live) =>
        input.provider.getAuthToken(
          {
            gstin: input.gstin,
            username: input.username,
            otp: input.otp,
            challenge: input.challenge,
          },
          { access, signal: live },
        ),
      ),
      'getAuthToken',
      input.now(),
    ),
);
