import { ProviderHttpError, type ProviderHttpErrorDetails } from './ProviderHttpError.js';

/** What a {@link ProviderUnavailableError} adds to an HTTP error's details. */
export interface ProviderUnavailableDetails extends ProviderHttpErrorDetails {
  /**
   * No request was sent: the circuit breaker of the API account is open after repeated outages
   * (on a shared store, for every worker), and calls fail fast until it lets a probe through.
   */
  readonly circuitOpen?: boolean | undefined;
  /** How long until the breaker lets a call through again, in ms, when it is open. */
  readonly retryAfterMs?: number | undefined;
}

/**
 * The GSP or GSTN is down or overloaded (HTTP 5xx, `GSPGSTDOWN`, `GSPERR300`, `TEC4001`): a
 * transient outage of the provider, not a refusal of this taxpayer's request nor a bug of the
 * app. Kept apart from GSTN's business errors so that an outage never reads as one. With
 * `circuitOpen`, no request was sent: the account's circuit breaker is open after repeated
 * outages, and `retryAfterMs` says when it lets a call through again.
 */
export class ProviderUnavailableError extends ProviderHttpError {
  override readonly name = 'ProviderUnavailableError';
  override readonly code: string = 'GSTR_PROVIDER_UNAVAILABLE';
  /** No request was sent: the account's circuit breaker is open. */
  readonly circuitOpen: boolean;
  /** When the breaker lets a call through again, in ms from now, when it is open. */
  readonly retryAfterMs: number | undefined;

  constructor(details: ProviderUnavailableDetails) {
    const { circuitOpen, retryAfterMs, ...rest } = details;
    super(
      rest,
      circuitOpen
        ? `the circuit breaker is open after repeated outages, no request was sent (retry in ${Math.ceil((retryAfterMs ?? 0) / 1000)} s); counted as`
        : undefined,
    );
    this.circuitOpen = circuitOpen === true;
    this.retryAfterMs = retryAfterMs;
  }
}
