import { ProviderHttpError, type ProviderHttpErrorDetails } from './ProviderHttpError.js';

/**
 * The provider rejected the credentials (HTTP 401): on `login`, the API username or
 * password; on any other step, the access token (a session re-logs in once, silently,
 * before it reports this).
 */
export class UnauthorizedError extends ProviderHttpError {
  override readonly name = 'UnauthorizedError';
  override readonly code: string = 'GSTR_UNAUTHORIZED';

  constructor(details: Omit<ProviderHttpErrorDetails, 'status'> & { status?: number }) {
    super(
      { ...details, status: details.status ?? 401 },
      details.step === 'login'
        ? 'the provider credentials were refused,'
        : 'the access token was refused,',
    );
  }
}
