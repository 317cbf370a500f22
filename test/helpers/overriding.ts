import type { GstrProvider } from '../../src/providers/GstrProvider.js';

/**
 * A provider that behaves as `inner` except for the methods in `overrides`: capabilities and
 * every other method pass through (bound to `inner`), so a test changes one call and nothing
 * else.
 */
export function overriding(inner: GstrProvider, overrides: Partial<GstrProvider>): GstrProvider {
  return new Proxy(inner, {
    get(target, key) {
      if (Object.hasOwn(overrides, key)) return (overrides as Record<PropertyKey, unknown>)[key];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The same provider without its refresh: what a session sees of a provider that cannot refresh
 * (capabilities say so, and there is no method).
 */
export function withoutRefresh(inner: GstrProvider): GstrProvider {
  const capabilities = { ...inner.capabilities, refresh: false };
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'capabilities') return capabilities;
      if (key === 'refreshToken') return undefined;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
