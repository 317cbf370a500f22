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

/** What a token's credentials were made from, so that the same inputs get the same object. */
interface Served {
  // Only what identifies the inputs: holding the source itself (a live session's context)
  // would keep a stopped session's whole context alive for as long as its token lives.
  readonly gstin: string;
  readonly username: string;
  readonly access: CredentialSource['access'];
  readonly provider: object;
  readonly credentials: SessionCredentials;
}

/**
 * The credentials handed out per token: made once and frozen, so that the hot path (every
 * API call of an app asks for them) allocates nothing and no caller can change what the next
 * one gets. Weak: a replaced token's entry goes with it.
 */
const served = new WeakMap<SessionToken, Served>();

/**
 * The credentials a session may hand out now: held, and with a token that has not expired.
 * Every path that hands out a token (the facade's waits, the manager's fast path) asks this.
 * The same token, access and provider give the same frozen object.
 */
export function usableCredentials(
  source: CredentialSource,
  provider: { readonly name: string; readonly capabilities: { readonly login: boolean } },
  now: number,
): SessionCredentials | undefined {
  const { token } = source;
  if (!isTokenUsable(token, now)) return undefined;
  const cached = served.get(token);
  if (
    cached &&
    cached.access === source.access &&
    cached.provider === provider &&
    cached.gstin === source.gstin &&
    cached.username === source.username
  )
    return cached.credentials;
  const credentials = credentialsOf(source, provider);
  if (!credentials) return undefined;
  Object.freeze(credentials.secrets);
  Object.freeze(credentials.details);
  Object.freeze(credentials);
  served.set(token, {
    gstin: source.gstin,
    username: source.username,
    access: source.access,
    provider,
    credentials,
  });
  return credentials;
}
