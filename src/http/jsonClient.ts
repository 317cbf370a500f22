import ky, { HTTPError, type KyInstance, type Options as KyOptions } from 'ky';
import type { GstrStep } from '../errors/GstrError.js';
import { isGstrError } from '../errors/isGstrError.js';
import { ResponseValidationError } from '../errors/ResponseValidationError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { stepDeadline } from '../time/deadline.js';
import { boundedFetch } from './boundedFetch.js';
import { retryAfterMs } from './retryAfter.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retryPolicy.js';
import {
  type RefusalReader,
  type RequestContext,
  requestNeverSent,
  toTransportError,
} from './transportError.js';

/** How one provider's HTTP client behaves; the same hardening holds for every provider. */
export interface JsonClientOptions {
  readonly baseUrl: string;
  /** The longest one step may take: headers, the whole body and every retry. */
  readonly timeoutMs: number;
  /** The largest answer of a step unless the request says otherwise, in bytes. */
  readonly maxResponseBytes: number;
  readonly retry?: RetryPolicy | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** The provider's reading of an HTTP error status and its body. */
  readonly refusal: RefusalReader;
  /**
   * Whether a successful answer is a refusal after all (GSTN answers errors with HTTP 200 and
   * `status_cd` 0): it is then read by `refusal`, as an HTTP 200.
   */
  readonly isRefusal: (body: unknown) => boolean;
  /** Secrets of the client itself (a password, a client secret): never in an error. */
  readonly secrets: readonly string[];
}

/** One request of a step. */
export interface JsonRequest {
  readonly step: GstrStep;
  readonly method: 'post' | 'get';
  /** The path below the base URL (a leading `/` is allowed). */
  readonly path: string;
  readonly json?: unknown;
  readonly searchParams?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
  /** Whether the step may be re-sent after it may have reached the server. */
  readonly idempotent: boolean;
  /** The secrets of this request, blanked from any error. */
  readonly secrets: readonly (string | undefined)[];
  /** The largest answer accepted, in bytes. Default the client's `maxResponseBytes`. */
  readonly maxBytes?: number;
  /** This step's deadline, in ms. Default the client's `timeoutMs`. */
  readonly timeoutMs?: number;
}

/** A provider's HTTP client: every request bounded in time and size, retried by policy. */
export interface JsonClient {
  /** The host requests go to, named in errors. */
  readonly host: string;
  /** Sends a request and returns its parsed JSON body (`undefined` for an empty one). */
  send(request: JsonRequest): Promise<unknown>;
}

/**
 * Creates the HTTP client a provider speaks through. One step (with its retries) has one
 * deadline over headers and the whole body; answers are capped in bytes; redirects are
 * refused, never followed; `Retry-After` beyond the policy or the time left fails at once; a
 * request that may have reached the server is re-sent only when it is idempotent; and every
 * failure is a typed error without the request's secrets.
 */
export function createJsonClient(options: JsonClientOptions): JsonClient {
  const host = new URL(options.baseUrl).host;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const baseFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const http: KyInstance = ky.create({
    prefixUrl: options.baseUrl,
    // The step's own deadline covers headers, body and retries (see send).
    timeout: false,
    redirect: 'manual',
    retry: {
      limit: retry.limit,
      methods: ['get', 'post'],
      statusCodes: [408, 429, 500, 502, 503, 504],
      afterStatusCodes: [413, 429, 503],
      backoffLimit: retry.backoffLimitMs,
      maxRetryAfter: retry.maxRetryAfterMs,
      retryOnTimeout: false,
      jitter: true,
    },
  });

  return {
    host,
    async send(request) {
      const timeoutMs = request.timeoutMs ?? options.timeoutMs;
      const deadline = stepDeadline(timeoutMs, request.signal);
      const cap = {
        maxBytes: request.maxBytes ?? options.maxResponseBytes,
        step: request.step,
        host,
      };
      const kyOptions: KyOptions = {
        method: request.method,
        ...(request.json === undefined ? {} : { json: request.json }),
        ...(request.searchParams ? { searchParams: { ...request.searchParams } } : {}),
        signal: deadline.signal,
        fetch: boundedFetch(baseFetch, cap, deadline.signal),
        headers: { ...request.headers },
        retry: {
          limit: retry.limit,
          methods: ['get', 'post'],
          shouldRetry: ({ error }) => {
            // A bounded answer (too large, a redirect) or a spent deadline is final.
            if (isGstrError(error) || deadline.signal.aborted) return false;
            if (error instanceof HTTPError) {
              const wait = retryAfterMs(error.response.headers);
              // Asked to wait longer than allowed, or than the step has left: fail now.
              if (
                wait !== undefined &&
                (wait > retry.maxRetryAfterMs || wait >= deadline.remaining())
              )
                return false;
            }
            // A non-idempotent step (an SMS, a consumed OTP) is re-sent only when the request
            // certainly never left this machine.
            return request.idempotent ? undefined : requestNeverSent(error);
          },
        },
      };
      // Built only when a request fails: the success path stays lean.
      const context = (): RequestContext => ({
        step: request.step,
        host,
        secrets: [...request.secrets, ...options.secrets],
      });
      let text: string;
      try {
        const response = await http(request.path.replace(/^\/+/, ''), kyOptions);
        text = await response.text();
      } catch (error) {
        throw (
          deadline.stopped(
            error,
            () =>
              new TimeoutError(timeoutMs, {
                step: request.step,
                what: `${request.step} at ${host}`,
                host,
              }),
          ) ?? (await toTransportError(error, context(), options.refusal))
        );
      } finally {
        deadline.clear();
      }
      if (text === '') return undefined;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new ResponseValidationError('body', 'is not JSON', { step: request.step });
      }
      if (options.isRefusal(body)) throw options.refusal(200, body, context());
      return body;
    },
  };
}
