import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesDecrypt, aesEncrypt, hmacBase64, rsaEncrypt } from '../../src/gstn/gstnCrypto.js';
import { createFakeGstnKeys, rsaDecryptPkcs1 } from '../../src/testing/mock/gstnKeys.js';

// The deterministic vectors of shared/gstn-protocol.md (computed there with three tools).
const APP_KEY = Buffer.from('GSTRSESSIONTESTAPPKEY0123456789A', 'ascii');
const SEK = Buffer.from('202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f', 'hex');
const REK = Buffer.from('404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f', 'hex');
const JSON_TEXT = '{"gstin":"27AAPFU0939F1ZV","fp":"042024","b2b":[]}';
const B = 'eyJnc3RpbiI6IjI3QUFQRlUwOTM5RjFaViIsImZwIjoiMDQyMDI0IiwiYjJiIjpbXX0=';

describe('GSTN crypto', () => {
  it('passes the AES-256 core of FIPS-197 C.3', () => {
    const key = Buffer.from(
      '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
      'hex',
    );
    const plain = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const out = Buffer.from(aesEncrypt(key, plain), 'base64');
    // ECB with PKCS#7: the first block is the cipher's own output, the second the padding's.
    expect(out.subarray(0, 16).toString('hex')).toBe('8ea2b7ca516745bfeafc49904b496089');
    expect(out.length).toBe(32);
  });

  it.each([
    ['the OTP under the app key', APP_KEY, Buffer.from('575757'), 'm0kk9kA3pBFtHVCIQqCKNQ=='],
    [
      'the SEK under the app key',
      APP_KEY,
      SEK,
      'TTYyo1ahO0MRZMOqgaYTBMNAatLZelhBJZc0z1keJbpyvDseb8TT0rfyA58mksDY',
    ],
    [
      "REFRESHTOKEN's app key under the SEK",
      SEK,
      APP_KEY,
      'CtnXSuhGLRbMEXnRojmoItWIecGaCAR7pgxQF7Rhdn6+X0DaQDw+WhKW3ulf0pqN',
    ],
    [
      'the REK under the SEK',
      SEK,
      REK,
      'nsnczqn1sSa6HnZ404MpQ0SrOthS9VcpkIu083f2Ofu+X0DaQDw+WhKW3ulf0pqN',
    ],
    [
      "an answer's data under the REK",
      REK,
      Buffer.from(B),
      'F6eR/+xIRX+u7cFZitDxkPgTkkXwIoQyQLJQu9xfcK0RBebOPm09mtOzna8r5tKTq8VCl7elbGjyf99cIiCFiE+qWcV9TgV+/0a55x/yOqA=',
    ],
    [
      "a request's data under the SEK",
      SEK,
      Buffer.from(B),
      'N4x+ZhaLyd7Qvr4sfXjFcMr8F6nAu9IPkhWjRJmIchkDxEmQK7rCNI+kYXzquiYe/DfJODW0TsnESFJjChjIBPGhtvzPw3EmW+xHk91s7J8=',
    ],
  ])('encrypts %s as the vector says, and decrypts it back', (_, key, plain, expected) => {
    expect(aesEncrypt(key, plain)).toBe(expected);
    expect(aesDecrypt(key, expected).equals(plain)).toBe(true);
  });

  it('signs base64 text with HMAC-SHA256 as the vectors say', () => {
    expect(Buffer.from(B, 'base64').toString('utf8')).toBe(JSON_TEXT);
    expect(hmacBase64(REK, B)).toBe('06rwYerOvSjm0mT1WPGtWO6gFtc9RwFSa4IRMn9F3tA=');
    expect(hmacBase64(SEK, B)).toBe('MDdtAiQGfQMAUZmdMo3lH7fbIPYEuGrIziep53avQAM=');
  });

  it('refuses to decrypt under the wrong key', () => {
    expect(() =>
      aesDecrypt(REK, 'TTYyo1ahO0MRZMOqgaYTBMNAatLZelhBJZc0z1keJbpyvDseb8TT0rfyA58mksDY'),
    ).toThrow();
  });

  it('encrypts the app key under a certificate so that only its key pair reads it back', () => {
    const keys = createFakeGstnKeys(new Date('2026-01-01'), new Date('2028-01-01'));
    const other = createFakeGstnKeys(new Date('2026-01-01'), new Date('2028-01-01'), {
      fresh: true,
    });
    const certificate = new X509Certificate(keys.certificate);
    const first = rsaEncrypt(certificate.publicKey, APP_KEY);
    // PKCS#1 v1.5 is randomised: the same key encrypts differently each time.
    expect(rsaEncrypt(certificate.publicKey, APP_KEY)).not.toBe(first);
    expect(Buffer.from(first, 'base64').length).toBe(256);
    expect(first.length).toBe(344);
    expect(rsaDecryptPkcs1(keys.privateKey, first)?.equals(APP_KEY)).toBe(true);
    // Another key pair never reads the app key back (its padding check almost always fails).
    expect(rsaDecryptPkcs1(other.privateKey, first)?.equals(APP_KEY) ?? false).toBe(false);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(new Date(certificate.validTo).toISOString()).toBe('2028-01-01T00:00:00.000Z');
  });
});
