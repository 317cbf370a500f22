import { OtpRejectedError } from '../../errors/OtpRejectedError.js';
import { ProviderHttpError } from '../../errors/ProviderHttpError.js';
import { UnauthorizedError } from '../../errors/UnauthorizedError.js';
import { gstnRefusal } from '../../gstn/gstnCodes.js';
import { type RequestContext, refusalDetails } from '../../http/transportError.js';

/** What Signzy's refusals add to the request context: what to check on a 404. */
export interface ErrorContext extends RequestContext {
  readonly notFoundHint: string;
}

/**
 * Classifies a Signzy refusal into the most specific error: GSTN's codes first (the one
 * shared table), then what Signzy's own statuses mean (a 400/422 on the OTP exchange is a
 * refused OTP; a 401 is its access token; a 404 is a path to check).
 */
export function providerRefusal(
  status: number,
  found: { code?: string; message?: string } | undefined,
  context: ErrorContext,
): ProviderHttpError {
  const details = refusalDetails(status, found, context);
  const gstn = gstnRefusal(details);
  if (gstn) return gstn;
  if (context.step === 'getAuthToken' && (status === 400 || status === 422)) {
    return new OtpRejectedError(details);
  }
  if (status === 401) return new UnauthorizedError(details);
  if (status === 404) return new ProviderHttpError({ ...details, hint: context.notFoundHint });
  return new ProviderHttpError(details);
}
