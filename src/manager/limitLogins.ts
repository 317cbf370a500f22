import type { GstrProvider } from '../providers/GstrProvider.js';

/**
 * Wraps a provider so that at most `limit` logins run at once across every session that
 * shares it: a restart with thousands of stale access tokens queues its logins instead of
 * hammering the provider. Other calls pass through.
 */
export function limitLogins(provider: GstrProvider, limit: number): GstrProvider {
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (running < limit) {
      running += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  // A freed slot goes straight to the next waiter, so that no newcomer can slip in between.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  const limited: GstrProvider = {
    name: provider.name,
    login: async (options) => {
      await acquire();
      try {
        return await provider.login(options);
      } finally {
        release();
      }
    },
    requestOtp: (input, options) => provider.requestOtp(input, options),
    getAuthToken: (input, options) => provider.getAuthToken(input, options),
  };
  const { refreshToken, logout } = provider;
  return {
    ...limited,
    ...(refreshToken
      ? { refreshToken: (input, options) => refreshToken.call(provider, input, options) }
      : {}),
    ...(logout ? { logout: (options) => logout.call(provider, options) } : {}),
  };
}
