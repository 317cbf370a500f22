import { type KeyObject, X509Certificate } from 'node:crypto';
import { InvalidInputError } from '../../errors/InvalidInputError.js';

/** GSTN's public certificate as the client uses it. */
export interface GstnCertificate {
  /** The RSA public key the app key is encrypted under. */
  readonly publicKey: KeyObject;
  /** When the certificate stops being valid (GSTN rotates it about yearly). */
  readonly validTo: Date;
}

/**
 * Reads GSTN's public certificate (PEM). Refused at once, with the option's name, when it is
 * not an X.509 certificate with an RSA key: a bad certificate must fail at start, not at the
 * first OTP.
 */
export function readCertificate(pem: string, field = 'certificate'): GstnCertificate {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new InvalidInputError(field, 'must be a PEM X.509 certificate (GSTN public key)', {
      step: 'session',
    });
  }
  const { publicKey } = certificate;
  if (publicKey.asymmetricKeyType !== 'rsa') {
    throw new InvalidInputError(field, 'must hold an RSA public key', { step: 'session' });
  }
  return { publicKey, validTo: new Date(certificate.validTo) };
}
