import type { SessionToken } from '../../machines/gstrSession.types.js';
import { isTokenUsable } from '../../machines/sessionRules.js';
import type { AccessToken } from '../providers/GstrProvider.js';
import type { SessionCredentials } from './types.js';

/** Where credentials can be read from: a live session's context or a persisted session. */
interface CredentialSource {
  readonly gstin: string;
  readonly username: string;
  readonly access?: Pick<AccessToken, 'accessToken' | 'details'> | undefined;
  readonly token?: SessionToken | undefined;
}

/**
 * The credentials a session holds, or `undefined` when it lacks a token (or, for a provider
 * with a login, its access token).
 */
export function credentialsOf(
  source: CredentialSource,
  provider: { readonly name: string; readonly capabilities: { readonly login: boolean } },
): SessionCredentials | undefined {
  const { token, access } = source;
  if (!token || (provider.capabilities.login && !access)) return undefined;
  return {
    provider: provider.name,
    gstin: source.gstin,
    username: source.username,
    authToken: token.authToken,
    expiresAt: token.expiresAt,
    accessExpiresAt: token.accessExpiresAt,
    sek: token.secrets.sek,
    appKey: token.secrets.appKey,
    accessToken: access?.accessToken,
    secrets: { ...token.secrets },
    details: { ...access?.details },
  };
}

/**
 * The credentials a session may hand out now: held, and with a token that has not expired.
 * Every path that hands out a token (the facade's waits, the manager's fast path) asks this.
 */
export function usableCredentials(
  source: CredentialSource,
  provider: { readonly name: string; readonly capabilities: { readonly login: boolean } },
  now: number,
): SessionCredentials | undefined {
  return isTokenUsable(source.token, now) ? credentialsOf(source, provider) : undefined;
}
