import { HTTPError } from 'ky';
import type { GstrStep } from '../errors/GstrError.js';
import { isGstrError } from '../errors/isGstrError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { ProviderHttpError, type ProviderHttpErrorDetails } from '../errors/ProviderHttpError.js';
import { RateLimitedError } from '../errors/RateLimitedError.js';
import { redactText } from '../secrets/redactText.js';
import { retryAfterMs } from './retryAfter.js';

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

/** Where a request went and what must never show in its errors. */
export interface RequestContext {
  readonly step: GstrStep;
  /** The provider's host, named in every error so that an operator knows where to look. */
  readonly host: string;
  readonly secrets: readonly (string | undefined)[];
}

/** A provider's reading of an HTTP refusal (its body already parsed, or `undefined`). */
export type RefusalReader = (status: number, body: unknown, context: RequestContext) => Error;

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
 * Turns whatever a request threw into a typed error: a redirect (never followed), a refusal
 * (read by the provider's `refusal`), a network failure. ky's own errors are never passed on
 * as `cause`: they hold the request, whose headers carry tokens.
 */
export async function toTransportError(
  error: unknown,
  context: RequestContext,
  refusal: RefusalReader,
): Promise<unknown> {
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
    const refused = refusal(status, await readErrorBody(error), context);
    // Too many requests, whatever the provider's body said: typed, with when to come back.
    if (
      status === 429 &&
      !isGstrError(refused, 'RateLimitedError') &&
      isGstrError(refused, 'ProviderHttpError')
    ) {
      return new RateLimitedError({
        step: refused.step,
        host: refused.host,
        status,
        providerCode: refused.providerCode,
        providerMessage: refused.providerMessage,
        retryAfterMs: retryAfterMs(error.response.headers),
      });
    }
    return refused;
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

/** The details of a refusal: status, the provider's code, and its message without secrets. */
export function refusalDetails(
  status: number,
  found: { readonly code?: string; readonly message?: string } | undefined,
  context: RequestContext,
): ProviderHttpErrorDetails {
  return {
    step: context.step,
    host: context.host,
    status,
    providerCode: found?.code,
    providerMessage:
      found?.message === undefined ? undefined : redactText(found.message, context.secrets),
  };
}
