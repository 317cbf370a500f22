/** What replaces a secret wherever one would otherwise show. */
export const REDACTED = '[redacted]';

/**
 * The one list of field names whose values are secrets, wherever they appear: in a session's
 * context, an actor's input, an event, a provider's request or answer, a log line. Adding a
 * provider with a new secret field means adding its name here, and nowhere else.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password',
  'accessToken',
  'otp',
  'appKey',
  'authToken',
  'sek',
  'authorization',
  'apiKey',
  'apiSecret',
  'clientSecret',
  'client-secret',
  'auth-token',
  'app_key',
  'auth_token',
  // A provider's own secret record (an OTP challenge's, a taxpayer session's): every value.
  'secrets',
  'encryptedAppKey',
  'api_key',
  'x-api-key',
  'x-api-secret',
  'access_token',
  // NIC's e-invoice and e-way bill spell theirs differently.
  'Password',
  'AppKey',
  'AuthToken',
  'Sek',
  'authtoken',
]);

/**
 * Values shorter than this are not searched for inside other text: a 1-3 character value
 * would blank out ordinary words. Under a secret key they are still replaced whole.
 */
export const MIN_SECRET_LENGTH = 4;
