import { ProviderHttpError, type ProviderHttpErrorDetails } from './ProviderHttpError.js';

/**
 * The provider or GSTN refused for a while because too many requests came (HTTP 429, GSTN's
 * `GEN5005`): nothing is wrong with the request or the taxpayer; try again later, no sooner
 * than `retryAfterMs` when the answer said.
 *
 * @example
 * ```ts
 * if (isGstrError(error, 'RateLimitedError')) await sleep(error.retryAfterMs ?? 60_000);
 * ```
 */
export class RateLimitedError extends ProviderHttpError {
  override readonly name = 'RateLimitedError';
  override readonly code: string = 'GSTR_RATE_LIMITED';
  /** How long the answer asked to wait (`Retry-After` and its kin), in ms, if it said. */
  readonly retryAfterMs: number | undefined;
  /**
   * Whose limit it is: the API `account`'s (every session of it waits, fleet-wide), or one
   * `taxpayer` user's (NIC e-way bill's 5 logins per 15 minutes: that session alone waits).
   */
  readonly scope: 'account' | 'taxpayer';

  constructor(
    details: ProviderHttpErrorDetails & {
      readonly retryAfterMs?: number | undefined;
      readonly scope?: 'account' | 'taxpayer' | undefined;
    },
  ) {
    const { retryAfterMs, scope, ...rest } = details;
    super({
      ...rest,
      hint:
        rest.hint ??
        (retryAfterMs === undefined
          ? 'too many requests: try again later'
          : `too many requests: try again in ${Math.ceil(retryAfterMs / 1000)} s`),
    });
    this.retryAfterMs = retryAfterMs;
    this.scope = scope ?? 'account';
  }
}
