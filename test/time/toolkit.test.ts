import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import { onAbort } from '../../src/time/abortable.js';
import { backoffDelay } from '../../src/time/backoff.js';
import { sleep } from '../../src/time/sleep.js';

describe('sleep', () => {
  it("resolves when the clock's time has passed, and not before", async () => {
    // Arrange
    const clock = createTestClock(0);
    let woke = false;
    const sleeping = sleep(1_000, { clock }).then(() => {
      woke = true;
    });

    // Act
    clock.advance(999);
    await Promise.resolve();
    const early = woke;
    clock.advance(1);
    await sleeping;

    // Assert
    expect(early).toBe(false);
    expect(woke).toBe(true);
  });

  it("rejects with the signal's reason on abort, leaving no timer and no listener", async () => {
    // Arrange
    const clock = createTestClock(0);
    const app = new AbortController();
    const sleeping = sleep(60_000, { clock, signal: app.signal });

    // Act
    app.abort(new Error('given up'));

    // Assert
    await expect(sleeping).rejects.toThrow('given up');
    expect(clock.pending()).toBe(0);
    expect(getEventListeners(app.signal, 'abort')).toHaveLength(0);
  });
});

describe('onAbort', () => {
  it('runs at once for a signal aborted before, and stops listening when told', () => {
    // Arrange
    const seen: string[] = [];
    const live = new AbortController();

    // Act
    onAbort(AbortSignal.abort(), () => seen.push('already'));
    const stop = onAbort(live.signal, () => seen.push('later'));
    stop();
    live.abort();

    // Assert
    expect(seen).toEqual(['already']);
    expect(getEventListeners(live.signal, 'abort')).toHaveLength(0);
  });
});

describe('backoffDelay', () => {
  it('draws up to the capped exponential: full jitter', () => {
    expect(backoffDelay(0, 50, 1_000, () => 1)).toBe(50);
    expect(backoffDelay(3, 50, 1_000, () => 1)).toBe(400);
    expect(backoffDelay(10, 50, 1_000, () => 1)).toBe(1_000);
    expect(backoffDelay(10, 50, 1_000, () => 0)).toBe(0);
    expect(backoffDelay(4, 50, 1_000, () => 0.5)).toBe(400);
  });
});
