import { NicClient } from './NicClient.js';
import type { NicOptions } from './options.js';

/**
 * Creates the NIC e-invoice (IRP) provider: sessions with no OTP, logged in with the
 * taxpayer's API password (v1.04 auth: username, password and app key in one RSA block under
 * NIC's public key), renewed in a token's last 10 minutes with `ForceRefreshAccessToken`.
 * Node.js only (RSA PKCS#1 v1.5, AES-ECB).
 *
 * @example
 * ```ts
 * const provider = einvoiceProvider({
 *   baseUrl: 'https://einv-apisandbox.nic.in',
 *   clientId: process.env.NIC_CLIENT_ID!,
 *   clientSecret: process.env.NIC_CLIENT_SECRET!,
 *   publicKey: readFileSync('einvoice-sandbox-public.pem', 'utf8'),
 *   password: ({ gstin, username }) => vault.read(`irp/${gstin}/${username}`),
 * });
 * ```
 */
export function einvoiceProvider(options: NicOptions): NicClient {
  return new NicClient('einvoice', options);
}
