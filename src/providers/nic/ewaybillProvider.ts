import { NicClient } from './NicClient.js';
import type { NicOptions } from './options.js';

/**
 * Creates the NIC e-way bill provider: sessions with no OTP, logged in with the taxpayer's
 * e-way bill API password (v1.03 `ACCESSTOKEN`: one RSA block under NIC's public key). NIC
 * answers the same token for its 360 minutes, so a session logs in again once it has run
 * out; NIC allows about 5 logins per 15 minutes per user (error 118). Node.js only.
 *
 * @example
 * ```ts
 * const provider = ewaybillProvider({
 *   baseUrl: 'https://gsp.example.com/ewb',
 *   clientId, clientSecret, publicKey,
 *   password: ({ gstin, username }) => vault.read(`ewb/${gstin}/${username}`),
 * });
 * ```
 */
export function ewaybillProvider(options: NicOptions): NicClient {
  return new NicClient('ewaybill', options);
}
