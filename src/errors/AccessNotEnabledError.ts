import { ProviderHttpError, type ProviderHttpErrorDetails } from './ProviderHttpError.js';

/**
 * GSTN refused API access for this taxpayer (`AUTH4037`): API access is not enabled on the GST
 * portal, or the access duration chosen there is over or shorter than a token's life. Only the
 * taxpayer can fix it, at the portal; no retry and no new OTP helps, so none is made.
 */
export class AccessNotEnabledError extends ProviderHttpError {
  override readonly name = 'AccessNotEnabledError';
  override readonly code: string = 'GSTR_ACCESS_NOT_ENABLED';

  constructor(details: ProviderHttpErrorDetails) {
    super({
      ...details,
      hint:
        'the taxpayer must enable API access on the GST portal (My Profile > Manage API Access) ' +
        'and choose a longer access duration, e.g. 30 days; retrying does not help',
    });
  }
}
