import { createHash, timingSafeEqual } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import * as v from 'valibot';
import type { GstrStep } from '../errors/GstrError.js';
import { isGstrError } from '../errors/isGstrError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { ProviderHttpError } from '../errors/ProviderHttpError.js';
import { ResponseTooLargeError } from '../errors/ResponseTooLargeError.js';
import { ResponseValidationError } from '../errors/ResponseValidationError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { boundedFetch } from '../http/boundedFetch.js';
import { parseResponse } from '../schemas/parse.js';
import { stepDeadline } from '../time/deadline.js';
import { aesDecrypt, hmacBase64 } from './gstnCrypto.js';

/*
 * GSTN's encrypted data answers, read exactly as its protocol says: the REK under the SEK, the
 * data under the REK as base64 text, the HMAC checked over that text before any JSON is parsed;
 * large answers as `{ ek, urls: [{ ul, hash }] }`, each file a `.tar.gz` whose SHA-256 is
 * checked before it is opened, holding AES(ek, base64(JSON)).
 */

const STEP: GstrStep = 'call';

/** A data answer: `{ status_cd, data, rek, hmac }`. */
const DataAnswerSchema = v.looseObject(
  {
    data: v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty')),
    rek: v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty')),
    hmac: v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty')),
  },
  'must be an object',
);

/** A large answer, once decrypted: the key of its files and where they are. */
const LargeAnswerSchema = v.object({
  ek: v.string(),
  urls: v.pipe(
    v.array(v.object({ ul: v.string(), hash: v.string() })),
    v.minLength(1, 'must list at least one file'),
    v.maxLength(1000, 'must list at most 1000 files'),
  ),
});

function invalid(field: string, problem: string): ResponseValidationError {
  return new ResponseValidationError(field, problem, { step: STEP });
}

/** Base64 text to JSON, refused as a whole when it is not JSON. */
function jsonOf(base64Text: string, field: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64Text, 'base64').toString('utf8'));
  } catch {
    throw invalid(field, 'is not base64 of JSON once decrypted');
  }
}

/** Whether two base64 texts are equal, in constant time. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Decrypts a data answer with the session's SEK: the REK first, then the data; the HMAC is
 * checked over the base64 text before anything is parsed. A mismatch is an error, never data.
 */
export function decryptDataAnswer(body: unknown, sek: Uint8Array): unknown {
  const answer = parseResponse(DataAnswerSchema, body, STEP);
  let rek: Buffer;
  let text: string;
  try {
    rek = aesDecrypt(sek, answer.rek);
    text = aesDecrypt(rek, answer.data).toString('utf8');
  } catch {
    throw invalid('data', 'could not be decrypted with the session key');
  }
  if (!sameText(hmacBase64(rek, text), answer.hmac)) {
    throw invalid('hmac', 'does not match the data: the answer was altered or corrupted');
  }
  return jsonOf(text, 'data');
}

/** A large answer's files, when the decrypted data is one (`{ ek, urls }`). */
export function largeAnswerOf(data: unknown): v.InferOutput<typeof LargeAnswerSchema> | undefined {
  // Both fields, or it is ordinary data (a return may well have a field named `urls`).
  if (typeof data !== 'object' || data === null || !('ek' in data && 'urls' in data)) {
    return undefined;
  }
  return parseResponse(LargeAnswerSchema, data, STEP);
}

/** Tar entry types that hold a file's bytes: `0` (and old `\0`), and `7` (contiguous file). */
const FILE_TYPES = new Set(['0', '\0', '7']);

/** Whether a tar header's checksum (the sum of its bytes, the checksum field as spaces) holds. */
function checksumHolds(header: Buffer): boolean {
  const stored = header
    .subarray(148, 156)
    .toString('ascii')
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]+$/.test(stored)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i += 1) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  return sum === Number.parseInt(stored, 8);
}

/**
 * The regular files of a tar archive, in order: ustar, GNU and pax archives as `tar` writes
 * them. Metadata entries (pax headers, GNU long names, directories, links) are passed over. An
 * archive with no file is an error, never "no data": an app would read it as an empty return.
 */
