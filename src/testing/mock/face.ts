import type { IncomingHttpHeaders } from 'node:http';
import type { MockRoute } from './types.js';

/** An HTTP answer of a face: a status and a JSON body (none for 204). */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  /** The provider's code of a refusal answered with a success status (NIC's, GSTN's). */
  readonly code?: string;
}

/** The request as a face sees it. */
export interface FaceRequest {
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly authorization: string | undefined;
  readonly text: string;
  readonly body: Record<string, unknown> | undefined;
}

/**
 * One provider's HTTP face over the fake GSTN: its routes, its wire format, its own login and
 * error bodies. The mock's server, request log and faults are shared by every face.
 */
export interface MockFace {
  /** Which route a request is (or `unknown`). */
  routeOf(request: FaceRequest): MockRoute | 'unknown';
  /** The GSTIN a request is for, where it names one (for the request log). */
  gstinOf(request: FaceRequest): string | undefined;
  /** The answer to a request. */
  answer(request: FaceRequest, route: MockRoute | 'unknown'): Answer;
  /** The body of an injected error status, in this provider's own shape. */
  errorBody(status: number, message: string, code?: string): unknown;
  /** Makes every issued provider access token stale (faces without a login: nothing). */
  expireAccessTokens(): void;
}

/** The value of a header (the first, when repeated). */
export function header(request: FaceRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A string field of a body, or `undefined` when it is missing or empty. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
