import { ProviderHttpError, type ProviderHttpErrorDetails } from './ProviderHttpError.js';

/**
 * The provider rejected the credentials (HTTP 401): on `login`, the API username or
 * password; on any other step, the access token (a session re-logs in once, silently,
 * before it reports this); with `credentials`, a GSP's client id or secret (GSTN's
 * `AUT4031`-`AUT4034`).
 */
export class UnauthorizedError extends ProviderHttpError {
  override readonly name = 'UnauthorizedError';
  override readonly code: string = 'GSTR_UNAUTHORIZED';

  /**
   * Whether the API credentials themselves were refused (a login, or a GSP's client id and
   * secret on any step), rather than an access token.
   */
  readonly credentials: boolean;

  constructor(
    details: Omit<ProviderHttpErrorDetails, 'status'> & {
      status?: number;
      credentials?: boolean;
    },
  ) {
    const credentials = details.step === 'login' || details.credentials === true;
    const { credentials: _, ...rest } = details;
    super(
      { ...rest, status: details.status ?? 401 },
      credentials ? 'the provider credentials were refused,' : 'the access token was refused,',
    );
    this.credentials = credentials;
  }
}
