import type { GstrStep } from '../errors/GstrError.js';
import { ResponseValidationError } from '../errors/ResponseValidationError.js';
import { aesDecrypt } from './gstnCrypto.js';

/**
 * The session key (SEK) of a token answer, decrypted with the login's app key: 32 bytes, or a
 * `ResponseValidationError` naming `sek`. GSTN and NIC send it alike (AES-256-ECB, base64).
 */
export function sessionKeyOf(appKey: Uint8Array, encrypted: string, step: GstrStep): Buffer {
  let sek: Buffer;
  try {
    sek = aesDecrypt(appKey, encrypted);
  } catch {
    throw new ResponseValidationError('sek', 'could not be decrypted with the app key', { step });
  }
  if (sek.length !== 32) throw new ResponseValidationError('sek', 'is not a 32-byte key', { step });
  return sek;
}
