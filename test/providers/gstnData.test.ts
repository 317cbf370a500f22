import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decryptDataAnswer, largeAnswerOf, untar } from '../../src/gstn/gstnData.js';

// The deterministic vectors of shared/gstn-protocol.md.
const SEK = Buffer.from('202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f', 'hex');
const ANSWER = {
  status_cd: '1',
  rek: 'nsnczqn1sSa6HnZ404MpQ0SrOthS9VcpkIu083f2Ofu+X0DaQDw+WhKW3ulf0pqN',
  data: 'F6eR/+xIRX+u7cFZitDxkPgTkkXwIoQyQLJQu9xfcK0RBebOPm09mtOzna8r5tKTq8VCl7elbGjyf99cIiCFiE+qWcV9TgV+/0a55x/yOqA=',
  hmac: '06rwYerOvSjm0mT1WPGtWO6gFtc9RwFSa4IRMn9F3tA=',
};

describe('GSTN data answers', () => {
  it('decrypt the protocol vector: REK under the SEK, data under the REK, HMAC checked', () => {
    expect(decryptDataAnswer(ANSWER, SEK)).toEqual({
      gstin: '27AAPFU0939F1ZV',
      fp: '042024',
      b2b: [],
    });
  });

  it('refuse an answer whose HMAC is off by one character', () => {
    const hmac = `${ANSWER.hmac.slice(0, -2)}Q=`;
    expect(() => decryptDataAnswer({ ...ANSWER, hmac }, SEK)).toThrow(
      expect.objectContaining({ name: 'ResponseValidationError', field: 'hmac' }),
    );
  });

  it('refuse an answer under another session key', () => {
    expect(() => decryptDataAnswer(ANSWER, Buffer.alloc(32, 7))).toThrow(
      expect.objectContaining({ name: 'ResponseValidationError' }),
    );
  });

  it('take a decrypted answer for a large one only when it has both ek and urls', () => {
    expect(largeAnswerOf({ urls: ['https://example.com'], b2b: [] })).toBeUndefined();
    expect(largeAnswerOf({ ek: 'k', urls: [{ ul: 'https://x.test/1', hash: 'ab' }] })).toEqual({
      ek: 'k',
      urls: [{ ul: 'https://x.test/1', hash: 'ab' }],
    });
    expect(() => largeAnswerOf({ ek: 'k', urls: [] })).toThrow(
      expect.objectContaining({ name: 'ResponseValidationError' }),
    );
  });

  it.each(['gnu', 'pax'])(
    'read the files of an archive written by GNU tar in %s format, passing over its metadata',
    (format) => {
      // Written by `tar --format=<format> -cf <format>.tar a.json dir` (a directory, a name
      // over 100 characters: a pax header or a GNU long name, and zero-block padding).
      const archive = readFileSync(new URL(`../fixtures/tar/${format}.tar`, import.meta.url));
      expect(untar(archive, 'f').map((b) => b.toString())).toEqual(['first', 'second']);
    },
  );

  it('read a contiguous file (type 7) as a regular one', () => {
    const archive = Buffer.from(readFileSync(new URL('../fixtures/tar/gnu.tar', import.meta.url)));
    retype(archive.subarray(0, 512), '7');
    expect(untar(archive, 'f').map((b) => b.toString())).toEqual(['first', 'second']);
  });

  it('refuse an archive with no file in it: zero blocks only, or an empty gzip', () => {
    const empty = gunzipSync(readFileSync(new URL('../fixtures/tar/empty.gz', import.meta.url)));
    for (const archive of [Buffer.alloc(1024), empty]) {
      expect(() => untar(archive, 'f')).toThrow(/holds no file/);
    }
  });

  it('refuse a header whose checksum does not hold', () => {
    const archive = Buffer.from(readFileSync(new URL('../fixtures/tar/gnu.tar', import.meta.url)));
    archive[0] = 'b'.charCodeAt(0);
    expect(() => untar(archive, 'f')).toThrow(/is not a tar archive/);
  });

  it('read the files of a tar archive and refuse a truncated one', () => {
    const header = Buffer.alloc(512);
    header.write('a.json', 0, 'ascii');
    header.write('00000000005\0', 124, 'ascii');
    retype(header, '0');
    const file = Buffer.concat([
      header,
      Buffer.from('hello'),
      Buffer.alloc(507),
      Buffer.alloc(1024),
    ]);
    expect(untar(file, 'f').map((b) => b.toString())).toEqual(['hello']);
    expect(() => untar(file.subarray(0, 514), 'f')).toThrow(
      expect.objectContaining({ name: 'ResponseValidationError' }),
    );
  });
});

/** Sets a tar header's type and writes its checksum again, as `tar` would. */
function retype(header: Buffer, type: string): void {
  header.write(type, 156, 'ascii');
  header.fill(' ', 148, 156);
  const sum = header.subarray(0, 512).reduce((total, byte) => total + byte, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
}
