import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { untilAborted } from '../../src/time/abortable.js';
import { stepDeadline } from '../../src/time/deadline.js';

/** The engine's collector, reached without a command-line flag. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('stepDeadline', () => {
  it('keeps the heap flat when one long-lived signal is passed to many steps', () => {
    // Arrange: one app signal, as an app passes one to every read of a worker's life.
    const gc = collector();
    const app = new AbortController();
    const run = (steps: number) => {
      for (let i = 0; i < steps; i += 1) stepDeadline(60_000, app.signal).clear();
    };
    run(5_000);
    gc();
    const before = process.memoryUsage().heapUsed;

    // Act
    run(100_000);
    gc();
    const grown = process.memoryUsage().heapUsed - before;

    // Assert: AbortSignal.any kept ~70 bytes a step alive on Node 20 and 22 (7 MB here).
    expect(grown).toBeLessThan(2_000_000);
    expect(getEventListeners(app.signal, 'abort')).toHaveLength(0);
  });

  it("aborts with the caller's reason, and at the deadline with its own", async () => {
    // Arrange
    const app = new AbortController();
    const byCaller = stepDeadline(60_000, app.signal);
    const byTime = stepDeadline(1);

    // Act
    app.abort(new Error('the app gave up'));
    await new Promise<void>((resolve) => byTime.signal.addEventListener('abort', () => resolve()));

    // Assert
    expect(byCaller.signal.reason).toEqual(new Error('the app gave up'));
    expect(byCaller.expired()).toBe(false);
    expect(byTime.expired()).toBe(true);
    byCaller.clear();
    byTime.clear();
  });

  it('ends a wait on a promise that never settles when the step is aborted', async () => {
    // Arrange
    const app = new AbortController();
    const deadline = stepDeadline(60_000, app.signal);
    const never = new Promise<never>(() => {});

    // Act
    const waiting = deadline.within(never);
    app.abort(new Error('stop'));

    // Assert
    await expect(waiting).rejects.toThrow('stop');
    deadline.clear();
  });

  it('rejects at once for a signal aborted before, and swallows the late rejection', async () => {
    // Arrange
    const aborted = AbortSignal.abort(new Error('already'));
    const late = Promise.reject(new Error('late'));

    // Act / Assert: no unhandled rejection from `late` (vitest fails the run on one).
    await expect(untilAborted(late, aborted)).rejects.toThrow('already');
  });
});

describe('stepDeadline.stopped', () => {
  it("names why a step stopped: the caller's reason, the step's timeout, or nothing (its own failure)", async () => {
    // Arrange
    const app = new AbortController();
    const byCaller = stepDeadline(60_000, app.signal);
    const byTime = stepDeadline(1);
    const running = stepDeadline(60_000);
    const own = new Error('refused');
    const timeout = () => new Error('timed out');

    // Act
    app.abort(new Error('the app gave up'));
    await new Promise<void>((resolve) => byTime.signal.addEventListener('abort', () => resolve()));

    // Assert
    expect(byCaller.stopped(own, timeout)).toEqual(new Error('the app gave up'));
    expect(byTime.stopped(own, timeout)).toEqual(new Error('timed out'));
    expect(running.stopped(own, timeout)).toBeUndefined();
    for (const deadline of [byCaller, byTime, running]) deadline.clear();
  });
});
