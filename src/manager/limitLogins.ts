import type { GstrProvider } from '../providers/GstrProvider.js';
import { overrideProvider } from '../providers/overrideProvider.js';
import { onAbort } from '../time/abortable.js';

/**
 * Wraps a provider so that at most `limit` logins run at once across every session that
 * shares it: a restart with thousands of stale access tokens queues its logins instead of
 * hammering the provider. Everything else (capabilities, every other method, present or
 * future) passes through to the provider itself, so that no method is ever silently dropped
 * and a class keeps its `this`.
 */
export function limitLogins(provider: GstrProvider, limit: number): GstrProvider {
  const login = provider.login;
  if (!login) return provider;
  let running = 0;
  const waiting: (() => void)[] = [];
  /** A slot, or the caller's abort: a queued login that is given up leaves the queue. */
  const acquire = async (signal: AbortSignal | undefined): Promise<void> => {
    if (running < limit) {
      running += 1;
      return;
    }
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const take = (): void => {
        unlink();
        resolve();
      };
      const unlink = onAbort(signal, () => {
        const at = waiting.indexOf(take);
        if (at >= 0) waiting.splice(at, 1);
        reject(signal?.reason);
      });
      waiting.push(take);
    });
  };
  // A freed slot goes straight to the next waiter, so that no newcomer can slip in between.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  const limitedLogin: GstrProvider['login'] = async (options) => {
    await acquire(options?.signal);
    try {
      return await login.call(provider, options);
    } finally {
      release();
    }
  };
  return overrideProvider(provider, { login: limitedLogin });
}
