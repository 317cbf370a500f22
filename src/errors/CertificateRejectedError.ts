import { ProviderHttpError, type ProviderHttpErrorDetails } from './ProviderHttpError.js';

/**
 * GSTN could not read what was encrypted under its public key (`TEC4002`): the configured
 * certificate is stale (GSTN rotates it about yearly). Configure the current one, or give the
 * provider an `onCertificateRejected` hook that fetches it.
 */
export class CertificateRejectedError extends ProviderHttpError {
  override readonly name = 'CertificateRejectedError';
  override readonly code: string = 'GSTR_CERTIFICATE_REJECTED';

  constructor(details: ProviderHttpErrorDetails) {
    super({
      ...details,
      hint:
        details.hint ??
        "GSTN's public certificate has probably been rotated: configure the current one",
    });
  }
}
