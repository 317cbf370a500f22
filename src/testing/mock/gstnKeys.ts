import { constants, generateKeyPairSync, type KeyObject, privateDecrypt, sign } from 'node:crypto';

/*
 * The fake GSTN's own RSA key pair and self-signed certificate, made at start: the client
 * encrypts under the certificate's key exactly as it would under GSTN's.
 */

/** DER: a tag, its length (short or long form) and the content. */
function der(tag: number, content: Uint8Array): Buffer {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from(header), content]);
}

const sequence = (...parts: Uint8Array[]): Buffer => der(0x30, Buffer.concat(parts));
const NULL = Buffer.from([0x05, 0x00]);
// 1.2.840.113549.1.1.11 sha256WithRSAEncryption
const SHA256_WITH_RSA = der(0x06, Buffer.from('2a864886f70d01010b', 'hex'));
// 2.5.4.3 commonName
const COMMON_NAME = der(0x06, Buffer.from('550403', 'hex'));

function name(commonName: string): Buffer {
  return sequence(der(0x31, sequence(COMMON_NAME, der(0x0c, Buffer.from(commonName, 'utf8')))));
}

/** X.509 time: UTCTime before 2050, GeneralizedTime from then on. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050
    ? der(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : der(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}

/** A key pair with a self-signed certificate, as the fake GSTN publishes it. */
export interface FakeGstnKeys {
  readonly privateKey: KeyObject;
  /** The certificate, PEM, as an app would configure GSTN's. */
  readonly certificate: string;
}

let shared: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/**
 * Makes a self-signed X.509 (v1) certificate for an RSA-2048 key pair: a new pair with
 * `fresh` (a key rotation), else one pair made once per process and shared by every mock (a
 * 2048-bit key takes a tenth of a second to make; hundreds of test rigs would wait for them).
 */
export function createFakeGstnKeys(
  validFrom: Date,
  validTo: Date,
  options: { readonly fresh?: boolean } = {},
): FakeGstnKeys {
  const pair =
    options.fresh || !shared ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : shared;
  if (!options.fresh) shared = pair;
  const { privateKey, publicKey } = pair;
  const algorithm = sequence(SHA256_WITH_RSA, NULL);
  const issuer = name('fake GSTN (gstr-session test kit)');
  const tbs = sequence(
    der(0x02, Buffer.from([0x01])),
    algorithm,
    issuer,
    sequence(time(validFrom), time(validTo)),
    issuer,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(
    tbs,
    algorithm,
    der(0x03, Buffer.concat([Buffer.from([0]), signature])),
  );
  const base64 = certificate.toString('base64').replace(/.{1,64}/g, '$&\n');
  return {
    privateKey,
    certificate: `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n`,
  };
}

/**
 * Decrypts RSA PKCS#1 v1.5 with the private key. Node 20 refuses PKCS#1 v1.5 in
 * `privateDecrypt` (CVE-2023-46809), so the raw block is decrypted without padding and the
 * padding (`00 02 <nonzero bytes> 00 <message>`) is checked and stripped here. Returns
 * `undefined` when the text was not made under this key.
 */
export function rsaDecryptPkcs1(privateKey: KeyObject, base64: string): Buffer | undefined {
  let block: Buffer;
  try {
    block = privateDecrypt(
      { key: privateKey, padding: constants.RSA_NO_PADDING },
      Buffer.from(base64, 'base64'),
    );
  } catch {
    return undefined;
  }
  if (block[0] !== 0x00 || block[1] !== 0x02) return undefined;
  const end = block.indexOf(0x00, 2);
  // At least eight bytes of padding, as PKCS#1 v1.5 requires.
  if (end < 10) return undefined;
  return block.subarray(end + 1);
}
