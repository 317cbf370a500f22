import { GstrError, type GstrStep } from './GstrError.js';

/** The request failed below HTTP: refused or reset connection, DNS failure, socket closed. */
export class NetworkError extends GstrError {
  override readonly name = 'NetworkError';
  /** The system error code when known, e.g. `ECONNRESET`. */
  readonly code: string | undefined;
  /**
   * False only when the request certainly never reached the server (connection refused,
   * DNS failure), which is when a non-idempotent step may be retried safely.
   */
  readonly mayHaveReachedServer: boolean;

  constructor(
    code: string | undefined,
    mayHaveReachedServer: boolean,
    options: { step: GstrStep; cause?: unknown },
  ) {
    super(`${options.step} failed: network error${code ? ` ${code}` : ''}`, options);
    this.code = code;
    this.mayHaveReachedServer = mayHaveReachedServer;
  }
}