export function untar(archive: Buffer, field: string): Buffer[] {
  const files: Buffer[] = [];
  for (let at = 0; at + 512 <= archive.length; ) {
    const header = archive.subarray(at, at + 512);
    if (header.every((byte) => byte === 0)) break;
    if (!checksumHolds(header)) throw invalid(field, 'is not a tar archive');
    const sizeText = header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim();
    if (!/^[0-7]+$/.test(sizeText)) throw invalid(field, 'is not a tar archive');
    const size = Number.parseInt(sizeText, 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = at + 512;
    if (start + size > archive.length) throw invalid(field, 'is a truncated tar archive');
    if (FILE_TYPES.has(type)) files.push(archive.subarray(start, start + size));
    at = start + Math.ceil(size / 512) * 512;
  }
  if (files.length === 0)
    throw invalid(field, 'holds no file (an empty archive is not an empty return)');
  return files;
}

/**
 * What one read may hold in all, across every file of a large answer: bytes downloaded and
 * bytes decompressed, each counted against its own limit. A file's own cap alone let 1000
 * files of 32 MiB make one read hold 32 GiB.
 */
export interface ReadBudget {
  /** The limit of the whole read, in bytes (downloaded, and decompressed). */
  readonly limitBytes: number;
  /** Bytes that may still be downloaded. */
  downloadedLeft: number;
  /** Bytes that may still be decompressed. */
  decompressedLeft: number;
}

/** A fresh budget of `limitBytes` for one read. */
export function readBudget(limitBytes: number): ReadBudget {
  return { limitBytes, downloadedLeft: limitBytes, decompressedLeft: limitBytes };
}

/** Options of a download. */
export interface DownloadOptions {
  readonly fetch: typeof fetch;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** What the whole read may still hold; taken from as the file comes in. */
  readonly budget: ReadBudget;
}

/**
 * Downloads one file of a large answer: bounded in time and size, no redirect followed, its
 * SHA-256 checked against `hash` before it is opened; then unpacked and each file decrypted
 * with `ek`. Returns the JSON of each file in the archive.
 */
export async function downloadPart(
  url: string,
  hash: string,
  ek: Uint8Array,
  options: DownloadOptions,
): Promise<unknown[]> {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw invalid('urls.ul', 'is not an http(s) URL');
  }
  const host = new URL(url).host;
  // The transport of every provider step: one deadline over headers and body, a byte cap
  // (declared or counted), no redirect followed.
  const { budget } = options;
  const tooLargeForRead = () =>
    new ResponseTooLargeError(budget.limitBytes, { step: STEP, host, whole: true });
  // The smaller of the file's own cap and what the read has left.
  const downloadCap = Math.min(options.maxBytes, budget.downloadedLeft);
  const deadline = stepDeadline(options.timeoutMs, options.signal);
  let body: Uint8Array;
  try {
    const bounded = boundedFetch(
      options.fetch,
      { maxBytes: downloadCap, step: STEP, host },
      deadline.signal,
    );
    const response = await bounded(url, { redirect: 'manual' });
    if (response.status !== 200) {
      throw new ProviderHttpError({
        step: STEP,
        host,
        status: response.status,
        hint: 'a file of a large answer',
      });
    }
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    const stopped = deadline.stopped(
      error,
      () => new TimeoutError(options.timeoutMs, { step: STEP, what: `a file at ${host}`, host }),
    );
    if (stopped !== undefined) throw stopped;
    if (error instanceof TypeError) throw new NetworkError(undefined, true, { step: STEP, host });
    if (isGstrError(error, 'ResponseTooLargeError') && downloadCap < options.maxBytes)
      throw tooLargeForRead();
    throw error;
  } finally {
    deadline.clear();
  }
  budget.downloadedLeft -= body.length;
  const digest = createHash('sha256').update(body).digest('hex');
  if (digest !== hash.trim().toLowerCase()) {
    throw invalid(
      'urls.hash',
      "does not match the file's SHA-256: the file was altered or corrupted",
    );
  }
  let archive: Buffer;
  const unpackCap = Math.min(options.maxBytes, budget.decompressedLeft);
  try {
    // A gzip bomb stops at the cap: nothing past it is ever inflated.
    archive = gunzipSync(body, { maxOutputLength: Math.max(1, unpackCap) });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      if (unpackCap < options.maxBytes) throw tooLargeForRead();
      throw new ResponseTooLargeError(options.maxBytes, { step: STEP, host });
    }
    throw invalid('urls.ul', 'is not a gzip file');
  }
  budget.decompressedLeft -= archive.length;
  return untar(archive, 'urls.ul').map((file) => {
    let text: string;
    try {
      text = aesDecrypt(ek, file.toString('utf8')).toString('utf8');
    } catch {
      throw invalid('urls.ul', 'could not be decrypted with ek');
    }
    return jsonOf(text, 'urls.ul');
  });
}
