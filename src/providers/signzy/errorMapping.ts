import { HTTPError } from 'ky';
import type { GstrError, GstrStep } from '../../errors/GstrError.js';
import { NetworkError } from '../../errors/NetworkError.js';
import { OtpRejectedError } from '../../errors/OtpRejectedError.js';
import {
  ProviderHttpError,
  type ProviderHttpErrorDetails,
} from '../../errors/ProviderHttpError.js';
import { UnauthorizedError } from '../../errors/UnauthorizedError.js';
import { redactText } from '../../secrets/redactText.js';
import { gstnRefusal } from '../gstn/gstnCodes.js';
import { providerErrorIn } from './errorBody.js';

/** System error codes that prove the request never reached the server. */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** The system error code (`ECONNRESET`...) somewhere in an error's cause chain. */
export function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether a failed fetch certainly never reached the server, so a retry cannot double-send. */
export function requestNeverSent(error: unknown): boolean {
  const code = systemErrorCode(error);
  return code !== undefined && NEVER_SENT_CODES.has(code);
}

/** What the request context adds to an error: which secrets to blank out, what to hint. */
export interface ErrorContext {
  readonly step: GstrStep;
  /** The provider's host, named in every error so that an operator knows where to look. */
  readonly host: string;
  readonly secrets: readonly (string | undefined)[];
  readonly notFoundHint: string;
}

/** Classifies a provider's refusal into the most specific error. */
export function providerRefusal(
  status: number,
  found: { code?: string; message?: string } | undefined,
  context: ErrorContext,
): ProviderHttpError {
  const details: ProviderHttpErrorDetails = {
    step: context.step,
    host: context.host,
    status,
    providerCode: found?.code,
    providerMessage:
      found?.message === undefined ? undefined : redactText(found.message, context.secrets),
  };
  // GSTN's codes first (the one shared table), then what Signzy's own statuses mean.
  const gstn = gstnRefusal(details);
  if (gstn) return gstn;
  if (context.step === 'getAuthToken' && (status === 400 || status === 422)) {
    return new OtpRejectedError(details);
  }
  if (status === 401) return new UnauthorizedError(details);
  if (status === 404) return new ProviderHttpError({ ...details, hint: context.notFoundHint });
  return new ProviderHttpError(details);
}

async function readErrorBody(error: HTTPError): Promise<unknown> {
  try {
    const text = await error.response.text();
    return text ? JSON.parse(text) : undefined;
  } catch {
    // An error body is a courtesy; its absence must not hide the status.
    return undefined;
  }
}

/** Whether a status is a redirect (or a browser's opaque one, status 0). */
function isRedirect(status: number): boolean {
  return status === 0 || (status >= 300 && status < 400);
}

/** The host a redirect points to, or `unknown` (a relative or missing `Location` is this host). */
function redirectHost(response: Response, host: string): string {
  const location = response.headers.get('location');
  if (!location) return 'unknown';
  return URL.canParse(location) ? new URL(location).host : host;
}

/**
 * Turns whatever a request threw into a {@link GstrError}. ky's own errors are never passed
 * on as `cause`: they hold the request, whose headers carry the access token.
 */
export async function toGstrError(error: unknown, context: ErrorContext): Promise<unknown> {
  if (error instanceof HTTPError) {
    const { status } = error.response;
    // A redirect is never followed: the body of this step (a password, an OTP) must not
    // reach a host that the app did not configure.
    if (isRedirect(status)) {
      return new ProviderHttpError({
        step: context.step,
        host: context.host,
        status,
        hint: `redirect to ${redirectHost(error.response, context.host)} refused; nothing was sent there`,
      });
    }
    const body = await readErrorBody(error);
    return providerRefusal(status, providerErrorIn(body), context);
  }
  if (error instanceof TypeError) {
    const code = systemErrorCode(error);
    // The system error (code, syscall, address) holds no secret and helps diagnosis.
    const cause = error.cause;
    return new NetworkError(code, !requestNeverSent(error), {
      step: context.step,
      host: context.host,
      cause,
      detail: cause instanceof Error ? redactText(cause.message, context.secrets) : undefined,
    });
  }
  return error;
}
