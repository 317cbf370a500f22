import { GstrError, type GstrStep } from './GstrError.js';

/** The request failed below HTTP: refused or reset connection, DNS failure, socket closed. */
export class NetworkError extends GstrError {
  override readonly name = 'NetworkError';
  override readonly code: string = 'GSTR_NETWORK';
  /** The system error code when known, e.g. `ECONNRESET` (`code` is the library's own). */
  readonly systemCode: string | undefined;
  /**
   * False only when the request certainly never reached the server (connection refused,
   * DNS failure), which is when a non-idempotent step may be retried safely.
   */
  readonly mayHaveReachedServer: boolean;

  /** The host the request went to, when known. */
  readonly host: string | undefined;

  constructor(
    code: string | undefined,
    mayHaveReachedServer: boolean,
    options: {
      step: GstrStep;
      cause?: unknown;
      host?: string | undefined;
      /** What the system said when it gave no code (e.g. `bad port`); never a secret. */
      detail?: string | undefined;
    },
  ) {
    const where = options.host ? ` reaching ${options.host}` : '';
    const what = code ? ` ${code}` : options.detail ? ` (${options.detail})` : '';
    super(`${options.step} failed: network error${what}${where}`, options);
    this.systemCode = code;
    this.host = options.host;
    this.mayHaveReachedServer = mayHaveReachedServer;
  }
}
