import { fromPromise } from 'xstate';
import { GstrError } from '../../src/errors/GstrError.js';
import { TaxpayerSessionSchema } from '../../src/providers/contractSchemas.js';
import type { TaxpayerRef, TaxpayerSession } from '../../src/providers/GstrProvider.js';
import { checkedToken } from './checkedToken.js';
import { type AccessInput, type WithAccess, withAccess } from './withAccess.js';

/**
 * Starts a taxpayer session with no OTP (a provider whose challenge is the taxpayer's
 * password: NIC e-invoice, e-way bill); leaving `authenticating` aborts the request.
 */
export const authenticateActor = fromPromise<
  WithAccess<TaxpayerSession>,
  AccessInput & TaxpayerRef
>(async ({ input, signal }) =>
  checkedToken(
    await withAccess('authenticate', input, signal, TaxpayerSessionSchema, (access, live) => {
      const authenticate = input.provider.authenticate;
      if (!authenticate) {
        throw new GstrError('authenticate is not offered by this provider', {
          step: 'authenticate',
        });
      }
      return authenticate.call(
        input.provider,
        { gstin: input.gstin, username: input.username },
        { access, signal: live },
      );
    }),
    'authenticate',
    input.now(),
  ),
);
