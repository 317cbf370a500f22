import { ResponseValidationError } from '../errors/ResponseValidationError.js';
import { aesDecrypt } from '../gstn/gstnCrypto.js';

/**
 * An e-invoice data answer's `Data`, AES-256-ECB under the session's SEK: JSON text (or, from
 * some GSPs, base64 of it). Refused as a whole when it does not decrypt to JSON: a SEK replaced
 * by a login elsewhere reads as garbage, never as data.
 */
export function decryptSekData(sek: Uint8Array, data: string): unknown {
  let text: string;
  try {
    text = aesDecrypt(sek, data).toString('utf8');
  } catch {
    throw new ResponseValidationError('Data', 'could not be decrypted with the session key', {
      step: 'call',
    });
  }
  for (const candidate of [text, Buffer.from(text, 'base64').toString('utf8')]) {
    try {
      return JSON.parse(candidate);
    } catch {
      // The other form is tried.
    }
  }
  throw new ResponseValidationError('Data', 'is not JSON once decrypted', { step: 'call' });
}
