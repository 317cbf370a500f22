import * as v from 'valibot';

/** The code(s) and message of a NIC refusal. */
export interface NicRefusalBody {
  readonly code?: string;
  readonly message?: string;
}

/** E-invoice: `{ Status: 0, ErrorDetails: [{ ErrorCode, ErrorMessage }] }`. */
const EinvoiceErrorSchema = v.looseObject({
  Status: v.union([v.literal(0), v.literal('0')]),
  ErrorDetails: v.optional(
    v.array(
      v.looseObject({
        ErrorCode: v.optional(v.union([v.string(), v.number()])),
        ErrorMessage: v.optional(v.string()),
      }),
    ),
  ),
});

/** E-way bill: `{ status: 0, error: base64(JSON { errorCodes: "238,105" }) }`. */
const EwaybillErrorSchema = v.looseObject({
  status: v.union([v.literal(0), v.literal('0')]),
  error: v.optional(v.string()),
});
const EwaybillErrorInsideSchema = v.looseObject({
  errorCodes: v.optional(v.union([v.string(), v.number()])),
  message: v.optional(v.string()),
});

/** The error of an e-way bill answer, base64 JSON (or, from some GSPs, the JSON itself). */
function ewaybillError(text: string | undefined): NicRefusalBody {
  if (text === undefined) return {};
  for (const candidate of [Buffer.from(text, 'base64').toString('utf8'), text]) {
    try {
      const inside = v.safeParse(EwaybillErrorInsideSchema, JSON.parse(candidate));
      if (inside.success && inside.output.errorCodes !== undefined)
        return {
          code: String(inside.output.errorCodes).replace(/,\s*$/, ''),
          ...(inside.output.message === undefined ? {} : { message: inside.output.message }),
        };
    } catch {
      // Not JSON in this form: the other form is tried.
    }
  }
  return {};
}

/**
 * The NIC refusal in a body (e-invoice or e-way bill), or `undefined` when the body is not one.
 * NIC answers refusals with HTTP 200 and a status of 0.
 */
export function nicErrorIn(body: unknown): NicRefusalBody | undefined {
  const einvoice = v.safeParse(EinvoiceErrorSchema, body);
  if (einvoice.success) {
    const details = einvoice.output.ErrorDetails ?? [];
    const codes = details.flatMap((d) => (d.ErrorCode === undefined ? [] : [String(d.ErrorCode)]));
    const message = details.find((d) => d.ErrorMessage !== undefined)?.ErrorMessage;
    return {
      ...(codes.length === 0 ? {} : { code: codes.join(',') }),
      ...(message === undefined ? {} : { message }),
    };
  }
  const ewaybill = v.safeParse(EwaybillErrorSchema, body);
  return ewaybill.success ? ewaybillError(ewaybill.output.error) : undefined;
}
