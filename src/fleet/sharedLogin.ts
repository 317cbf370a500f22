import * as v from 'valibot';
import { isAccessFresh } from '../../machines/sessionRules.js';
import { isGstrError } from '../errors/isGstrError.js';
import { AccessTokenSchema } from '../providers/contractSchemas.js';
import type { AccessToken, GstrProvider } from '../providers/GstrProvider.js';
import {
  overrideProvider,
  PROVIDER_METHODS,
  wrapProviderMethods,
} from '../providers/overrideProvider.js';
import type { SessionCoordinator } from '../stores/SessionCoordinator.js';
import { untilAborted } from '../time/abortable.js';
import { backoffDelay } from '../time/backoff.js';
import { sleep } from '../time/sleep.js';
import { acquireLease } from './lease.js';

/**
 * Wraps a provider so that every session of one API account shares one access token: one
 * login at a time, reused until shortly before it expires, in this process and (with a
 * shared store's coordinator) across every worker of the fleet. When a call is refused with
 * `UnauthorizedError`, the token it carried is forgotten (here and in the store, only if it
 * is still that one), so the next login is a real one, once.
 */
export function shareLogins(
  provider: GstrProvider,
  account: string,
  coordinator: SessionCoordinator | undefined,
  now: () => number,
  /** The sessions' `accessTokenSkewMs`: a token they would renew is not shared. */
  skewMs: number,
): GstrProvider {
  const providerLogin = provider.login;
  if (!provider.capabilities.login || !providerLogin) return provider;
  const login = () => providerLogin.call(provider);
  let held: AccessToken | undefined;
  let inFlight: Promise<AccessToken> | undefined;
  const usable = (access: AccessToken | undefined): access is AccessToken =>
    isAccessFresh(access, skewMs, now());

  /** The account's access token in the store, if one is there and fresh. */
  async function storedAccess(shared: SessionCoordinator): Promise<AccessToken | undefined> {
    const found = v.safeParse(AccessTokenSchema, await shared.readAccess(account));
    return found.success && usable(found.output) ? found.output : undefined;
  }

  async function fromFleet(shared: SessionCoordinator): Promise<AccessToken> {
    const stored = await storedAccess(shared);
    if (stored) return stored;
    let seen: AccessToken | undefined;
    // The store's lock lifetime, as for a session's lock: an app that sized it for its
    // provider's timeouts (lockTtlMs) sized this one too.
    const got = await acquireLease(
      {
        take: (ttlMs) => shared.lockAccess(account, ttlMs),
        release: (owner) => shared.releaseAccess(account, owner),
      },
      {
        kind: 'login',
        ttlMs: shared.lockTtlMs,
        deadline: Date.now() + shared.lockTtlMs,
        // A jittered poll of the lock, as a worker polls a session's (the toolkit's backoff).
        wait: () => sleep(50 + backoffDelay(0, 100, 100)),
        // Another worker's login landed meanwhile: this one waited for it.
        giveWay: async () => {
          seen = await storedAccess(shared);
          return seen !== undefined;
        },
        report: () => {},
      },
    );
    if (got.kind === 'gaveWay' && seen) return seen;
    // Its holder is stuck past the lock's lifetime: log in here rather than wait on.
    if (got.kind !== 'taken') return login();
    const { lease } = got;
    // Someone may have logged in between the read and the lock.
    const again = await storedAccess(shared);
    if (again) {
      await shared.commitAccess(account, lease.owner, again, again.expiresAt);
      lease.spent();
      return again;
    }
    let access: AccessToken;
    try {
      access = await login();
    } catch (error) {
      // A failed login must not hold the lock: every worker would wait out its lifetime.
      await lease.release();
      throw error;
    }
    // A token that could not be shared is still good here; others log in for themselves.
    await shared.commitAccess(account, lease.owner, access, access.expiresAt).catch(() => {});
    lease.spent();
    return access;
  }

  const sharedLogin: GstrProvider['login'] = (options) => {
    if (usable(held)) return Promise.resolve(held);
    inFlight ??= (coordinator ? fromFleet(coordinator) : login())
      .then((access) => {
        held = access;
        return access;
      })
      .finally(() => {
        inFlight = undefined;
      });
    // The caller may give up; the shared login goes on for the others.
    const signal = options?.signal;
    return signal ? untilAborted(inFlight, signal) : inFlight;
  };

  /** Forgets the access token a refused call carried (in its options). */
  const forget = (options: unknown) => {
    const refused = (options as { access?: { accessToken?: unknown } } | undefined)?.access
      ?.accessToken;
    if (typeof refused !== 'string') return;
    if (held?.accessToken === refused) held = undefined;
    coordinator?.dropAccess(account, refused).catch(() => {});
  };

  // Every other call forgets the access token it carried when the provider refused it.
  const forgetting = wrapProviderMethods(
    provider,
    PROVIDER_METHODS.filter((name) => name !== 'login'),
    (_name, method) =>
      async (...args: never[]) => {
        try {
          return await method(...args);
        } catch (error) {
          if (isGstrError(error, 'UnauthorizedError')) forget(args[1]);
          throw error;
        }
      },
  );
  return overrideProvider(forgetting, { login: sharedLogin });
}
