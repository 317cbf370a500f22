import * as v from 'valibot';
import { parseOptions } from '../../schemas/parse.js';
import type { SessionClock } from '../../session/types.js';

const ScaledClockOptionsSchema = v.object({
  factor: v.pipe(
    v.number('must be a number'),
    v.finite('must be finite'),
    v.minValue(1, 'must be at least 1'),
  ),
  epoch: v.optional(v.pipe(v.number('must be a number'), v.finite('must be finite'))),
});

/** A {@link SessionClock} whose time runs `factor` times faster than real time. */
export interface ScaledClock extends SessionClock {
  /** How many times faster than real time it runs. */
  readonly factor: number;
  /** The real epoch ms from which it runs (scaled time equals real time there). */
  readonly epoch: number;
}

/**
 * A clock for soak runs across real processes: its time runs `factor` times faster than real
 * time from `epoch`, and its timers fire after `1 / factor` of their delay. Processes given
 * the same `factor` and `epoch` agree on the time, so a fleet of workers, the provider client
 * (`now`) and the mock provider (`now`) can live through a 30-day access window in minutes.
 * What keeps real time (Redis lock lifetimes, HTTP timeouts) does not scale: size it for that.
 * For tests in one process, `createTestClock` (simulated time) fits better.
 *
 * @example
 * const clock = createScaledClock({ factor: 7_200 }); // a 6 h token lives 3 s
 * const mock = await createMockProvider({ face: 'sandbox', now: clock.now });
 * const manager = createSessionManager({ provider, clock });
 */
export function createScaledClock(options: {
  readonly factor: number;
  readonly epoch?: number;
}): ScaledClock {
  const checked = parseOptions(ScaledClockOptionsSchema, options, 'createScaledClock');
  const { factor } = checked;
  const epoch = checked.epoch ?? Date.now();
  return {
    factor,
    epoch,
    now: () => epoch + (Date.now() - epoch) * factor,
    setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms) / factor),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  };
}
