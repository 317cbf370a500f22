import { CertificateRejectedError } from '../errors/CertificateRejectedError.js';
import { outageOfStatus } from '../errors/outageOfStatus.js';
import { ProviderHttpError, type ProviderHttpErrorDetails } from '../errors/ProviderHttpError.js';
import { RateLimitedError } from '../errors/RateLimitedError.js';
import { TokenRejectedError } from '../errors/TokenRejectedError.js';
import { UnauthorizedError } from '../errors/UnauthorizedError.js';

/**
 * What a NIC error code (e-invoice IRP or e-way bill) means to a session. The one table of
 * NIC's codes, beside GSTN's (`gstnCodes.ts`); sources in `docs/guide.md`, "NIC sessions".
 */
export type NicCodeMeaning =
  /** The auth token is no longer accepted (expired, or voided by a login elsewhere). */
  | 'tokenRejected'
  /** The taxpayer's API username or password was refused: a person must fix it. */
  | 'credentialsRefused'
  /** The GSP's client id or secret was refused: a configuration error. */
  | 'clientRefused'
  /** NIC could not decrypt the payload: the configured public key is the wrong one. */
  | 'keyRejected'
  /** Too many logins (e-way bill: 5 per 15 minutes): try again later. */
  | 'rateLimited';

const TABLE: Readonly<Record<string, NicCodeMeaning>> = {
  // e-invoice (IRP "vital" errors)
  '1005': 'tokenRejected',
  '1008': 'credentialsRefused',
  '1014': 'credentialsRefused',
  '1017': 'credentialsRefused',
  '1019': 'credentialsRefused',
  '1010': 'clientRefused',
  '1011': 'clientRefused',
  '1012': 'clientRefused',
  '1018': 'clientRefused',
  '1013': 'keyRejected',
  '1016': 'keyRejected',
  // e-way bill
  '105': 'tokenRejected',
  '106': 'tokenRejected',
  '238': 'tokenRejected',
  '101': 'credentialsRefused',
  '102': 'credentialsRefused',
  '108': 'credentialsRefused',
  '103': 'clientRefused',
  '104': 'clientRefused',
  '110': 'clientRefused',
  '111': 'clientRefused',
  '116': 'clientRefused',
  '237': 'clientRefused',
  '109': 'keyRejected',
  '118': 'rateLimited',
};

/** E-way bill's 118 says "try after 5 minutes". */
const EWB_RETRY_AFTER_MS = 5 * 60_000;

/**
 * What a NIC code means, or `undefined` for a code not in the table. NIC may list several
 * codes (`"238,105"`): the first one the table knows decides.
 */
export function nicCodeMeaning(codes: string | undefined): NicCodeMeaning | undefined {
  for (const code of codes?.split(/[,\s]+/) ?? []) {
    const meaning = TABLE[code.trim()];
    if (meaning) return meaning;
  }
  return undefined;
}

/**
 * The typed error for a NIC refusal (or a 5xx: an outage), or `undefined` when neither its
 * code nor its status says more.
 */
export function nicRefusal(details: ProviderHttpErrorDetails): ProviderHttpError | undefined {
  switch (nicCodeMeaning(details.providerCode)) {
    case 'tokenRejected':
      return new TokenRejectedError(details);
    case 'credentialsRefused':
      return new ProviderHttpError({
        ...details,
        hint: "NIC refused the taxpayer's API username or password: check them on the portal",
      });
    case 'clientRefused':
      return new UnauthorizedError({
        ...details,
        credentials: true,
        hint: 'NIC refused the client id or client secret',
      });
    case 'keyRejected':
      return new CertificateRejectedError({
        ...details,
        hint: "NIC could not decrypt the request: configure NIC's public key of this environment",
      });
    case 'rateLimited':
      // One user's auth limit: that session waits, not the API account's other taxpayers.
      return new RateLimitedError({
        ...details,
        retryAfterMs: EWB_RETRY_AFTER_MS,
        scope: 'taxpayer',
      });
    default:
      return outageOfStatus(details);
  }
}
