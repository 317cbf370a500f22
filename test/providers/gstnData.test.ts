import { describe, expect, it } from 'vitest';
import { decryptDataAnswer, largeAnswerOf, untar } from '../../src/providers/gstn/gstnData.js';

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

  it('read the files of a tar archive and refuse a truncated one', () => {
    const header = Buffer.alloc(512);
    header.write('a.json', 0, 'ascii');
    header.write('00000000005\0', 124, 'ascii');
    header.write('0', 156, 'ascii');
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
