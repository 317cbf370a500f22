import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHmac,
  type KeyObject,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

/*
 * GSTN's crypto, exactly as its taxpayer API expects (see docs/guide.md, "GSTN direct"):
 * a 32-byte app key; RSA PKCS#1 v1.5 under GSTN's public key; AES-256-ECB with PKCS#7 padding
 * for the OTP, the SEK and data; HMAC-SHA256 over base64 text. Everything is base64 on the wire.
 * `node:crypto` only: no dependency holds a key.
 */

/** A new app key: 32 random bytes. */
export function newAppKey(): Buffer {
  return randomBytes(32);
}

/** RSA PKCS#1 v1.5 encryption under GSTN's public key, base64 (344 characters for RSA-2048). */
export function rsaEncrypt(publicKey: KeyObject, data: Uint8Array): string {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, data).toString(
    'base64',
  );
}

/** AES-256-ECB with PKCS#7 padding, base64 out. */
export function aesEncrypt(key: Uint8Array, data: Uint8Array): string {
  const cipher = createCipheriv('aes-256-ecb', key, null);
  return Buffer.concat([cipher.update(data), cipher.final()]).toString('base64');
}

/** The inverse of {@link aesEncrypt}; throws when the key is wrong or the text is not one. */
export function aesDecrypt(key: Uint8Array, base64: string): Buffer {
  const decipher = createDecipheriv('aes-256-ecb', key, null);
  return Buffer.concat([decipher.update(Buffer.from(base64, 'base64')), decipher.final()]);
}

/** HMAC-SHA256 of a text (GSTN signs the base64 text, not the bytes it encodes), base64 out. */
export function hmacBase64(key: Uint8Array, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('base64');
}
