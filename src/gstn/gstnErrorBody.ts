import * as v from 'valibot';

/** GSTN's error body: `{ status_cd: 0 | "0", error: { error_cd, message } }`. */
const GstnErrorBodySchema = v.looseObject({
  status_cd: v.optional(v.unknown()),
  error: v.optional(
    v.looseObject({
      error_cd: v.optional(v.union([v.string(), v.number()])),
      message: v.optional(v.string()),
    }),
  ),
});

/** The code and message of a GSTN refusal. */
export interface GstnRefusalBody {
  readonly code?: string;
  readonly message?: string;
}

/** Whether `status_cd` says failure: `0` or `"0"` (GSPs differ on strings and numbers). */
export function isGstnFailure(statusCd: unknown): boolean {
  return statusCd === 0 || statusCd === '0';
}

/**
 * The GSTN refusal in a body, or `undefined` when the body is not one: `status_cd` 0, or an
 * `error` object with GSTN's `error_cd`. Every provider that relays GSTN's answers reads its
 * errors with this.
 */
export function gstnErrorIn(body: unknown): GstnRefusalBody | undefined {
  const parsed = v.safeParse(GstnErrorBodySchema, body);
  if (!parsed.success) return undefined;
  const { status_cd: statusCd, error } = parsed.output;
  if (!isGstnFailure(statusCd) && error?.error_cd === undefined) return undefined;
  return {
    ...(error?.error_cd === undefined ? {} : { code: String(error.error_cd) }),
    ...(error?.message === undefined ? {} : { message: error.message }),
  };
}
