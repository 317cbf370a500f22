import { ProviderHttpError, type ProviderHttpErrorDetails } from './ProviderHttpError.js';

/**
 * The GSP or GSTN is down or overloaded (HTTP 5xx, `GSPGSTDOWN`, `GSPERR300`, `TEC4001`): a
 * transient outage of the provider, not a refusal of this taxpayer's request nor a bug of the
 * app. Kept apart from GSTN's business errors so that an outage never reads as one.
 */
export class ProviderUnavailableError extends ProviderHttpError {
  override readonly name = 'ProviderUnavailableError';
  override readonly code: string = 'GSTR_PROVIDER_UNAVAILABLE';

  constructor(details: ProviderHttpErrorDetails) {
    super(details);
  }
}
