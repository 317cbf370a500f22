import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLineReader } from '../../src/cli/lineReader.js';

describe('createLineReader', () => {
  it('keeps lines piped in before their question, in order, then reports the end', async () => {
    const input = Readable.from(['123456\n654321\n']);
    const output = new PassThrough();
    const reader = createLineReader(input, output);
    // Both lines are read (the input has ended) before the first question is asked.
    await once(input, 'end');
    expect(await reader.ask('first? ')).toBe('123456');
    expect(await reader.ask('second? ')).toBe('654321');
    expect(await reader.ask('third? ')).toBeUndefined();
    expect(String(output.read())).toBe('first? second? third? ');
    reader.close();
  });
});
