import { describe, expect, it } from 'vitest';
import { whileRunning } from '../../machines/actors/whileRunning.js';

describe('whileRunning', () => {
  it('aborts the request when the outer signal aborts while it runs', async () => {
    const outer = new AbortController();
    let inner: AbortSignal | undefined;
    const pending = whileRunning(outer.signal, (signal) => {
      inner = signal;
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason)),
      );
    });
    outer.abort(new Error('left the state'));
    await expect(pending).rejects.toThrow('left the state');
    expect(inner?.aborted).toBe(true);
  });

  it('does not pass on an abort that comes after the request settled', async () => {
    const outer = new AbortController();
    let inner: AbortSignal | undefined;
    const value = await whileRunning(outer.signal, async (signal) => {
      inner = signal;
      return 42;
    });
    outer.abort();
    expect(value).toBe(42);
    expect(inner?.aborted).toBe(false);
  });

  it('starts aborted when the outer signal already is', async () => {
    const outer = new AbortController();
    outer.abort();
    const seen = await whileRunning(outer.signal, async (signal) => signal.aborted);
    expect(seen).toBe(true);
  });
});
