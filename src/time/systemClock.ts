import type { SessionClock } from './clock.js';

/** The system clock for session timers: `unref`'d, so an idle session never keeps a process alive. */
export const systemClock: SessionClock = {
  now: () => Date.now(),
  // Browsers and some runtimes answer a number, with no `unref`: the session still runs there.
  setTimeout: (fn, ms) => {
    const timer: unknown = setTimeout(fn, ms);
    (timer as { unref?: () => void }).unref?.();
    return timer;
  },
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};

/** The system clock for waits: kept referenced, so that an awaited promise always settles. */
export const systemWaitClock: SessionClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};
