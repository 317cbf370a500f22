import { isTokenUsable } from '../../machines/sessionRules.js';
import type { AccessToken } from '../providers/GstrProvider.js';
import type { SessionCredentials } from './types.js';

/** Where credentials can be read from: a live session's context or a persisted session. */
interface CredentialSource {
  readonly gstin: string;
  readonly username: string;
  readonly appKey?: string | undefined;
  readonly access?: Pick<AccessToken, 'accessToken' | 'patronId'> | undefined;
  readonly token?:
    | { readonly authToken: string; readonly sek: string; readonly expiresAt: number }
    | undefined;
}

/** The credentials a session holds, or `undefined` when it lacks a token, access token or appKey. */
export function credentialsOf(source: CredentialSource): SessionCredentials | undefined {
  const { token, access, appKey } = source;
  if (!token || !access || !appKey) return undefined;
  return {
    gstin: source.gstin,
    username: source.username,
    authToken: token.authToken,
    sek: token.sek,
    appKey,
    expiresAt: token.expiresAt,
    accessToken: access.accessToken,
    patronId: access.patronId,
  };
}

/**
 * The credentials a session may hand out now: held, and with a token that has not expired.
 * Every path that hands out a token (the facade's waits, the manager's fast path) asks this.
 */
export function usableCredentials(
  source: CredentialSource,
  now: number,
): SessionCredentials | undefined {
  return isTokenUsable(source.token, now) ? credentialsOf(source) : undefined;
}
