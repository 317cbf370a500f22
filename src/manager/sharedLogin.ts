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
import { traceLockWait } from '../telemetry/traceChannels.js';
import { untilAborted } from '../time/abortable.js';
import { backoffDelay } from '../time/backoff.js';
import { sleep } from '../time/sleep.js';

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

  async function fromFleet(shared: SessionCoordinator): Promise<AccessToken> {
    const started = Date.now();
    const waited = (outcome: 'acquired' | 'superseded' | 'gaveUp') =>
      traceLockWait({ lock: 'login', waitedMs: Date.now() - started, outcome });
    for (let attempt = 0; ; attempt += 1) {
      const found = v.safeParse(AccessTokenSchema, await shared.readAccess(account));
      if (found.success && usable(found.output)) {
        // Another worker's login: this one waited for it, if it had to.
        if (attempt > 0) waited('superseded');
        return found.output;
      }
      // The store's lock lifetime, as for a session's lock: an app that sized it for its
      // provider's timeouts (lockTtlMs) sized this one too.
      const owner = await shared.lockAccess(account, shared.lockTtlMs);
      if (owner) {
        waited('acquired');
        // Someone may have logged in between the read and the lock.
        const again = v.safeParse(AccessTokenSchema, await shared.readAccess(account));
        if (again.success && usable(again.output)) {
          await shared.commitAccess(account, owner, again.output, again.output.expiresAt);
          return again.output;
        }
        let access: AccessToken;
        try {
          access = await login();
        } catch (error) {
          // A failed login must not hold the lock: every worker would wait out its lifetime.
          await shared.releaseAccess(account, owner).catch(() => {});
          throw error;
        }
        // A token that could not be shared is still good here; others log in for themselves.
        await shared.commitAccess(account, owner, access, access.expiresAt).catch(() => {});
        return access;
      }
      if (attempt * 100 > shared.lockTtlMs) {
        waited('gaveUp');
        return login();
      }
      // A jittered poll of the lock, as a worker polls a session's (the toolkit's backoff).
      await sleep(50 + backoffDelay(0, 100, 100));
    }
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
