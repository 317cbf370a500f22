import { ProviderHttpError, type ProviderHttpErrorDetails } from './ProviderHttpError.js';

/**
 * GSTN refused the taxpayer's auth token (`AUTH4038` session expired, `AUTH4033` invalid
 * session, `RET11402`, `RET11407`...): the session is over before its expiry. A session that
 * meets this goes `expired` and re-authenticates by its mode's rules.
 */
export class TokenRejectedError extends ProviderHttpError {
  override readonly name = 'TokenRejectedError';
  override readonly code: string = 'GSTR_TOKEN_REJECTED';

  constructor(details: ProviderHttpErrorDetails) {
    super(details, `GSTN refused the auth token${details.host ? ` (via ${details.host})` : ''},`);
  }
}
