import { GstrError, type GstrStep } from './GstrError.js';

/** What a provider said in an HTTP error answer. */
export interface ProviderHttpErrorDetails {
  readonly step: GstrStep;
  /** The host that answered, when known. */
  readonly host?: string | undefined;
  /** The HTTP status code. */
  readonly status: number;
  /** The provider's or GSTN's error code, when the body carried one (e.g. `AUTH4033`). */
  readonly providerCode?: string | undefined;
  /** The provider's message, with any secret of the request blanked out. */
  readonly providerMessage?: string | undefined;
  /** A hint on what to check, e.g. that the request path is an assumption. */
  readonly hint?: string | undefined;
  readonly cause?: unknown;
}

/** The provider answered with an HTTP error status (4xx or 5xx). */
export class ProviderHttpError extends GstrError {
  override readonly name: string = 'ProviderHttpError';
  override readonly code: string = 'GSTR_PROVIDER_HTTP';
  readonly status: number;
  readonly providerCode: string | undefined;
  readonly providerMessage: string | undefined;
  readonly hint: string | undefined;
  /** The host that answered, when known. */
  readonly host: string | undefined;

  constructor(details: ProviderHttpErrorDetails, what?: string) {
    const code = details.providerCode ? ` ${details.providerCode}` : '';
    const said = details.providerMessage ? `: ${details.providerMessage}` : '';
    const hint = details.hint ? ` (${details.hint})` : '';
    const who = what ?? `the provider${details.host ? ` (${details.host})` : ''} answered`;
    super(`${details.step} failed, ${who} HTTP ${details.status}${code}${said}${hint}`, details);
    this.host = details.host;
    this.status = details.status;
    this.providerCode = details.providerCode;
    this.providerMessage = details.providerMessage;
    this.hint = details.hint;
  }
}
