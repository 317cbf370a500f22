/**
 * What a trace point or an audit record says of a failure: its class, its code and its
 * statuses, never its message. Built by construction from those fields alone, each checked to
 * be a short code (a custom provider's error may carry anything in them).
 */
export interface ErrorSummary {
  /** The error class, e.g. `ProviderUnavailableError`. */
  readonly name: string;
  /** The library's code, e.g. `GSTR_PROVIDER_UNAVAILABLE`. */
  readonly code: string | undefined;
  /** The HTTP status, where there was one. */
  readonly status?: number | undefined;
  /** GSTN's or the provider's code, e.g. `AUTH4033`. */
  readonly providerCode?: string | undefined;
}

/** A name or code as providers write them: letters, digits, `_`, `-`, `.`; at most 64. */
const CODE_SHAPE = /^[A-Za-z0-9_.-]{1,64}$/;

/** The secret-free fields of an error, as a trace message or an audit record carries them. */
export function errorSummaryOf(error: unknown): ErrorSummary {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<
    string,
    unknown
  >;
  const code = (value: unknown) =>
    typeof value === 'string' && CODE_SHAPE.test(value) ? value : undefined;
  const status = fields.status;
  return {
    name: code(fields.name) ?? 'Error',
    code: code(fields.code),
    status:
      typeof status === 'number' && Number.isInteger(status) && status >= 100 && status < 600
        ? status
        : undefined,
    providerCode: code(fields.providerCode),
  };
}
