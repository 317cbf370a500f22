import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createScaledClock } from '../../src/testing/index.js';

describe('createScaledClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs factor times faster than real time, and fires timers after 1/factor of their delay', () => {
    const clock = createScaledClock({ factor: 100 });
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 1_000);
    vi.advanceTimersByTime(9);
    expect(clock.now() - clock.epoch).toBe(900);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([clock.epoch + 1_000]);
  });

  it('agrees with another clock of the same factor and epoch (another process)', () => {
    const a = createScaledClock({ factor: 7_200 });
    vi.advanceTimersByTime(500);
    const b = createScaledClock({ factor: 7_200, epoch: a.epoch });
    expect(b.now()).toBe(a.now());
    expect(a.now() - a.epoch).toBe(3_600_000);
  });

  it('cancels a timer', () => {
    const clock = createScaledClock({ factor: 10 });
    const fn = vi.fn();
    const id = clock.setTimeout(fn, 100);
    clock.clearTimeout(id);
    vi.advanceTimersByTime(100);
    expect(fn).not.toHaveBeenCalled();
  });

  it('refuses a factor below 1 or not finite, naming it', () => {
    for (const factor of [0, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createScaledClock({ factor })).toThrow(
        expect.objectContaining({
          name: 'InvalidInputError',
          message: expect.stringMatching(/factor/),
        }),
      );
    }
  });
});
