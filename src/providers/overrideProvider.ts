import type { GstrProvider } from './GstrProvider.js';

/** The provider methods a wrapper may stand in for. */
export type ProviderMethod =
  | 'login'
  | 'requestOtp'
  | 'getAuthToken'
  | 'authenticate'
  | 'refreshToken'
  | 'read'
  | 'logout';

/** Every provider method, in the order of the flow. */
export const PROVIDER_METHODS: readonly ProviderMethod[] = [
  'login',
  'requestOtp',
  'getAuthToken',
  'authenticate',
  'refreshToken',
  'read',
  'logout',
];

/**
 * A provider that is `base` in everything (its name, capabilities, every other member, each
 * method bound to it) except the methods in `overrides`. The one way the library wraps a
 * provider (shared logins, the account gate, the fleet's fenced calls, the audit trail): a
 * wrapper never copies the provider, so a member added to it later still passes through (the
 * credentials symbol among them).
 */
export function overrideProvider(
  base: GstrProvider,
  overrides: Partial<Record<ProviderMethod, unknown>>,
): GstrProvider {
  return new Proxy(base, {
    get(target, key) {
      if (Object.hasOwn(overrides, key) && overrides[key as ProviderMethod] !== undefined)
        return overrides[key as ProviderMethod];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Overrides each method `base` has with `wrap(name, method)` (the method bound to `base`);
 * the methods it lacks stay absent.
 */
export function wrapProviderMethods<N extends ProviderMethod>(
  base: GstrProvider,
  names: readonly N[],
  wrap: (name: N, method: (...args: never[]) => Promise<unknown>) => unknown,
): GstrProvider {
  const overrides: Partial<Record<ProviderMethod, unknown>> = {};
  for (const name of names) {
    const method: unknown = base[name];
    if (typeof method === 'function')
      overrides[name] = wrap(name, method.bind(base) as (...args: never[]) => Promise<unknown>);
  }
  return overrideProvider(base, overrides);
}
