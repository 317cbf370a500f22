import type { ProviderHttpErrorDetails } from './ProviderHttpError.js';
import { ProviderUnavailableError } from './ProviderUnavailableError.js';

/**
 * A refusal with a 5xx status and no code that says more: the provider (or the authority
 * behind it) is down, a `ProviderUnavailableError`, else `undefined`. One home for the rule:
 * GSTN's and NIC's code tables both fall back on it.
 */
export function outageOfStatus(
  details: ProviderHttpErrorDetails,
): ProviderUnavailableError | undefined {
  return details.status >= 500 ? new ProviderUnavailableError(details) : undefined;
}
