import * as v from 'valibot';
import { type GstnRefusalBody, gstnErrorIn } from '../../gstn/gstnErrorBody.js';

/** LoopBack's error body, as Signzy's API answers: `{ error: { statusCode, name, message, code } }`. */
const LoopbackErrorSchema = v.looseObject({
  error: v.looseObject({
    code: v.optional(v.union([v.string(), v.number()])),
    message: v.optional(v.string()),
  }),
});

/**
 * A provider error found in a Signzy body: GSTN's own (relayed as is, possibly inside
 * `result`), or LoopBack's.
 */
export function providerErrorIn(body: unknown): GstnRefusalBody | undefined {
  for (const candidate of [body, (body as { result?: unknown } | null)?.result]) {
    const gstn = gstnErrorIn(candidate);
    if (gstn) return gstn;
    const loopback = v.safeParse(LoopbackErrorSchema, candidate);
    if (loopback.success) {
      const { code, message } = loopback.output.error;
      return {
        ...(code === undefined ? {} : { code: String(code) }),
        ...(message === undefined ? {} : { message }),
      };
    }
  }
  return undefined;
}
