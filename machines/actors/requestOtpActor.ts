import { fromPromise } from 'xstate';
import { OtpChallengeSchema } from '../../src/providers/contractSchemas.js';
import type { OtpChallenge, TaxpayerRef } from '../../src/providers/GstrProvider.js';
import { type AccessInput, type WithAccess, withAccess } from './withAccess.js';

/** Asks the provider to send an OTP; leaving `requestingOtp` aborts the request. */
export const requestOtpActor = fromPromise<WithAccess<OtpChallenge>, AccessInput & TaxpayerRef>(
  ({ input, signal }) =>
    withAccess('requestOtp', input, signal, OtpChallengeSchema, (access, live) =>
      input.provider.requestOtp(
        { gstin: input.gstin, username: input.username },
        { access, signal: live },
      ),
    ),
);
