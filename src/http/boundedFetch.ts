import { ResponseTooLargeError } from '../errors/ResponseTooLargeError.js';
import { type CapContext, readCapped } from './readCapped.js';

/** Statuses whose `Response` may not carry a body. */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/**
 * Wraps a `fetch` so that each answer is read whole, within `signal` and `cap.maxBytes`,
 * before anyone sees it, and no redirect is ever followed (the 3xx itself is returned, and
 * the caller refuses it). ky's retries and error handling then work on a body that is
 * already bounded in time and size.
 */
export function boundedFetch(
  base: typeof fetch,
  cap: CapContext,
  signal: AbortSignal,
): typeof fetch {
  return async (input, init) => {
    const response = await base(input, { ...init, signal, redirect: 'manual' });
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > cap.maxBytes) {
      response.body?.cancel().catch(() => {});
      throw new ResponseTooLargeError(cap.maxBytes, cap);
    }
    // A browser's opaque redirect (status 0) cannot be rebuilt; it has no body to bound.
    if (response.status < 200 || response.status > 599) return response;
    const body = await readCapped(response.body, cap, signal);
    return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
