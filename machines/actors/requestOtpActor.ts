import { fromPromise } from 'xstate';
import { OtpRequestResultSchema } from '../../src/providers/contractSchemas.js';
import type { OtpRequestResult, TaxpayerRef } from '../../src/providers/GstrProvider.js';
import { type AccessInput, type WithAccess, withAccess } from './withAccess.js';

/** Asks the provider to send an OTP; leaving `requestingOtp` aborts the request. */
export const requestOtpActor = fromPromise<WithAccess<OtpRequestResult>, AccessInput & TaxpayerRef>(
  ({ input, signal }) =>
    withAccess('requestOtp', input, signal, OtpRequestResultSchema, (access, live) =>
      input.provider.requestOtp(
        { gstin: input.gstin, username: input.username },
        { access, signal: live },
      ),
    ),
);
