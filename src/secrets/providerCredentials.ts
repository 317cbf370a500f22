/**
 * Where a provider keeps the credentials it was built with (a password, an API secret, a
 * GSP's client secret), so that every secret search finds them: a provider reached through a
 * session's `deps` or an actor's `input.provider` adds them to the values blanked from errors,
 * logs and inspection events. A symbol key passes through wrappers (`limitLogins`' Proxy, an
 * app's own), is never enumerated, serialised or shown by `util.inspect`.
 */
const CREDENTIALS = Symbol.for('gstr-session.providerCredentials');

interface WithCredentials {
  readonly [CREDENTIALS]?: unknown;
}

/**
 * Records the credentials `provider` was built with; call it in a provider's constructor.
 * Empty and missing values are skipped.
 */
export function keepCredentials(provider: object, values: readonly (string | undefined)[]): void {
  const kept = Object.freeze(values.filter((value): value is string => !!value));
  // A frozen array, not a method: wrappers pass plain values through as they are (the
  // manager's wrapper makes every method async). Configurable, so that a Proxy's get trap may
  // hand out something else without breaking an invariant (the lookup would throw).
  Object.defineProperty(provider, CREDENTIALS, {
    value: kept,
    enumerable: false,
    configurable: true,
  });
}

/** The credentials a provider was built with (none for an app's own that did not record any). */
export function credentialsOf(provider: unknown): readonly string[] {
  if (typeof provider !== 'object' || provider === null) return [];
  try {
    const kept = (provider as WithCredentials)[CREDENTIALS];
    return Array.isArray(kept) ? kept.filter((value) => typeof value === 'string') : [];
  } catch {
    // A hostile proxy: nothing to add, and nothing thrown into a logger.
    return [];
  }
}
